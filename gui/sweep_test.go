package gui

import (
	"cmp"
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/power"
	"cloudreel/fetch/queue"
	"cloudreel/fetch/sim"
	"cloudreel/fetch/upload"
)

// The button sweep: every button the window shows, in every state it can
// show, is tapped once, so that no handler can be nil or crash again. The
// buttons are found by walking the widget tree, so a button added later is
// swept without this file changing.

// sweepState is one state of the window for the sweep.
type sweepState struct {
	name string
	// prepare brings the window into the state; it is called before every
	// tap, so it must mend what the previous tap changed.
	prepare func(h *harness)
	// dialog says the state is a dialog: only its buttons are reachable.
	dialog bool
	// scope, when set, are the parts of the window swept (instead of all).
	scope func(h *harness) []fyne.CanvasObject
}

// tappableButton is a button found on screen: a widget.Button or a
// widget that embeds one (such as a folder shortcut).
type tappableButton struct {
	tap    fyne.Tappable
	button *widget.Button
}

// buttonName is how the sweep names a button: its text or its icon.
func buttonName(b *widget.Button) string {
	switch {
	case b.Text != "":
		return b.Text
	case b.Icon != nil:
		return "icon " + b.Icon.Name()
	}
	return "unnamed button"
}

// asButton returns the button in o: o itself, or a widget.Button that o's
// struct embeds.
func asButton(o fyne.CanvasObject) (tappableButton, bool) {
	t, ok := o.(fyne.Tappable)
	if !ok {
		return tappableButton{}, false
	}
	if b, ok := o.(*widget.Button); ok {
		return tappableButton{t, b}, true
	}
	v := reflect.ValueOf(o)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return tappableButton{}, false
	}
	if f := v.Elem().FieldByName("Button"); f.IsValid() && f.Type() == reflect.TypeFor[widget.Button]() {
		return tappableButton{t, f.Addr().Interface().(*widget.Button)}, true
	}
	return tappableButton{}, false
}

// sweepKeys finds the visible, enabled buttons under roots, each under a
// key that finds it again after the state is prepared anew: its name
// (without a sort arrow), and where it is when the same name is seen
// more than once: a recordings table row by its recording (a re-sort
// moves rows), a downloads row by its job's state (a mended state may
// hold other jobs). A name seen again in the same place gets " #2", " #3".
func (h *harness) sweepKeys(roots []fyne.CanvasObject) map[string]tappableButton {
	out := map[string]tappableButton{}
	add := func(key string, b tappableButton) {
		k := key
		for n := 2; ; n++ {
			if _, taken := out[k]; !taken {
				break
			}
			k = fmt.Sprintf("%s #%d", key, n)
		}
		out[k] = b
	}
	// A row is found by its file's name; two accounts may download files
	// of the same name, and then the row's buttons say its state.
	jobStates, sameName := map[string]queue.State{}, map[string]int{}
	for _, j := range h.queue.Jobs() {
		jobStates[baseName(j.Path)] = j.State
		sameName[baseName(j.Path)]++
	}
	var walk func(o fyne.CanvasObject, where string)
	walk = func(o fyne.CanvasObject, where string) {
		if o == nil || !o.Visible() {
			return
		}
		switch v := o.(type) {
		case *jobRowView:
			st := jobStates[v.w.name.Text]
			if sameName[v.w.name.Text] != 1 {
				st = shownState(v.w)
			}
			where = fmt.Sprintf("%s job: ", st)
		case *uploadRowView:
			where = fmt.Sprintf("upload %d: ", v.shown.rank())
		case *recordingsTable:
			for _, b := range find(o, (func(*widget.Button) bool)(nil)) {
				if b.Disabled() {
					continue
				}
				add(h.tableButtonKey(b), tappableButton{b, b})
			}
			return
		}
		if b, ok := asButton(o); ok && !b.button.Disabled() {
			add(where+buttonName(b.button), b)
		}
		switch c := o.(type) {
		case *fyne.Container:
			for _, child := range c.Objects {
				walk(child, where)
			}
		case fyne.Widget:
			for _, child := range test.WidgetRenderer(c).Objects() {
				walk(child, where)
			}
		}
	}
	for _, o := range roots {
		walk(o, "")
	}
	return out
}

// shownState is the state a downloads row shows by its buttons; the
// states that show the same buttons are told by name together.
func shownState(r *jobRowWidgets) queue.State {
	switch {
	case r.open.Visible():
		return queue.Done
	case r.resume.Visible():
		return queue.Paused
	case r.retry.Visible():
		return queue.Failed
	case r.pause.Visible():
		return "queued or downloading"
	}
	return queue.Canceled
}

// tableButtonKey names a button of the recordings table: a header by its
// column, a cell's button by the recording on its row and its icon (its
// text, "3 files" or "2 of 3 files", says what was ticked).
func (h *harness) tableButtonKey(b *widget.Button) string {
	drv := fyne.CurrentApp().Driver()
	y := drv.AbsolutePositionForObject(b).Y
	for r := range h.w.recordings.model.Len() {
		title := h.titleLabel(r)
		if title == nil {
			continue
		}
		ty := drv.AbsolutePositionForObject(title).Y
		if ty+title.Size().Height > y && y+b.Size().Height > ty {
			row, _ := h.w.recordings.model.Row(r)
			icon := ""
			if b.Icon != nil {
				icon = b.Icon.Name()
			}
			return "recording " + row.rec.ID + ": button " + icon
		}
	}
	return "header " + strings.TrimRight(b.Text, " ▲▼")
}

// sweepScope is where a person can tap in the state: the top dialog, or
// the window's content when no dialog is open.
func (h *harness) sweepScope(st sweepState) []fyne.CanvasObject {
	switch {
	case st.scope != nil:
		return st.scope(h)
	case st.dialog:
		return []fyne.CanvasObject{h.overlay()}
	}
	return []fyne.CanvasObject{h.content()}
}

// closeOverlays closes every dialog and pop-up, as Escape or Cancel would.
func (h *harness) closeOverlays() {
	h.ui(func() {
		o := h.w.win.Canvas().Overlays()
		for top := o.Top(); top != nil; top = o.Top() {
			o.Remove(top)
		}
	})
}

// sweep taps every button of every state; a tap that panics is reported
// with the button's name and the state, and the sweep goes on. The state
// is prepared again before every tap, and the buttons found again by
// their key; it goes on until every button seen in the state was tapped,
// so that a button a tap brought (or that a mended state shows anew) is
// tapped too, and a button seen once that never comes back is an error.
func sweep(t *testing.T, h *harness, states []sweepState) {
	t.Helper()
	const maxTaps = 400
	for _, st := range states {
		tapped, seen := map[string]bool{}, map[string]bool{}
		var names []string
		for n := 0; ; n++ {
			h.closeOverlays()
			st.prepare(h)
			var pending []string
			var next tappableButton
			h.ui(func() {
				found := h.sweepKeys(h.sweepScope(st))
				for key := range found {
					seen[key] = true
					if !tapped[key] {
						pending = append(pending, key)
					}
				}
				slices.SortFunc(pending, func(a, b string) int {
					return cmp.Or(cmp.Compare(tapsLast(a), tapsLast(b)), cmp.Compare(a, b))
				})
				if len(pending) > 0 {
					next = found[pending[0]]
				}
			})
			if n == 0 && len(pending) == 0 {
				t.Errorf("%s: no button to tap", st.name)
			}
			if len(pending) == 0 {
				break
			}
			if n == maxTaps {
				t.Errorf("%s: still %d buttons to tap after %d taps: %v", st.name, len(pending), maxTaps, pending)
				break
			}
			tapped[pending[0]] = true
			names = append(names, pending[0])
			h.tapButton(t, st, pending[0], next)
			if h.w.ctx.Err() != nil {
				// The tap closed the window: it must be the state's last.
				if len(pending) > 1 {
					t.Errorf("%s: %q closed the window before %v were tapped", st.name, pending[0], pending[1:])
				}
				break
			}
		}
		h.closeOverlays()
		// A second button of the same kind in the same place (a second
		// finished job's Open) may be gone once the state is mended; a
		// button of which none was tapped is a button never tapped.
		for key := range seen {
			if tapped[key] {
				continue
			}
			if first, _, again := strings.Cut(key, " #"); again && tapped[first] {
				t.Logf("%s: %q is gone after preparing the state again; %q was tapped", st.name, key, first)
				continue
			}
			t.Errorf("%s: %q was seen but is gone after preparing the state again", st.name, key)
		}
		t.Logf("%s: tapped %d buttons: %v", st.name, len(names), names)
	}
}

// tapsLast is 2 for the button that closes the window, 1 for those that
// take other buttons away for good (Clear finished, a row's remove,
// Remove an account), so that those are tapped once the others were; 0
// for the rest.
func tapsLast(key string) int {
	if key == "Stop and close" {
		return 2
	}
	for _, s := range []string{"Clear finished", "cancel.svg", "delete.svg", "Remove"} {
		if strings.Contains(key, s) {
			return 1
		}
	}
	return 0
}

// tapButton taps a button found by its key, reporting a panic.
func (h *harness) tapButton(t *testing.T, st sweepState, key string, b tappableButton) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s: tapping %q crashed: %v", st.name, key, r)
		}
	}()
	h.ui(func() { test.Tap(b.tap) })
	// Let what the tap started in the background reach the window.
	time.Sleep(20 * time.Millisecond)
}

// sweepAccounts are the accounts of the sweep, one per platform and two
// that need attention.
type sweepAccounts struct {
	byPlatform map[fetch.Platform]accounts.Account
	wrong      accounts.Account // Valt with a wrong password: the error panel
	noSecret   accounts.Account // a Zoom account whose secret is not saved
}

// ensureAccount adds an account on the simulator unless one of that name
// exists (a swept Remove may have removed it), and returns it.
func (h *harness) ensureAccount(p fetch.Platform, name, secret string) accounts.Account {
	h.t.Helper()
	if a, err := h.store.ByName(name); err == nil {
		return a
	}
	c := h.sim.Config().Credentials
	a := accounts.Account{Platform: p, Name: name, Server: h.sim.BaseURL(p)}
	right := ""
	switch p {
	case fetch.ZoomSDK:
		a.APIKey, right = c.ZoomKey, c.ZoomSecret
	case fetch.Valt:
		a.Username, right = c.ValtUser, c.ValtPassword
	case fetch.IBMVideo:
		a.ClientID, right = c.IBMClientID, c.IBMSecret
	case fetch.Huawei:
		a.HuaweiAccount, right = c.HuaweiAccount, c.HuaweiPwd
	}
	if secret == "" {
		secret = right
	}
	a, err := h.store.Add(context.Background(), a, secret)
	if err != nil {
		h.t.Fatal(err)
	}
	return a
}

// showAccount selects an account and waits until its listing is over,
// whether it worked or not.
func (h *harness) showAccount(a accounts.Account) {
	h.t.Helper()
	shown := func() bool {
		v := h.w.recordings
		onScreen := len(h.w.centre.Objects) == 1 && h.w.centre.Objects[0] == v.root
		return onScreen && v.account.ID == a.ID && !v.loading.Visible()
	}
	already := false
	h.ui(func() { already = shown() })
	if already {
		return
	}
	h.ui(func() {
		// The list does not call OnSelected for the row already selected,
		// and after an account was added or removed that row may be
		// another account.
		h.w.accounts.list.UnselectAll()
		h.w.accounts.selectAfterReload(a.ID)
	})
	h.eventually(a.Name+" to be shown", shown)
}

// accountStates are the states of an account in the centre.
func accountStates(h *harness) []sweepState {
	ensure := func() sweepAccounts {
		s := sweepAccounts{byPlatform: map[fetch.Platform]accounts.Account{}}
		for _, p := range fetch.Platforms {
			s.byPlatform[p] = h.ensureAccount(p, "Sweep "+p.Title(), "")
		}
		s.wrong = h.ensureAccount(fetch.Valt, "Sweep old Valt password", "an-old-password-1")
		if _, err := h.store.ByName("Sweep lost secret"); err != nil {
			s.noSecret = h.ensureAccount(fetch.ZoomSDK, "Sweep lost secret", "")
			if err := h.store.Secrets().Delete(context.Background(), s.noSecret.ID); err != nil {
				h.t.Fatal(err)
			}
		}
		s.noSecret, _ = h.store.ByName("Sweep lost secret")
		return s
	}
	var states []sweepState
	for _, p := range fetch.Platforms {
		states = append(states, sweepState{name: "ready " + p.Title() + " account", prepare: func(h *harness) {
			a := ensure().byPlatform[p]
			h.showAccount(a)
			// One row ticked, so that the download buttons are enabled.
			h.ui(func() {
				if len(h.w.recordings.model.Ticked()) == 0 && h.w.recordings.model.Len() > 0 {
					h.w.recordings.model.Toggle(0)
					h.w.recordings.updateSummary()
				}
			})
		}})
	}
	states = append(states,
		sweepState{name: "account with a wrong password (the error panel)", prepare: func(h *harness) {
			a := ensure().wrong
			h.showAccount(a)
			h.eventually("the error panel", func() bool { return h.w.recordings.problem.Visible() })
		}},
		sweepState{name: "account whose secret is lost", prepare: func(h *harness) {
			h.showAccount(ensure().noSecret)
		}},
	)
	return states
}

// dialogStates are the dialogs, each opened as a person would.
func dialogStates(h *harness) []sweepState {
	var states []sweepState
	account := func(h *harness) accounts.Account {
		a := h.ensureAccount(fetch.ZoomSDK, "Sweep dialogs", "")
		h.showAccount(a)
		return a
	}
	tap := func(h *harness, text string) {
		h.ui(func() { test.Tap(button(h.t, h.content(), text)) })
		h.eventually("the dialog of "+text, func() bool { return h.overlay() != nil })
	}
	for _, p := range fetch.Platforms {
		states = append(states, sweepState{name: "add-account dialog for " + p.Title(), dialog: true, prepare: func(h *harness) {
			account(h)
			tap(h, "Add account")
			h.ui(func() {
				sel := find(h.overlay(), func(s *widget.Select) bool { return s.PlaceHolder == "Choose the platform" })
				if len(sel) != 1 {
					h.t.Fatalf("found %d platform choices", len(sel))
				}
				sel[0].SetSelected(p.Title())
			})
		}})
	}
	states = append(states,
		sweepState{name: "add-account dialog, no platform chosen", dialog: true, prepare: func(h *harness) { account(h); tap(h, "Add account") }},
		sweepState{name: "edit-account dialog", dialog: true, prepare: func(h *harness) { account(h); tap(h, "Edit") }},
		sweepState{name: "settings", dialog: true, prepare: func(h *harness) { account(h); tap(h, "Settings") }},
		sweepState{name: "about", dialog: true, prepare: func(h *harness) { account(h); tap(h, "About") }},
		sweepState{name: "help (the keys)", dialog: true, prepare: func(h *harness) { account(h); tap(h, "Help") }},
		sweepState{name: "remove-account confirmation", dialog: true, prepare: func(h *harness) { account(h); tap(h, "Remove") }},
		sweepState{name: "the banner of a finished batch", scope: func(h *harness) []fyne.CanvasObject { return []fyne.CanvasObject{h.w.banner.root} }, prepare: func(h *harness) {
			account(h)
			visible := false
			h.ui(func() { visible = h.w.banner.root.Visible() })
			if visible {
				return
			}
			// A recording not downloaded yet, so that a batch starts and ends.
			h.ui(func() {
				v := h.w.recordings
				v.onSelectNone()
				for i := range v.model.Len() {
					if r, _ := v.model.Row(i); r.downloadable() && (r.status == "" || r.status == "new") {
						v.model.Toggle(i)
						break
					}
				}
				if len(v.model.Ticked()) == 0 {
					h.t.Fatal("every recording of the account was downloaded: the banner needs a new one")
				}
				v.onDownloadSelected()
			})
			h.eventually("the banner", func() bool { return h.w.banner.root.Visible() })
		}},
		sweepState{name: "send-to-Valt dialog on a Zoom account, a recording ticked", dialog: true, prepare: func(h *harness) {
			account(h)
			h.ensureAccount(fetch.Valt, "Sweep Valt target", "")
			h.ui(func() {
				if len(h.w.recordings.model.Ticked()) == 0 {
					h.w.recordings.model.Toggle(0)
				}
			})
			tap(h, "Send to Valt…")
		}},
		sweepState{name: "send-to-Valt dialog on a Valt account", dialog: true, prepare: func(h *harness) {
			h.showAccount(h.ensureAccount(fetch.Valt, "Sweep Valt target", ""))
			tap(h, "Send to Valt…")
		}},
		sweepState{name: "a sent upload's row", scope: func(h *harness) []fyne.CanvasObject { return []fyne.CanvasObject{h.w.downloads.top} }, prepare: func(h *harness) {
			a := h.ensureAccount(fetch.Valt, "Sweep Valt target", "")
			account(h)
			if len(h.uploads.Jobs()) == 0 {
				path, _ := writeVideoFile(h.t, h.folder, "sweep upload.mp4", 64<<10)
				h.w.uploads.sendPaths(a, []string{path})
			}
			eventually(h.t, "the upload to end", func() bool {
				for _, j := range h.uploads.Jobs() {
					if j.State != upload.Done && j.State != upload.Failed {
						return false
					}
				}
				return len(h.uploads.Jobs()) > 0
			})
			h.ui(h.w.uploads.redraw)
		}},
		sweepState{name: "a notice (nothing ticked)", dialog: true, prepare: func(h *harness) {
			account(h)
			h.ui(func() { h.w.recordings.onSelectNone(); h.w.recordings.onDownloadSelected() })
			h.eventually("the notice", func() bool { return h.overlay() != nil })
		}},
		// Settings with "Put the computer to sleep" chosen, so that its
		// Save is tapped with it.
		sweepState{name: "settings, sleep when the downloads are done", dialog: true, prepare: func(h *harness) {
			account(h)
			tap(h, "Settings")
			h.ui(func() {
				sel := find(h.overlay(), func(s *widget.Select) bool { return slices.Contains(s.Options, whenDoneLabel(power.Sleep)) })
				if len(sel) != 1 {
					h.t.Fatalf("found %d choices of what to do when the downloads are done", len(sel))
				}
				sel[0].SetSelected(whenDoneLabel(power.Sleep))
			})
		}},
		sweepState{name: "the countdown before the computer sleeps", dialog: true, prepare: func(h *harness) {
			account(h)
			// The overlay was taken away by the sweep: end its countdown.
			h.ui(func() {
				h.w.settings.WhenDone = power.Notify
				if c := h.w.countdown; c != nil {
					c.onCancel()
				}
			})
			h.eventually("no countdown", func() bool { return h.w.countdown == nil })
			h.ui(func() { h.w.startCountdown(power.Sleep) })
			h.eventually("the countdown", func() bool { return h.countdownText() != "" })
		}},
	)
	return states
}

// sweepJobs drives the downloads panel so that it shows a job in every
// state at once: queued, downloading, paused, failed, done and canceled.
type sweepJobs struct {
	slow   *simServer // throttled: its downloads last the whole sweep
	fast   accounts.Account
	slowAc accounts.Account
	broken accounts.Account // a wrong secret: its downloads fail
	next   map[string]int   // the next recording to use, by account
	recs   map[string][]fetch.Recording
}

// newSweepJobs sets up the accounts; slow must be served before the
// harness is built, so that it outlives the harness's transfers.
func newSweepJobs(t *testing.T, h *harness, slow *simServer) *sweepJobs {
	j := &sweepJobs{slow: slow, next: map[string]int{}, recs: map[string][]fetch.Recording{}}
	j.fast = h.ensureAccount(fetch.ZoomSDK, "Sweep fast", "")
	j.broken = h.ensureAccount(fetch.Valt, "Sweep broken", "")
	c := j.slow.sim.Config().Credentials
	var err error
	j.slowAc, err = h.store.Add(context.Background(), accounts.Account{Platform: fetch.ZoomSDK, Name: "Sweep slow", Server: j.slow.sim.BaseURL(fetch.ZoomSDK), APIKey: c.ZoomKey}, c.ZoomSecret)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []accounts.Account{j.fast, j.slowAc} {
		for r, err := range h.store.Recordings(context.Background(), a, everything) {
			if err != nil {
				t.Fatal(err)
			}
			j.recs[a.ID] = append(j.recs[a.ID], r)
		}
	}
	// The broken account lists with the right password, then it changes.
	for r, err := range h.store.Recordings(context.Background(), j.broken, everything) {
		if err != nil {
			t.Fatal(err)
		}
		j.recs[j.broken.ID] = append(j.recs[j.broken.ID], r)
	}
	if err := h.store.Update(context.Background(), j.broken, "an-old-password-2"); err != nil {
		t.Fatal(err)
	}
	return j
}

// everything is a date range that holds every simulated recording.
var everything = fetch.Query{From: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Now().UTC().AddDate(0, 0, 1)}

// add queues the next file of an account's recordings.
func (j *sweepJobs) add(h *harness, a accounts.Account) queue.Job {
	h.t.Helper()
	recs := j.recs[a.ID]
	i := j.next[a.ID]
	if i >= len(recs) {
		h.t.Fatalf("the sweep used all %d recordings of %s", len(recs), a.Name)
	}
	j.next[a.ID] = i + 1
	r := recs[i]
	jobs, err := h.queue.Add(queue.AddRequest{AccountID: a.ID, AccountName: a.Name, Platform: a.Platform, Recording: r, File: r.Files[0], Folder: h.folder})
	if err != nil || len(jobs) != 1 {
		h.t.Fatalf("queueing %s: %v", r.Title, err)
	}
	return jobs[0]
}

func (j *sweepJobs) waitState(h *harness, id string, want ...queue.State) {
	h.t.Helper()
	eventually(h.t, fmt.Sprintf("job %s to be %v", id, want), func() bool {
		job, _ := h.queue.Job(id)
		for _, s := range want {
			if job.State == s {
				return true
			}
		}
		return false
	})
}

// ensure makes the panel show a job in every state, mending what the
// last tap changed (a paused job resumed, a failed one retried...).
func (j *sweepJobs) ensure(h *harness) {
	h.t.Helper()
	count := func() map[queue.State]int {
		n := map[queue.State]int{}
		for _, job := range h.queue.Jobs() {
			n[job.State]++
		}
		return n
	}
	// A swept Resume all or Retry may have set many going: keep one
	// running, so that the slots are free for what is made below.
	kept := false
	for _, job := range h.queue.Jobs() {
		if !job.State.Active() {
			continue
		}
		if job.State == queue.Downloading && !kept {
			kept = true
			continue
		}
		if err := h.queue.Cancel(job.ID); err != nil {
			h.t.Fatal(err)
		}
	}
	h.queue.SetConcurrency(8)
	if count()[queue.Done] == 0 {
		j.waitState(h, j.add(h, j.fast).ID, queue.Done)
	}
	if count()[queue.Failed] == 0 {
		j.waitState(h, j.add(h, j.broken).ID, queue.Failed)
	}
	if count()[queue.Paused] == 0 {
		job := j.add(h, j.slowAc)
		j.waitState(h, job.ID, queue.Downloading)
		if err := h.queue.Pause(job.ID); err != nil {
			h.t.Fatal(err)
		}
		j.waitState(h, job.ID, queue.Paused)
	}
	if count()[queue.Canceled] == 0 {
		job := j.add(h, j.slowAc)
		if err := h.queue.Cancel(job.ID); err != nil {
			h.t.Fatal(err)
		}
		j.waitState(h, job.ID, queue.Canceled)
	}
	if count()[queue.Downloading] == 0 {
		j.waitState(h, j.add(h, j.slowAc).ID, queue.Downloading)
	}
	// Every slot busy: the next one waits.
	running := count()[queue.Downloading] + count()[queue.Resolving]
	h.queue.SetConcurrency(running)
	if count()[queue.Queued] == 0 {
		j.waitState(h, j.add(h, j.slowAc).ID, queue.Queued)
	}
	h.eventually("the downloads panel to show every state", func() bool {
		seen := map[queue.State]bool{}
		for _, v := range find(h.w.downloads.list, (func(*jobRowView) bool)(nil)) {
			for _, job := range h.queue.Jobs() {
				if baseName(job.Path) == v.w.name.Text {
					seen[job.State] = true
				}
			}
		}
		for _, s := range []queue.State{queue.Queued, queue.Downloading, queue.Paused, queue.Failed, queue.Done, queue.Canceled} {
			if !seen[s] {
				return false
			}
		}
		return true
	})
}

// settleDownloads waits until what a swept Download or Retry started has
// ended, and has the downloads panel show it: the rows' buttons are then
// those of jobs that no longer change by themselves.
func (h *harness) settleDownloads() {
	h.t.Helper()
	idle := func(jobs []queue.Job) bool {
		for _, j := range jobs {
			if j.State.Active() {
				return false
			}
		}
		return true
	}
	eventually(h.t, "the downloads to end", func() bool { return idle(h.queue.Jobs()) && idle(h.w.downloads.rows.all()) })
	h.w.downloads.update() // what the panel's ticker does within a quarter second
}

func TestSweepTapsEveryButtonInEveryState(t *testing.T) {
	opts := smallSim
	opts.startDemo = func(h *harness) func(context.Context) error {
		return func(ctx context.Context) error {
			h.ensureAccount(fetch.ZoomSDK, "Sweep demo", "")
			return nil
		}
	}
	h := newHarness(t, opts)
	// Tall enough that every recording's row is drawn: a header tap that
	// re-sorts them moves rows, never off screen.
	h.ui(func() { h.w.win.Resize(fyne.NewSize(1180, 1800)) })
	welcome := sweepState{name: "welcome", prepare: func(h *harness) {
		list, err := h.store.List()
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range list {
			if err := h.store.Remove(context.Background(), a.ID); err != nil {
				t.Fatal(err)
			}
		}
		h.ui(func() { h.w.accounts.reload() })
		h.eventually("the welcome", func() bool {
			return hasLabel(h.content(), "Welcome to Cloudreel") && !h.w.accounts.editRow.Visible()
		})
	}}
	states := []sweepState{welcome}
	states = append(states, accountStates(h)...)
	states = append(states, dialogStates(h)...)
	for i := range states {
		prepare := states[i].prepare
		states[i].prepare = func(h *harness) {
			prepare(h)
			h.settleDownloads()
		}
	}
	sweep(t, h, states)
}

func TestSweepTapsEveryButtonOfEveryJobState(t *testing.T) {
	slow := serveSim(t, sim.Config{Recordings: 60, Throttle: 16 << 10, MinSize: 4 << 20, MaxSize: 5 << 20})
	h := newHarness(t, smallSim)
	// Tall enough that every row of the downloads panel is drawn.
	h.ui(func() { h.w.win.Resize(fyne.NewSize(1180, 1800)) })
	jobs := newSweepJobs(t, h, slow)
	h.showAccount(jobs.fast)
	sweep(t, h, []sweepState{
		// The rest of the window is swept by the test above.
		{name: "downloads in every state", prepare: jobs.ensure, scope: func(h *harness) []fyne.CanvasObject {
			return []fyne.CanvasObject{h.w.downloads.top, h.w.downloads.list}
		}},
		// A failed row's why button tells the whole error in a dialog.
		{name: "why a download failed", dialog: true, prepare: func(h *harness) {
			jobs.ensure(h)
			h.ui(func() {
				for _, v := range find(h.w.downloads.list, (func(*jobRowView) bool)(nil)) {
					if v.w.why.Visible() {
						test.Tap(v.w.why)
						return
					}
				}
				h.t.Fatal("no failed row offers to say why")
			})
			h.eventually("the dialog that says why", func() bool { return h.overlay() != nil })
		}},
		// Last: its Stop and close closes the window.
		{name: "closing while files download", dialog: true, prepare: func(h *harness) {
			jobs.ensure(h)
			h.ui(h.w.requestClose)
			h.eventually("the question", func() bool { return h.overlay() != nil })
		}},
	})
}

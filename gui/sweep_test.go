package gui

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/queue"
	"cloudreel/fetch/sim"
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

// buttonsOn are the visible, enabled buttons under o, by name, each name
// in drawing order.
func buttonsOn(roots []fyne.CanvasObject) map[string][]tappableButton {
	out := map[string][]tappableButton{}
	for _, o := range roots {
		for _, c := range rendered(o) {
			if b, ok := asButton(c); ok && !b.button.Disabled() {
				name := buttonName(b.button)
				out[name] = append(out[name], b)
			}
		}
	}
	return out
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
// with the button's name and the state, and the sweep goes on.
func sweep(t *testing.T, h *harness, states []sweepState) {
	t.Helper()
	for _, st := range states {
		h.closeOverlays()
		st.prepare(h)
		var keys []string
		counts := map[string]int{}
		h.ui(func() {
			for name, bs := range buttonsOn(h.sweepScope(st)) {
				keys = append(keys, name)
				counts[name] = len(bs)
			}
		})
		slices.Sort(keys)
		if len(keys) == 0 {
			t.Errorf("%s: no button to tap", st.name)
		}
		tapped := 0
		first := true
		for _, name := range keys {
			for i := range counts[name] {
				if !first {
					h.closeOverlays()
					st.prepare(h)
				}
				first = false
				if h.tapNth(t, st, name, i) {
					tapped++
				}
			}
		}
		h.closeOverlays()
		t.Logf("%s: tapped %d buttons: %v", st.name, tapped, keys)
	}
}

// tapNth taps the i-th button called name in the state, reporting a panic.
func (h *harness) tapNth(t *testing.T, st sweepState, name string, i int) (tapped bool) {
	t.Helper()
	var b tappableButton
	found := false
	h.ui(func() {
		if bs := buttonsOn(h.sweepScope(st))[name]; i < len(bs) {
			b, found = bs[i], true
		}
	})
	if !found {
		t.Logf("%s: button %q #%d is gone after preparing the state again", st.name, name, i+1)
		return false
	}
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s: tapping %q (#%d) crashed: %v", st.name, name, i+1, r)
		}
	}()
	h.ui(func() { test.Tap(b.tap) })
	// Let what the tap started in the background reach the window.
	time.Sleep(20 * time.Millisecond)
	return true
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
		sweepState{name: "remove-account confirmation", dialog: true, prepare: func(h *harness) { account(h); tap(h, "Remove") }},
		sweepState{name: "the banner of a finished batch", scope: func(h *harness) []fyne.CanvasObject { return []fyne.CanvasObject{h.w.banner.root} }, prepare: func(h *harness) {
			account(h)
			visible := false
			h.ui(func() { visible = h.w.banner.root.Visible() })
			if visible {
				return
			}
			h.ui(func() {
				h.w.recordings.onSelectNone()
				h.w.recordings.model.Toggle(0)
				h.w.recordings.onDownloadSelected()
			})
			h.eventually("the banner", func() bool { return h.w.banner.root.Visible() })
		}},
		sweepState{name: "a notice (nothing ticked)", dialog: true, prepare: func(h *harness) {
			account(h)
			h.ui(func() { h.w.recordings.onSelectNone(); h.w.recordings.onDownloadSelected() })
			h.eventually("the notice", func() bool { return h.overlay() != nil })
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

func TestSweepTapsEveryButtonInEveryState(t *testing.T) {
	opts := smallSim
	opts.startDemo = func(h *harness) func(context.Context) error {
		return func(ctx context.Context) error {
			h.ensureAccount(fetch.ZoomSDK, "Sweep demo", "")
			return nil
		}
	}
	h := newHarness(t, opts)
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
		h.eventually("the welcome", func() bool { return hasLabel(h.content(), "Welcome to Cloudreel") })
	}}
	states := []sweepState{welcome}
	states = append(states, accountStates(h)...)
	states = append(states, dialogStates(h)...)
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
		// Last: its Stop and close closes the window.
		{name: "closing while files download", dialog: true, prepare: func(h *harness) {
			jobs.ensure(h)
			h.ui(h.w.requestClose)
			h.eventually("the question", func() bool { return h.overlay() != nil })
		}},
	})
}

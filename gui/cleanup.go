package gui

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/cleanup"
	"cloudreel/fetch/locale"
	"cloudreel/fetch/queue"
)

// The clean-up of the cloud from the window: after a batch of downloads,
// each account whose setting says trash or delete lets go of the
// recordings whose every file is Verified and on disk (package cleanup
// decides which); the first time, and for every permanent delete, the
// person confirms what will go. Cleaned up lists the log and the deletes
// still waiting, each with a Cancel.

// cleanupsBusy are the accounts whose clean-up is being asked or run, so
// that two batches ending close together do not ask twice for the same
// recordings.
type cleanupsBusy struct {
	mu   sync.Mutex
	busy map[string]bool
}

// claim marks an account's clean-up as under way; false if it already is.
func (c *cleanupsBusy) claim(accountID string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.busy[accountID] {
		return false
	}
	if c.busy == nil {
		c.busy = map[string]bool{}
	}
	c.busy[accountID] = true
	return true
}

func (c *cleanupsBusy) release(accountID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.busy, accountID)
}

// accountPolicy is an account's setting; an unreadable one keeps
// everything.
func accountPolicy(a accounts.Account) cleanup.Policy {
	p, err := cleanup.ParsePolicy(a.Cleanup, a.Platform)
	if err != nil {
		return cleanup.Keep
	}
	return p
}

// cleanUpAfterBatch runs, off the Fyne goroutine, the clean-up of every
// account whose setting asks for one: permanent deletes whose grace period
// is over go too, whichever account the batch was for.
func (w *Window) cleanUpAfterBatch() {
	if w.deps.Cleanup == nil {
		return
	}
	go func() {
		list, err := w.deps.Accounts.List()
		if err != nil {
			w.deps.Log.Warn("listing the accounts for a clean-up", "err", err)
			return
		}
		for _, a := range list {
			if accountPolicy(a) == cleanup.Keep || !w.cleanups.claim(a.ID) {
				continue
			}
			plan, err := w.planCleanup(w.ctx, a)
			if err != nil {
				w.cleanups.release(a.ID)
				fyne.Do(func() { w.showError(lang.L("The clean-up of {{.Name}} did not run", vals{"Name": a.Name}), err) })
				continue
			}
			if plan.Empty() {
				w.cleanups.release(a.ID)
				continue
			}
			first := w.deps.Cleanup.FirstTime(a.ID)
			fyne.Do(func() { w.offerCleanup(a, plan, first) })
		}
	}()
}

// planCleanup says what the account's clean-up would do now. The platform
// is listed on the days of the account's downloads, so that a recording
// with a file nobody downloaded stays.
func (w *Window) planCleanup(ctx context.Context, a accounts.Account) (cleanup.Plan, error) {
	jobs := slices.DeleteFunc(w.deps.Queue.Jobs(), func(j queue.Job) bool { return j.AccountID != a.ID })
	acc := cleanup.Account{ID: a.ID, Name: a.Name, Platform: a.Platform, Policy: accountPolicy(a)}
	if len(jobs) == 0 {
		return cleanup.Plan{Account: acc}, nil
	}
	listed, err := cleanup.ListedNow(ctx, func(ctx context.Context, q fetch.Query) iter.Seq2[fetch.Recording, error] {
		return w.deps.Accounts.Recordings(ctx, a, q)
	}, jobs)
	if err != nil {
		return cleanup.Plan{}, fmt.Errorf("listing the recordings of %s to check them before a clean-up: %w", a.Name, err)
	}
	return (&cleanup.Cleaner{Store: w.deps.Cleanup}).Plan(acc, jobs, listed)
}

// needsConfirmation says the person must agree before a plan runs: the
// first clean-up of an account, and every permanent delete it schedules.
// Trash (recoverable) goes without asking once the account has been
// cleaned up before; deletes whose grace period ended were confirmed
// when they were scheduled.
func needsConfirmation(p cleanup.Plan, first bool) bool {
	return first || len(p.Schedule) > 0
}

// cleanupQuestion is the confirmation's text: what will go, in the
// cleanup package's words ("12 recordings, 4.2 GB, from IBM Video
// Streaming, permanently, on 9 December").
func cleanupQuestion(p cleanup.Plan, now time.Time) string {
	var lines []string
	if len(p.Go) > 0 {
		lines = append(lines, "• "+cleanup.Summary(p.Go, p.Account.Platform, p.Mode, now, now))
	}
	if len(p.Schedule) > 0 {
		lines = append(lines, "• "+cleanup.Summary(p.Schedule, p.Account.Platform, p.Mode, p.Due, now))
	}
	s := lang.L("{{.Name}}'s setting frees the cloud copy of each recording whose every file is downloaded and verified:", vals{"Name": p.Account.Name}) +
		"\n\n" + strings.Join(lines, "\n") + "\n\n"
	if len(p.Schedule) > 0 {
		return s + locale.Sentences(lang.L("Until {{.Day}} you can keep any of them in Cleaned up.", vals{"Day": cleanup.Day(p.Due, now)}),
			lang.L("Your downloaded files stay where they are."))
	}
	return s + lang.L("Your downloaded files stay where they are.")
}

// offerCleanup asks, when it must, and then runs the plan; the account's
// clean-up is over (released) once the person says no or the run ends.
func (w *Window) offerCleanup(a accounts.Account, p cleanup.Plan, first bool) {
	if !needsConfirmation(p, first) {
		w.runCleanup(a, p)
		return
	}
	d := dialog.NewConfirm(lang.L("Clean up {{.Platform}}?", vals{"Platform": a.Platform.Name()}), cleanupQuestion(p, time.Now()), func(yes bool) {
		if yes {
			w.runCleanup(a, p)
			return
		}
		w.cleanups.release(a.ID)
	}, w.win)
	d.SetConfirmText(lang.L("Clean up"))
	d.SetDismissText(lang.L("Not now"))
	d.Show()
}

// runCleanup carries out a plan off the Fyne goroutine and says how it went.
func (w *Window) runCleanup(a accounts.Account, p cleanup.Plan) {
	go func() {
		var res cleanup.Result
		conn, err := w.deps.Accounts.Connector(w.ctx, a)
		if err == nil {
			deleter, _ := conn.(fetch.Deleter)
			res, err = (&cleanup.Cleaner{Store: w.deps.Cleanup}).Run(w.ctx, p, deleter)
		}
		w.cleanups.release(a.ID)
		fyne.Do(func() {
			if err != nil {
				w.showError(lang.L("The clean-up of {{.Name}} did not finish", vals{"Name": a.Name}), err)
				return
			}
			dialog.NewInformation(lang.L("Cleaned up"), cleanupOutcome(a, p, res, time.Now()), w.win).Show()
		})
	}()
}

// cleanupOutcome says what a run did, in plain words.
func cleanupOutcome(a accounts.Account, p cleanup.Plan, res cleanup.Result, now time.Time) string {
	var lines []string
	if n := len(res.Done); n > 0 {
		v := vals{"Count": n, "Platform": a.Platform.Name()}
		if p.Mode == fetch.Trash {
			lines = append(lines, lang.N("{{.Count}} recordings moved to the trash of {{.Platform}}.", n, v))
		} else {
			lines = append(lines, lang.N("{{.Count}} recordings deleted from {{.Platform}}.", n, v))
		}
	}
	if len(res.Scheduled) > 0 {
		lines = append(lines, lang.L("Scheduled: {{.What}} ({{.When}}). Cleaned up lists them, each with a Cancel.",
			vals{"What": cleanup.Summary(res.Scheduled, a.Platform, p.Mode, p.Due, now), "When": cleanup.Countdown(p.Due, now)}))
	}
	for _, f := range res.Failed {
		lines = append(lines, lang.L("“{{.Title}}” was not cleaned up, and nothing was changed: {{.Reason}}", vals{"Title": f.Title, "Reason": f.Reason}))
	}
	if res.Wait > 0 {
		lines = append(lines, lang.L("{{.Platform}} asked Cloudreel to slow down: the rest is cleaned up after the next downloads, or in {{.Time}}.",
			vals{"Platform": a.Platform.Name(), "Time": locale.Now().Remaining(res.Wait)}))
	}
	if len(lines) == 0 {
		lines = append(lines, lang.L("Nothing was cleaned up."))
	}
	return a.Name + ": " + strings.Join(lines, "\n")
}

// cleanedUpButton is the top bar's Cleaned up.
func (w *Window) cleanedUpButton() *widget.Button {
	return &widget.Button{Text: lang.L("Cleaned up"), Icon: theme.DeleteIcon(), Importance: widget.LowImportance, OnTapped: w.onCleanedUp}
}

// cleanedUpView is the Cleaned up dialog: the deletes waiting, each with
// its countdown and a Cancel, then the log, newest first.
type cleanedUpView struct {
	w   *Window
	box *fyne.Container
	dlg dialog.Dialog
}

func (w *Window) onCleanedUp() {
	v := &cleanedUpView{w: w, box: container.NewVBox(&widget.Label{Text: lang.L("Reading the clean-up log…")})}
	v.dlg = dialog.NewCustom(lang.L("Cleaned up"), lang.L("Close"), container.NewVScroll(v.box), w.win)
	v.dlg.Resize(fyne.NewSize(720, 480))
	v.dlg.Show()
	v.reload()
}

// reload reads the store off the Fyne goroutine and shows it.
func (v *cleanedUpView) reload() {
	store := v.w.deps.Cleanup
	go func() {
		var waiting []cleanup.Scheduled
		var log []cleanup.Entry
		var err error
		if store != nil {
			if waiting, err = store.Scheduled(""); err == nil {
				log, err = store.Log()
			}
		}
		fyne.Do(func() { v.show(waiting, log, err, time.Now()) })
	}()
}

func (v *cleanedUpView) show(waiting []cleanup.Scheduled, log []cleanup.Entry, err error, now time.Time) {
	para := func(s string) *widget.Label { return &widget.Label{Text: s, Wrapping: fyne.TextWrapWord} }
	heading := func(s string) *widget.Label { return &widget.Label{Text: s, TextStyle: fyne.TextStyle{Bold: true}} }
	var out []fyne.CanvasObject
	if err != nil {
		out = append(out, &widget.Label{Text: lang.L("The clean-up log could not be read: {{.Reason}}", vals{"Reason": explain(err)}), Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance})
	}
	waiting = slices.DeleteFunc(waiting, func(s cleanup.Scheduled) bool { return s.Canceled })
	if len(waiting) > 0 {
		out = append(out, heading(lang.L("Waiting to be deleted permanently")))
		for _, s := range waiting {
			out = append(out, v.waitingRow(s, now))
		}
	}
	out = append(out, heading(lang.L("Log")))
	if len(log) == 0 {
		out = append(out, para(lang.L("Nothing has been cleaned up yet. Each account's setting (Edit account) says whether recordings are kept on the platform after they are downloaded and verified, moved to its trash, or deleted.")))
	}
	for i := len(log) - 1; i >= 0; i-- {
		out = append(out, para(logLine(log[i], now)))
	}
	v.box.Objects = out
	v.box.Refresh()
}

// waitingRow is a scheduled delete with its countdown and a Cancel.
func (v *cleanedUpView) waitingRow(s cleanup.Scheduled, now time.Time) fyne.CanvasObject {
	text := lang.L("“{{.Title}}” ({{.Account}}, {{.Platform}}, {{.Size}}): deleted permanently on {{.Day}} ({{.When}})",
		vals{"Title": s.Title, "Account": s.AccountName, "Platform": s.Platform.Name(), "Size": formatBytes(s.Size),
			"Day": cleanup.Day(s.Due, now), "When": cleanup.Countdown(s.Due, now)})
	label := &widget.Label{Text: text, Wrapping: fyne.TextWrapWord}
	var cancel *widget.Button
	cancel = &widget.Button{Text: lang.L("Cancel"), Icon: theme.CancelIcon(), OnTapped: func() {
		cancel.Disable()
		go func() {
			err := v.w.deps.Cleanup.Cancel(s.AccountID, s.RecordingID, time.Now())
			fyne.Do(func() {
				if err != nil {
					v.w.showError(lang.L("The delete could not be cancelled"), err)
				}
				v.reload()
			})
		}()
	}}
	return container.NewBorder(nil, nil, nil, cancel, label)
}

// logLine is one step of the log: when, which account, what, what became
// of it, which proof showed its files whole, and the platform's answer.
func logLine(e cleanup.Entry, now time.Time) string {
	s := formatDateTime(e.At.Local()) + " · " + e.AccountName + " · “" + e.Title + "” (" + formatBytes(e.Size) + ") · " + outcomeWords(e.Outcome)
	if e.Outcome == cleanup.Planned {
		s = locale.Sentences(s, lang.L("for {{.Day}}", vals{"Day": cleanup.Day(e.Due, now)}))
	}
	seen := map[string]bool{}
	for _, f := range e.Files {
		if p := f.Proof.Sentence(e.Platform); !seen[p] {
			seen[p] = true
			s += " · " + p
		}
	}
	if e.Answer != "" {
		s += " · " + e.Platform.Name() + ": " + e.Answer
	}
	return s
}

// cleanupChoice is the account's setting for after the download, with
// only the choices platform p offers, keep (the default) first; nil when
// it offers nothing but keep (Valt).
func cleanupChoice(p fetch.Platform) *widget.RadioGroup {
	choices := cleanup.Choices(p)
	if len(choices) < 2 {
		return nil
	}
	var options []string
	for _, c := range choices {
		options = append(options, c.Sentence())
	}
	r := &widget.RadioGroup{Options: options, Selected: cleanup.Keep.Sentence(), Required: true}
	r.ExtendBaseWidget(r)
	return r
}

// cleanupField is the account dialog's line for the setting: the choice
// under "After a recording is downloaded and verified:", and what the
// platform allows; for a platform that allows nothing, that alone.
func cleanupField(p fetch.Platform, choice *widget.RadioGroup) fyne.CanvasObject {
	explain := cleanup.Explain(p)
	if choice == nil {
		return &widget.Label{Text: explain, Wrapping: fyne.TextWrapWord}
	}
	if slices.Contains(p.DeleteModes(), fetch.DeleteForever) {
		days := int(cleanup.DefaultGrace / (24 * time.Hour))
		explain = locale.Sentences(explain, lang.N("A permanent delete waits {{.Count}} days, and can be cancelled in Cleaned up until then.", days, vals{"Count": days}))
	}
	return container.NewVBox(
		&widget.Label{Text: lang.L("After a recording is downloaded and verified:")},
		choice,
		&widget.Label{Text: explain, Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText, Importance: widget.LowImportance},
	)
}

// selectPolicy shows an account's setting in the choice.
func selectPolicy(choice *widget.RadioGroup, p cleanup.Policy) {
	if choice != nil && slices.Contains(choice.Options, p.Sentence()) {
		choice.SetSelected(p.Sentence())
	}
}

// chosenPolicy is the setting chosen, stored as "" for keep (the
// default) so that an account never asked keeps its stored form.
func chosenPolicy(choice *widget.RadioGroup) cleanup.Policy {
	if choice == nil {
		return ""
	}
	for _, p := range []cleanup.Policy{cleanup.MoveToTrash, cleanup.Delete} {
		if choice.Selected == p.Sentence() {
			return p
		}
	}
	return ""
}

// forgetScheduled drops the deletes scheduled (or cancelled) under an
// account's old setting, as `cloudreel cleanup -set` does.
func (w *Window) forgetScheduled(accountID string) error {
	if w.deps.Cleanup == nil {
		return nil
	}
	if err := w.deps.Cleanup.Forget(accountID); err != nil {
		return fmt.Errorf("forgetting the deletes scheduled under the old setting: %w", err)
	}
	return nil
}

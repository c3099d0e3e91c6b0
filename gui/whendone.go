package gui

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"cloudreel/fetch/locale"
	"cloudreel/fetch/power"
)

// whenDoneLabel is how Settings names an action.
func whenDoneLabel(a power.Action) string {
	switch a {
	case power.Notify:
		return lang.L("Tell me with a notification")
	case power.Sleep:
		return lang.L("Put the computer to sleep")
	case power.ShutDown:
		return lang.L("Shut the computer down")
	}
	return lang.L("Do nothing")
}

// whenDoneAction is the action Settings' choice names.
func whenDoneAction(label string) power.Action {
	for _, a := range power.Actions {
		if whenDoneLabel(a) == label {
			return a
		}
	}
	return power.Nothing
}

// newWhenDoneSelect is Settings' "When the downloads are done" choice.
func newWhenDoneSelect(a power.Action) *widget.Select {
	var options []string
	for _, a := range power.Actions {
		options = append(options, whenDoneLabel(a))
	}
	s := &widget.Select{Options: options, Selected: whenDoneLabel(a)}
	s.ExtendBaseWidget(s)
	return s
}

// loadWhenDone reads the setting; before there was one, a check box said
// whether to notify, and its choice is kept.
func loadWhenDone(p fyne.Preferences) power.Action {
	if a, err := power.ParseAction(p.String(prefWhenDone)); err == nil && p.String(prefWhenDone) != "" {
		return a
	}
	if p.BoolWithFallback(prefNotify, true) {
		return power.Notify
	}
	return power.Nothing
}

// batchEnd is how a batch of downloads ended: the recordings for the
// banner, the files for the "when the queue is done" setting.
type batchEnd struct {
	done, failed int // recordings downloaded whole, recordings with a file that failed
	files        power.Outcome
}

// onBatchDone says that a batch ended and does what the person chose for
// the end of the queue. It runs on the Fyne goroutine.
func (w *Window) onBatchDone(end batchEnd) {
	folder := w.downloads.lastFolder()
	w.banner.show(end.done, end.failed, folder)
	w.cleanUpAfterBatch()
	// A pause or a cancel means someone is at the computer and chose to
	// stop: they need no notification, and the computer stays on.
	stopped := end.files.Paused > 0 || end.files.Canceled > 0
	switch w.settings.WhenDone {
	case power.Notify:
		if !stopped {
			w.app.SendNotification(fyne.NewNotification("Cloudreel", doneNotification(end, folder)))
		}
	case power.Sleep, power.ShutDown:
		// Only when every file is whole: a failure needs the person.
		if end.files.Finished() {
			w.startCountdown(w.settings.WhenDone)
		}
	}
}

// doneNotification says how many files came down and where, e.g. "5
// files of 2 recordings downloaded to Videos/Cloudreel."
func doneNotification(end batchEnd, folder string) string {
	data := map[string]any{"Files": end.files.Done, "Recordings": end.done, "Folder": displayFolder(folder), "Failed": end.files.Failed}
	var s string
	switch {
	case end.files.Done == 1:
		s = lang.L("1 file downloaded to {{.Folder}}.", data)
	case end.done == 1:
		s = lang.L("{{.Files}} files of 1 recording downloaded to {{.Folder}}.", data)
	case end.files.Done > 0:
		s = lang.L("{{.Files}} files of {{.Recordings}} recordings downloaded to {{.Folder}}.", data)
	default:
		s = lang.L("No file was downloaded.")
	}
	switch end.files.Failed {
	case 0:
	case 1:
		s = locale.Sentences(s, lang.L("1 file could not be downloaded."))
	default:
		s = locale.Sentences(s, lang.L("{{.Failed}} files could not be downloaded.", data))
	}
	return s
}

// countdown is the dialog that counts down before the computer sleeps or
// shuts down, with its Cancel button.
type countdown struct {
	w      *Window
	action power.Action
	dlg    *dialog.CustomDialog
	text   *widget.Label
	cancel context.CancelFunc
}

// countdownSentence says what happens when, e.g. "Cloudreel will put the
// computer to sleep in 60 s."
func countdownSentence(a power.Action, left int) string {
	data := map[string]any{"Seconds": left}
	if a == power.ShutDown {
		return lang.L("Cloudreel will shut the computer down in {{.Seconds}} s.", data)
	}
	return lang.L("Cloudreel will put the computer to sleep in {{.Seconds}} s.", data)
}

// startCountdown shows the countdown and runs the action at its end,
// unless Cancel is tapped or the window closes first. One at a time.
func (w *Window) startCountdown(a power.Action) {
	if w.countdown != nil {
		return
	}
	ctx, cancel := context.WithCancel(w.ctx)
	c := &countdown{w: w, action: a, cancel: cancel}
	c.text = &widget.Label{Text: countdownSentence(a, int(power.CountdownLength.Seconds())), Alignment: fyne.TextAlignCenter}
	cancelButton := &widget.Button{Text: lang.L("Cancel"), Importance: widget.HighImportance, OnTapped: c.onCancel}
	c.dlg = dialog.NewCustomWithoutButtons(lang.L("The downloads are done"), container.NewVBox(c.text, container.NewCenter(cancelButton)), w.win)
	w.countdown = c
	// From the tray, the window comes back: the countdown must be seen.
	w.win.Show()
	w.win.RequestFocus()
	c.dlg.Show()
	sys := w.deps.Power
	if sys == nil {
		sys = power.System{}
	}
	run := power.Countdown{Action: a, OS: sys, Clock: w.deps.PowerClock, Tick: func(left time.Duration) {
		fyne.Do(func() { c.text.SetText(countdownSentence(a, int(left.Seconds()))) })
	}}
	go func() {
		err := run.Run(ctx)
		fyne.Do(func() {
			c.dlg.Hide()
			w.countdown = nil
			if err != nil && !errors.Is(err, power.ErrCanceled) {
				title := lang.L("The computer was not put to sleep")
				if a == power.ShutDown {
					title = lang.L("The computer was not shut down")
				}
				w.showError(title, err)
			}
		})
	}()
}

// onCancel stops the countdown: the computer stays on.
func (c *countdown) onCancel() { c.cancel() }

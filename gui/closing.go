package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
)

// requestClose is what closing the window does. With nothing left to
// download it closes. Otherwise, where the desktop has a tray, the window
// goes to the tray and the files keep downloading; where it has none, it
// asks first, and stops them cleanly (paused, their bytes kept, so that
// they continue the next time Cloudreel opens).
func (w *Window) requestClose() {
	running := 0
	for j := range w.deps.Queue.Summaries() {
		if j.State.Active() {
			running++
		}
	}
	if running == 0 {
		w.win.Close()
		return
	}
	if w.tray != nil {
		w.tray.hide()
		return
	}
	msg := lang.N("{{.Count}} files are still downloading.", running, vals{"Count": running}) + "\n" +
		lang.L("Closing Cloudreel stops them; they continue from where they stopped the next time you open it.")
	d := dialog.NewConfirm(lang.L("Stop the downloads and close?"), msg, func(stop bool) {
		if stop {
			w.stopAndClose()
		}
	}, w.win)
	d.SetConfirmText(lang.L("Stop and close"))
	d.SetDismissText(lang.L("Keep downloading"))
	d.Show()
}

// stopAndClose pauses every download (off the Fyne goroutine: it waits for
// the transfers to stop), then closes the window.
func (w *Window) stopAndClose() {
	q := w.deps.Queue
	go func() {
		q.PauseAll()
		fyne.Do(func() {
			if w.ctx.Err() == nil { // not closed meanwhile
				w.win.Close()
			}
		})
	}()
}

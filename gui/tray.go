package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"

	"cloudreel/assets"
	"cloudreel/fetch"
	"cloudreel/fetch/queue"
)

// prefTrayNoticeShown remembers that the notice saying where Cloudreel
// went was shown: it is said once, not at every close.
const prefTrayNoticeShown = "trayNoticeShown"

// trayNotice is the notice of the first close to the tray. Some Linux
// desktops hide tray icons: starting Cloudreel again brings the window
// back there too.
const trayNotice = "Cloudreel keeps downloading in the background. Open it again from its icon in the system tray (near the clock), or start Cloudreel again."

// tray is Cloudreel's icon in the system tray, where it keeps downloading
// once the window is closed. It exists only where the desktop has a tray
// (Fyne's desktop.App).
type tray struct {
	w     *Window
	desk  desktop.App
	menu  *fyne.Menu
	open  *fyne.MenuItem
	pause *fyne.MenuItem // "Pause all" or "Resume all", after the queue
	sync  *fyne.MenuItem
	quit  *fyne.MenuItem
}

// setUpTray puts the icon in the tray when the app has one.
func (w *Window) setUpTray() {
	if desk, ok := w.app.(desktop.App); ok {
		w.tray = newTray(w, desk)
	}
}

// newTray builds the tray's menu on desk and follows the queue, so that
// Pause all reads Resume all once everything is paused.
func newTray(w *Window, desk desktop.App) *tray {
	t := &tray{w: w, desk: desk}
	t.open = fyne.NewMenuItem(lang.L("Open Cloudreel"), t.onOpen)
	t.pause = fyne.NewMenuItem(lang.L("Pause all"), t.onPauseOrResume)
	t.sync = fyne.NewMenuItem(lang.L("Sync now"), t.onSyncNow)
	t.sync.Disabled = w.deps.SyncNow == nil
	t.quit = fyne.NewMenuItem(lang.L("Quit"), t.onQuit)
	t.quit.IsQuit = true // Fyne adds no Quit of its own beside it
	t.menu = fyne.NewMenu("Cloudreel", t.open, fyne.NewMenuItemSeparator(), t.pause, t.sync, fyne.NewMenuItemSeparator(), t.quit)
	t.refresh()
	desk.SetSystemTrayMenu(t.menu)
	desk.SetSystemTrayIcon(assets.Icon)
	desk.SetSystemTrayWindow(w.win)
	events, unsubscribe := w.deps.Queue.Subscribe()
	go func() {
		defer unsubscribe()
		for {
			select {
			case <-w.ctx.Done():
				return
			case ev, ok := <-events:
				if !ok {
					return
				}
				if ev.Kind != queue.Progress {
					fyne.Do(t.refresh)
				}
			}
		}
	}()
	return t
}

// refresh names the pause item after the queue: Pause all while anything
// waits or downloads, Resume all when only paused files are left.
func (t *tray) refresh() {
	label, disabled := lang.L("Pause all"), true
	active, paused := t.counts()
	switch {
	case active > 0:
		disabled = false
	case paused > 0:
		label, disabled = lang.L("Resume all"), false
	}
	if t.pause.Label == label && t.pause.Disabled == disabled {
		return
	}
	t.pause.Label, t.pause.Disabled = label, disabled
	t.menu.Refresh()
}

func (t *tray) counts() (active, paused int) {
	for j := range t.w.deps.Queue.Summaries() {
		switch {
		case j.State.Active():
			active++
		case j.State == queue.Paused:
			paused++
		}
	}
	return active, paused
}

// hide takes the window away to the tray; the first time, a notice says
// where it went.
func (t *tray) hide() {
	t.w.win.Hide()
	t.refresh()
	prefs := t.w.app.Preferences()
	if !prefs.Bool(prefTrayNoticeShown) {
		prefs.SetBool(prefTrayNoticeShown, true)
		t.w.app.SendNotification(fyne.NewNotification(lang.L("Cloudreel is still running"), lang.L(trayNotice)))
	}
}

// relabel names the menu's items again in the language spoken (after a
// change in Settings).
func (t *tray) relabel() {
	t.open.Label, t.sync.Label, t.quit.Label = lang.L("Open Cloudreel"), lang.L("Sync now"), lang.L("Quit")
	t.pause.Label = "" // refresh names it
	t.refresh()
}

func (t *tray) onOpen() { t.w.Raise() }

// onPauseOrResume pauses or resumes everything, off the Fyne goroutine:
// pausing waits for the transfers to stop.
func (t *tray) onPauseOrResume() {
	q := t.w.deps.Queue
	active, _ := t.counts()
	go func() {
		if active > 0 {
			q.PauseAll()
		} else {
			q.ResumeAll()
		}
		fyne.Do(t.refresh)
	}()
}

// onSyncNow looks at every account kept in sync, off the Fyne goroutine;
// a look that fails is said in a notice (the window may be hidden).
func (t *tray) onSyncNow() {
	syncNow, ctx, log := t.w.deps.SyncNow, t.w.ctx, t.w.deps.Log
	if syncNow == nil {
		return
	}
	go func() {
		if err := syncNow(ctx); err != nil && ctx.Err() == nil {
			log.Warn("sync now", "err", err)
			t.w.app.SendNotification(fyne.NewNotification(lang.L("Sync now did not finish"), fetch.Plain(err)))
		}
	}()
}

// onQuit stops the downloads cleanly (paused, their bytes kept) and quits.
func (t *tray) onQuit() {
	q := t.w.deps.Queue
	go func() {
		q.PauseAll()
		fyne.Do(func() {
			if t.w.ctx.Err() == nil {
				t.w.win.Close()
			}
			t.w.app.Quit()
		})
	}()
}

// Raise shows the window and brings it to the front: from the tray, and
// when Cloudreel is started a second time. Call it on the Fyne goroutine.
func (w *Window) Raise() {
	if w.ctx.Err() != nil {
		return
	}
	w.win.Show()
	w.win.RequestFocus()
}

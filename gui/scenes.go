package gui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"

	"cloudreel/fetch"
)

// PlayScene drives the window into a prepared state, as a person would
// with clicks, for the screenshots in docs/ and the smoke test:
//   - "demo": the Zoom account's recordings with three downloading;
//   - "paused": the same, with the first download paused;
//   - "welcome": the first-run welcome (nothing to do);
//   - "add-account": the add-account dialog for Zoom, filled in by the demo;
//   - "error": an account whose password is wrong.
//
// It waits for the window's background work, so call it in a goroutine.
func (w *Window) PlayScene(name, folder string) {
	switch name {
	case "demo", "paused":
		if !w.waitFor(func() bool { return w.accounts.length() > 0 }) {
			return
		}
		w.selectPlatform(fetch.ZoomSDK)
		if !w.waitFor(func() bool { return w.recordings.model.Total() > 0 && !w.recordings.loading.Visible() }) {
			return
		}
		fyne.Do(func() {
			for i := 0; i < 3; i++ {
				w.recordings.model.Toggle(i)
			}
			w.recordings.table.Refresh()
			w.recordings.downloadTo(folder)
		})
		if name == "paused" {
			var first string
			w.waitFor(func() bool {
				for _, j := range w.downloads.rows.all() {
					if j.Done > 0 {
						first = j.ID
						return true
					}
				}
				return false
			})
			if first != "" {
				_ = w.deps.Queue.Pause(first)
			}
		}
	case "add-account":
		fyne.Do(func() {
			d := newAccountDialog(w, nil)
			d.show()
			d.platform.SetSelected(fetch.ZoomSDK.Name()) // the demo fills in its sample account
		})
	case "error":
		if !w.waitFor(func() bool { return w.accounts.length() > 0 }) {
			return
		}
		w.selectPlatform(fetch.Valt)
	}
}

// selectPlatform selects the first account of a platform.
func (w *Window) selectPlatform(p fetch.Platform) {
	fyne.Do(func() {
		for i, e := range w.accounts.snapshot() {
			if e.account != nil && e.account.Platform == p {
				w.accounts.list.Select(i)
				return
			}
		}
	})
}

// waitFor polls cond (off the Fyne goroutine) for up to 20 seconds.
func (w *Window) waitFor(cond func() bool) bool {
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		ok := false
		fyne.DoAndWait(func() { ok = cond() })
		if ok {
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return false
}

// ResizeTo sets the window's size from "WIDTHxHEIGHT" (the demo's -size,
// for screenshots at the smallest and at a large size). The window never
// gets smaller than what its content needs.
func (w *Window) ResizeTo(size string) error {
	var width, height float32
	if _, err := fmt.Sscanf(size, "%gx%g", &width, &height); err != nil || width <= 0 || height <= 0 {
		return fmt.Errorf("the size %q is not WIDTHxHEIGHT, e.g. 800x560", size)
	}
	w.win.Resize(fyne.NewSize(width, height))
	return nil
}

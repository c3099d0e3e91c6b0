package gui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"cloudreel/fetch"
)

func TestZZProbeTabStops(t *testing.T) {
	h := newHarness(t, smallSim)
	k := keyboard{t, h}
	a := h.addAccount(fetch.Valt, "Probe")
	h.waitLoaded(a)
	h.tick(0, 1)
	h.ui(func() { h.w.recordings.onDownloadSelected() })
	h.eventually("done", func() bool { return len(h.queue.Jobs()) > 0 && allDone(h, len(h.queue.Jobs())) })
	h.ui(func() { h.w.win.Canvas().Unfocus() })
	for i := 0; i < 60; i++ {
		k.press(fyne.KeyTab)
		h.ui(func() {
			f := h.w.win.Canvas().Focused()
			desc := fmt.Sprintf("%T", f)
			if b, ok := f.(*widget.Button); ok {
				desc += " " + b.Text
			}
			if c, ok := f.(*widget.Check); ok {
				desc += " check " + c.Text
			}
			if o, ok := f.(fyne.CanvasObject); ok {
				desc += fmt.Sprintf(" at %v", fyne.CurrentApp().Driver().AbsolutePositionForObject(o))
			}
			t.Log(i, desc)
		})
	}
}

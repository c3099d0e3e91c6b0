package gui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// focusRing draws a ring around the widget that has the keyboard. Fyne
// shows focus with a faint tint (its focus colour is the primary blue at
// 16 % opacity: 1.2:1 against the background, which a person tabbing
// through the window can easily miss) and for a button only that; the ring
// is the theme's primary colour, 4.5:1 on the light background and 4:1 on
// the dark one (theme_test.go), above the 3:1 that WCAG asks of a focus
// indicator. Fyne says nothing when the focus moves, so the ring looks a
// few times a second, redrawing only when something changed. A dialog's
// widgets keep Fyne's tint alone: dialogs are drawn over the content.
type focusRing struct {
	w     *Window
	rect  *canvas.Rectangle
	layer *fyne.Container // no layout: the ring is placed by hand
	at    fyne.Position
	size  fyne.Size
}

// ringWidth is the ring's stroke, and how far it stands off the widget.
const ringWidth = 2

func newFocusRing(w *Window) *focusRing {
	r := &focusRing{w: w, rect: &canvas.Rectangle{StrokeWidth: ringWidth, CornerRadius: theme.InputRadiusSize()}}
	r.rect.Hide()
	r.layer = container.NewWithoutLayout(r.rect)
	return r
}

// over lays the ring over content. The rectangle takes no taps, so every
// click reaches the widgets under it.
func (r *focusRing) over(content fyne.CanvasObject) fyne.CanvasObject {
	return container.NewStack(content, r.layer)
}

// run follows the focus until done is closed (the content is built again
// or the window closes).
func (r *focusRing) run(done <-chan struct{}) {
	t := time.NewTicker(150 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			fyne.Do(r.follow)
		}
	}
}

// follow puts the ring around the focused widget, or hides it.
func (r *focusRing) follow() {
	c := r.w.win.Canvas()
	o, ok := c.Focused().(fyne.CanvasObject)
	if !ok || o == nil || !o.Visible() || c.Overlays().Top() != nil || c.Content() == nil {
		if r.rect.Visible() {
			r.rect.Hide()
		}
		return
	}
	d := fyne.CurrentApp().Driver()
	at := d.AbsolutePositionForObject(o).Subtract(d.AbsolutePositionForObject(r.layer)).SubtractXY(ringWidth, ringWidth)
	size := o.Size().AddWidthHeight(2*ringWidth, 2*ringWidth)
	colour := theme.Color(theme.ColorNamePrimary)
	if r.rect.Visible() && at == r.at && size == r.size && r.rect.StrokeColor == colour {
		return
	}
	r.at, r.size = at, size
	r.rect.StrokeColor = colour
	r.rect.Move(at)
	r.rect.Resize(size)
	r.rect.Show()
	r.rect.Refresh()
}

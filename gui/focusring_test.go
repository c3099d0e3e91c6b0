package gui

import (
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"cloudreel/fetch"
)

// Tab puts a ring of the primary colour around the widget that has the
// keyboard, and the ring moves with it; with a dialog open it hides.
func TestTheFocusRingFollowsTab(t *testing.T) {
	h := newHarness(t, smallSim)
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	k := keyboard{t, h}
	around := func() (fyne.Focusable, bool) {
		var f fyne.Focusable
		ok := false
		h.ui(func() {
			f = h.w.win.Canvas().Focused()
			o, isObj := f.(fyne.CanvasObject)
			r := h.w.ring.rect
			if !isObj || !r.Visible() {
				return
			}
			d := fyne.CurrentApp().Driver()
			want := d.AbsolutePositionForObject(o).SubtractXY(ringWidth, ringWidth)
			ok = d.AbsolutePositionForObject(r) == want && r.Size() == o.Size().AddWidthHeight(2*ringWidth, 2*ringWidth) &&
				r.StrokeColor == theme.Color(theme.ColorNamePrimary) && r.StrokeWidth >= 2
		})
		return f, ok
	}
	var seen []fyne.Focusable
	for i := 0; i < 3; i++ {
		k.press(fyne.KeyTab)
		h.eventually("the ring around the focused widget", func() bool { _, ok := around(); return ok })
		f, _ := around()
		seen = append(seen, f)
	}
	if seen[0] == seen[1] || seen[1] == seen[2] {
		t.Errorf("Tab did not move the keyboard: %T %T %T", seen[0], seen[1], seen[2])
	}
	k.ctrl(fyne.KeySlash, false)
	h.eventually("the ring to hide under Help", func() bool {
		hidden := false
		h.ui(func() { hidden = !h.w.ring.rect.Visible() })
		return hidden
	})
}

// The ring stands out from the window's background by at least 3:1 (WCAG
// 2.2's non-text contrast, asked of focus indicators), light and dark.
func TestTheFocusRingContrast(t *testing.T) {
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		th := newReadableTheme(true, v)
		ring, bg := th.Color(theme.ColorNamePrimary, v), th.Color(theme.ColorNameBackground, v)
		if r := contrast(ring, bg); r < 3 {
			t.Errorf("variant %d: the ring is %.2f:1 on the background", v, r)
		} else {
			t.Logf("variant %d: ring %.2f:1 on the background; Fyne's own focus tint %.2f:1", v, r,
				contrast(blendOver(th.Color(theme.ColorNameFocus, v), bg), bg))
		}
	}
}

// blendOver is the opaque colour of c drawn over bg.
func blendOver(c, bg color.Color) color.Color {
	f, b := color.NRGBAModel.Convert(c).(color.NRGBA), color.NRGBAModel.Convert(bg).(color.NRGBA)
	a := float64(f.A) / 255
	mix := func(x, y uint8) uint8 { return uint8(float64(x)*a + float64(y)*(1-a) + 0.5) }
	return color.NRGBA{R: mix(f.R, b.R), G: mix(f.G, b.G), B: mix(f.B, b.B), A: 0xff}
}

package gui

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// luminance is a colour's relative luminance as WCAG 2 defines it.
func luminance(c color.Color) float64 {
	r, g, b, _ := color.NRGBAModel.Convert(c).RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// contrast is the WCAG 2 contrast ratio of two colours, 1 to 21.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func TestContrastOfTheFormulaItself(t *testing.T) {
	// WCAG's own reference points: black on white is 21:1, and #767676 on
	// white the palest grey that passes AA (4.54:1).
	if got := contrast(color.Black, color.White); math.Abs(got-21) > 0.01 {
		t.Fatalf("black on white: %.2f", got)
	}
	if got := contrast(grey(0x76), color.White); math.Abs(got-4.54) > 0.01 {
		t.Fatalf("#767676 on white: %.2f", got)
	}
}

// TestThemeContrast applies each theme choice of Settings as the window
// does and measures, from the applied theme's colours, every text colour
// and the unticked box's border on every background they are drawn on.
func TestThemeContrast(t *testing.T) {
	h := newHarness(t, smallSim)
	texts := map[fyne.ThemeColorName]string{
		theme.ColorNameForeground:  "text",
		theme.ColorNameDisabled:    "secondary (grey) text",
		theme.ColorNamePlaceHolder: "hints and placeholders",
		theme.ColorNameError:       "errors",
		theme.ColorNameSuccess:     "successes",
		theme.ColorNameWarning:     "warnings",
		theme.ColorNameHyperlink:   "links",
	}
	backgrounds := []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameOverlayBackground,
		theme.ColorNameInputBackground, theme.ColorNameHeaderBackground}
	for _, choice := range []struct {
		setting string
		variant fyne.ThemeVariant
	}{{themeLight, theme.VariantLight}, {themeDark, theme.VariantDark}, {themeSystem, theme.VariantLight}, {themeSystem, theme.VariantDark}} {
		var th fyne.Theme
		h.ui(func() {
			h.w.settings.Theme = choice.setting
			h.w.settings.apply(h.app, h.queue)
			th = h.app.Settings().Theme()
		})
		name := choice.setting
		if choice.setting == themeSystem {
			name += map[fyne.ThemeVariant]string{theme.VariantLight: " (light)", theme.VariantDark: " (dark)"}[choice.variant]
		}
		for fg, what := range texts {
			for _, bg := range backgrounds {
				if r := contrast(th.Color(fg, choice.variant), th.Color(bg, choice.variant)); r < 4.5 {
					t.Errorf("%s theme: %s (%s) on %s: %.2f:1, want at least 4.5:1", name, what, fg, bg, r)
				}
			}
		}
		// An unticked box is its border drawn over the input background, on
		// the window's or a dialog's background.
		for _, bg := range []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameOverlayBackground, theme.ColorNameInputBackground} {
			if r := contrast(th.Color(theme.ColorNameInputBorder, choice.variant), th.Color(bg, choice.variant)); r < 4.5 {
				t.Errorf("%s theme: the unticked box's border on %s: %.2f:1, want at least 4.5:1", name, bg, r)
			}
		}
		// Disabled buttons write their text on their own background.
		if r := contrast(th.Color(theme.ColorNameDisabled, choice.variant), th.Color(theme.ColorNameDisabledButton, choice.variant)); r < 4.5 {
			t.Errorf("%s theme: a disabled button's text: %.2f:1", name, r)
		}
	}
}

// TestSecondaryTextIsDrawnReadable looks at what the window draws: the
// downloads panel's grey "Nothing downloading" line and an unticked box, in
// the dark theme.
func TestSecondaryTextIsDrawnReadable(t *testing.T) {
	h := newHarness(t, smallSim)
	h.ui(func() {
		h.w.settings.Theme = themeDark
		h.w.settings.apply(h.app, h.queue)
		h.w.win.Content().Refresh()
		bg := h.app.Settings().Theme().Color(theme.ColorNameBackground, theme.VariantDark)
		texts := find(h.w.downloads.empty, func(c *canvas.Text) bool { return c.Text != "" })
		if len(texts) == 0 {
			t.Fatal("the empty downloads panel draws no text")
		}
		for _, c := range texts {
			if r := contrast(c.Color, bg); r < 4.5 {
				t.Errorf("%q is drawn at %.2f:1 on the dark background", c.Text, r)
			}
		}
		box := &widget.Check{Text: "Skip recordings already downloaded"}
		test.NewWindow(box).Resize(fyne.NewSize(300, 60))
		var border color.Color
		for _, img := range find(box, (func(*canvas.Image) bool)(nil)) {
			if r, ok := img.Resource.(*theme.ThemedResource); ok && r.ColorName == theme.ColorNameInputBorder {
				border = h.app.Settings().Theme().Color(r.ColorName, theme.VariantDark)
			}
		}
		if border == nil {
			t.Fatal("the unticked box draws no border")
		}
		if r := contrast(border, bg); r < 4.5 {
			t.Errorf("the unticked box's border is %.2f:1 on the dark background", r)
		}
	})
}

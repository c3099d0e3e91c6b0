package gui

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cloudreel/fetch"
)

// defaultSize is the size the window opens at (New).
var defaultSize = fyne.NewSize(1180, 760)

// fitCheck counts what it measured, and what did not fit.
type fitCheck struct {
	measured  int
	truncated []string // labels cut with an ellipsis, as designed
	problems  []string
}

// fit measures every visible text-bearing widget under root: a label that
// neither wraps nor truncates, a button, a tick box, a choice, must be
// given at least its minimum width; a wrapping label at least the height
// its lines need; and, outside scrolled areas (tables, lists, scroll
// boxes), nothing may reach past the right or bottom edge of the window.
func (f *fitCheck) fit(screen string, root fyne.CanvasObject, window fyne.Size) {
	d := fyne.CurrentApp().Driver()
	layOut(root)
	const slack = 0.5
	var walk func(o, parent fyne.CanvasObject, scrolled bool)
	walk = func(o, parent fyne.CanvasObject, scrolled bool) {
		if o == nil || !o.Visible() {
			return
		}
		name, text := "", ""
		min, size := o.MinSize(), o.Size()
		if title, ok := dialogTitle(o, parent); ok {
			// Fyne's dialogs never size their title: it is drawn at its
			// own width from the dialog's left, and must end inside it.
			size = min
			if right := d.AbsolutePositionForObject(o).X + min.Width; right > d.AbsolutePositionForObject(parent).X+parent.Size().Width+slack {
				f.problems = append(f.problems, fmt.Sprintf("%s: the title %q runs past its dialog", screen, title))
			}
		}
		switch w := o.(type) {
		case *widget.Label:
			if w.Text == "" {
				break
			}
			name, text = "label", w.Text
			switch {
			case w.Truncation != fyne.TextTruncateOff:
				if min.Width > size.Width+slack || labelCut(w) {
					f.truncated = append(f.truncated, fmt.Sprintf("%s: %q", screen, w.Text))
				}
				name = "" // cut on purpose: measured, never an overflow
				f.measured++
			case w.Wrapping != fyne.TextWrapOff:
				if min.Height > size.Height+slack {
					f.problems = append(f.problems, fmt.Sprintf("%s: label %q needs %.0f px of height, has %.0f", screen, w.Text, min.Height, size.Height))
				}
				name = ""
				f.measured++
			}
		case *widget.Button:
			name, text = "button", w.Text
		case *widget.Check:
			name, text = "tick box", w.Text
		case *tickBox:
			name, text = "tick box", w.Text
		case *cellButton:
			name, text = "button", w.Text
		case *widget.Select:
			name, text = "choice", w.Selected
			// A Select cuts its words to fit rather than asking for room.
			th := w.Theme()
			pad := th.Size(theme.SizeNameInnerPadding)
			need := fyne.MeasureText(w.Selected, th.Size(theme.SizeNameText), fyne.TextStyle{}).Width + 4*pad + th.Size(theme.SizeNameInlineIcon)
			if need > size.Width+slack {
				f.problems = append(f.problems, fmt.Sprintf("%s: choice %q is cut: needs %.0f px, has %.0f", screen, w.Selected, need, size.Width))
			}
		case *widget.RadioGroup:
			name, text = "choices", strings.Join(w.Options, "/")
		}
		if name != "" {
			f.measured++
			if min.Width > size.Width+slack {
				f.problems = append(f.problems, fmt.Sprintf("%s: %s %q needs %.0f px, has %.0f", screen, name, text, min.Width, size.Width))
			}
		}
		if !scrolled && (name != "" || isText(o)) {
			at := d.AbsolutePositionForObject(o)
			if at.X+size.Width > window.Width+slack || at.Y+size.Height > window.Height+slack {
				f.problems = append(f.problems, fmt.Sprintf("%s: %T %q reaches %.0f×%.0f, past the window's %.0f×%.0f", screen, o, text, at.X+size.Width, at.Y+size.Height, window.Width, window.Height))
			}
		}
		switch o.(type) {
		case *container.Scroll, *widget.Table, *widget.List, *widget.Tree, *widget.GridWrap:
			scrolled = true
		}
		switch c := o.(type) {
		case *fyne.Container:
			for _, child := range c.Objects {
				walk(child, o, scrolled)
			}
		case fyne.Widget:
			for _, child := range test.WidgetRenderer(c).Objects() {
				walk(child, o, scrolled)
			}
		}
	}
	walk(root, nil, false)
}

// dialogTitle reports whether o is the title of a Fyne dialog: the label
// its layout (dialog.dialogLayout, unexported) leaves unsized.
func dialogTitle(o, parent fyne.CanvasObject) (string, bool) {
	l, ok := o.(*widget.Label)
	c, isBox := parent.(*fyne.Container)
	if !ok || !isBox || c.Layout == nil || !o.Size().IsZero() {
		return "", false
	}
	return l.Text, fmt.Sprintf("%T", c.Layout) == "*dialog.dialogLayout"
}

// layOut lays out everything under o from the top down, as the desktop
// driver does before a frame when something was shown, hidden or given new
// words; the test driver lays out only what is resized or refreshed.
func layOut(o fyne.CanvasObject) {
	if o == nil || !o.Visible() {
		return
	}
	switch c := o.(type) {
	case *fyne.Container:
		if c.Layout != nil {
			c.Layout.Layout(c.Objects, c.Size())
		}
		for _, child := range c.Objects {
			layOut(child)
		}
	case fyne.Widget:
		r := test.WidgetRenderer(c)
		r.Layout(c.Size())
		for _, child := range r.Objects() {
			layOut(child)
		}
	}
}

// isText is a label with words in it.
func isText(o fyne.CanvasObject) bool {
	l, ok := o.(*widget.Label)
	return ok && l.Text != ""
}

// labelCut reports whether a truncating label shows fewer words than it
// holds (its drawn text ends in an ellipsis).
func labelCut(l *widget.Label) bool {
	for _, o := range rendered(l) {
		if v := reflect.ValueOf(o); v.Kind() == reflect.Pointer {
			if t, ok := o.(interface{ MinSize() fyne.Size }); ok && t != nil {
				if s := fmt.Sprint(reflect.Indirect(v).FieldByName("Text")); strings.HasSuffix(s, "…") && !strings.HasSuffix(l.Text, "…") {
					return true
				}
			}
		}
	}
	return false
}

// The main screens, in each language, at the size the window opens at:
// the welcome, the recordings of accounts with a finished download in the
// downloads panel, the add-account dialog of each platform, Settings,
// Help and About. No label, button or choice is drawn smaller than its
// words need, nor past the window's edge; labels made to be cut with an
// ellipsis (titles, file names) are counted apart.
func TestNothingOverflowsInAnyLanguage(t *testing.T) {
	for _, tag := range []string{"en", "zh-Hans", "es"} {
		t.Run(tag, func(t *testing.T) {
			speak(t, tag)
			h := newHarness(t, smallSim)
			var f fitCheck
			h.ui(func() {
				h.w.win.Resize(defaultSize)
				f.fit("welcome", h.content(), defaultSize)
			})
			for _, p := range fetch.Platforms {
				h.addAccount(p, "School "+p.Title())
			}
			h.ui(func() {
				v := h.w.recordings
				v.model.Toggle(0)
				v.onDownloadSelected()
			})
			h.eventually("the download to finish", func() bool {
				jobs := h.queue.Jobs()
				return len(jobs) > 0 && allDone(h, len(jobs))
			})
			h.eventually("the downloads panel to show it", func() bool {
				shown := false
				h.ui(func() { shown = len(find(h.w.downloads.list, (func(*jobRowView) bool)(nil))) > 0 })
				return shown
			})
			h.ui(func() {
				h.w.win.Resize(defaultSize)
				f.fit("recordings and downloads", h.content(), defaultSize)
			})
			dialogs := map[string]func(){
				"settings": h.w.onSettings,
				"help":     h.w.onHelp,
				"about":    h.w.onAbout,
			}
			for _, p := range fetch.Platforms {
				dialogs["add "+p.Title()] = func() {
					d := newAccountDialog(h.w, nil)
					d.show()
					d.platform.SetSelected(p.Title())
				}
			}
			for name, open := range dialogs {
				h.ui(func() {
					open()
					if h.overlay() == nil {
						t.Fatalf("%s opened no dialog", name)
					}
					f.fit(name, h.overlay(), defaultSize)
					h.overlay().Hide()
					h.w.win.Canvas().Overlays().Remove(h.overlay())
				})
			}
			t.Logf("%s: %d widgets measured, %d labels cut with an ellipsis", tag, f.measured, len(f.truncated))
			for _, s := range f.truncated {
				t.Logf("  cut: %s", s)
			}
			if len(f.problems) > 0 {
				t.Errorf("%d things do not fit:\n%s", len(f.problems), strings.Join(f.problems, "\n"))
			}
		})
	}
}

// The check itself finds a label squeezed into a cell too narrow for it,
// a wrapped label given too few lines and a button past the window's edge.
func TestFitFindsWhatOverflows(t *testing.T) {
	test.NewTempApp(t)
	wrapped := &widget.Label{Text: "Una frase bastante larga que necesita varias líneas", Wrapping: fyne.TextWrapWord}
	squeezed := widget.NewLabel("Comprobar archivos descargados")
	past := widget.NewButton("Ajustes", nil)
	box := container.NewWithoutLayout(squeezed, wrapped, past)
	w := test.NewTempWindow(t, box)
	w.Resize(fyne.NewSize(400, 300))
	squeezed.Resize(fyne.NewSize(60, squeezed.MinSize().Height))
	wrapped.Resize(fyne.NewSize(120, 20))
	wrapped.Move(fyne.NewPos(0, 60))
	past.Resize(past.MinSize())
	past.Move(fyne.NewPos(370, 0))
	var f fitCheck
	f.fit("test", box, fyne.NewSize(400, 300))
	got := strings.Join(f.problems, "\n")
	for _, want := range []string{`label "Comprobar archivos descargados" needs`, `label "Una frase`, `"Ajustes" reaches`} {
		if !strings.Contains(got, want) {
			t.Errorf("fit misses %s; it says:\n%s", want, got)
		}
	}
}

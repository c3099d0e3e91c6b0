package gui

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

// checkShown fails unless the table draws the model's rows, in order,
// from the top.
func checkShown(t *testing.T, h *harness) {
	t.Helper()
	shown, model := h.tableTitles(), modelTitles(h.w.recordings.model)
	if len(shown) == 0 || len(shown) > len(model) || !slices.Equal(shown, model[:len(shown)]) {
		t.Errorf("the table shows %q, the model's rows are %q", shown, model)
	}
}

func headerTexts(h *harness) []string {
	var out []string
	for _, b := range find(h.w.recordings.table, func(b *widget.Button) bool { return b.Text != "" }) {
		out = append(out, b.Text)
	}
	return out
}

func TestListSortFilterAndTick(t *testing.T) {
	h := newHarness(t, smallSim)
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	recent := h.recent(fetch.ZoomSDK)
	if len(recent) < 4 {
		t.Fatalf("the simulator has only %d recordings in the last 30 days; the test needs a few", len(recent))
	}
	var newestFirst []string
	for _, r := range recent {
		newestFirst = append(newestFirst, r.Title)
	}
	v := h.w.recordings

	// Listed: every recording of the last 30 days, newest first.
	h.ui(func() {
		if got := modelTitles(v.model); !slices.Equal(got, newestFirst) {
			t.Errorf("rows %q, want the simulator's %q", got, newestFirst)
		}
		checkShown(t, h)
		if !slices.Contains(headerTexts(h), "Date ▼") {
			t.Errorf("headers %q do not show the date sort", headerTexts(h))
		}
		if got, want := v.summary.Text, fmt.Sprintf("%d recordings", len(recent)); got != want {
			t.Errorf("summary %q, want %q", got, want)
		}
		if !v.download.Disabled() {
			t.Error("Download selected is enabled with nothing ticked")
		}
	})

	// Sorted by a tap on the Title header: A to Z, then Z to A.
	ascending := slices.Clone(newestFirst)
	slices.SortStableFunc(ascending, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	h.ui(func() {
		test.Tap(button(t, v.table, "Title"))
		if got := modelTitles(v.model); !slices.Equal(got, ascending) {
			t.Errorf("after one tap on Title: %q, want %q", got, ascending)
		}
		checkShown(t, h)
		button(t, v.table, "Title ▲")
		button(t, v.table, "Date")

		test.Tap(button(t, v.table, "Title ▲"))
		got := modelTitles(v.model)
		if !slices.IsSortedFunc(got, func(a, b string) int { return strings.Compare(strings.ToLower(b), strings.ToLower(a)) }) ||
			!slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(ascending))) {
			t.Errorf("after two taps on Title: %q, want Z to A", got)
		}
		checkShown(t, h)
		button(t, v.table, "Title ▼")
	})

	// Filtered as one types in the search box.
	word, matching := filterWord(recent)
	h.ui(func() {
		test.Type(v.search, word)
		got := modelTitles(v.model)
		slices.Sort(got)
		if !slices.Equal(got, matching) {
			t.Errorf("searching %q shows %q, want %q", word, got, matching)
		}
		checkShown(t, h)
		want := fmt.Sprintf("%d recordings", len(matching))
		if len(matching) == 1 {
			want = "1 recording"
		}
		if v.summary.Text != want {
			t.Errorf("summary %q while filtered, want %q", v.summary.Text, want)
		}
		v.search.SetText("")
		if v.model.Len() != len(recent) {
			t.Errorf("%d rows after the search was cleared, want %d", v.model.Len(), len(recent))
		}
	})

	// Ticked with the tick boxes; select all and none.
	var total int64
	for _, r := range recent {
		for _, f := range r.Files {
			total += f.Size
		}
	}
	h.tick(0, 2)
	h.ui(func() {
		r0, _ := v.model.Row(0)
		r2, _ := v.model.Row(2)
		if !r0.ticked || !r2.ticked {
			t.Fatalf("rows 0 and 2 not ticked after a tap on their boxes")
		}
		want := fmt.Sprintf("2 of %d ticked (%s)", len(recent), formatBytes(r0.rec.Size()+r2.rec.Size()))
		if v.summary.Text != want {
			t.Errorf("summary %q, want %q", v.summary.Text, want)
		}
		if v.download.Disabled() {
			t.Error("Download selected is disabled with two rows ticked")
		}
		test.Tap(button(t, v.root, "Select all"))
		if want := fmt.Sprintf("%d of %d ticked (%s)", len(recent), len(recent), formatBytes(total)); v.summary.Text != want {
			t.Errorf("after Select all: %q, want %q", v.summary.Text, want)
		}
		if n := len(find(v.table, func(c *tickBox) bool { return !c.Checked })); n != 0 {
			t.Errorf("%d tick boxes on screen are empty after Select all", n)
		}
		test.Tap(button(t, v.root, "Select none"))
		if want := fmt.Sprintf("%d recordings", len(recent)); v.summary.Text != want {
			t.Errorf("after Select none: %q, want %q", v.summary.Text, want)
		}
		if n := len(find(v.table, func(c *tickBox) bool { return c.Checked })); n != 0 {
			t.Errorf("%d tick boxes on screen are ticked after Select none", n)
		}
		if !v.download.Disabled() {
			t.Error("Download selected is enabled after Select none")
		}
	})
}

// filterWord picks a word in some titles but not all, and the titles that
// have it, sorted.
func filterWord(recs []*sim.Recording) (string, []string) {
	for _, w := range []string{"meeting", "staff", "session", "review", "lab", "training", "briefing", "science"} {
		var match []string
		for _, r := range recs {
			if strings.Contains(strings.ToLower(r.Title), w) {
				match = append(match, r.Title)
			}
		}
		if len(match) > 0 && len(match) < len(recs) {
			slices.Sort(match)
			return strings.ToUpper(w[:1]) + w[1:], match // typed with a capital: the search ignores case
		}
	}
	return "", nil
}

func TestTapOnATitleTicksItsRow(t *testing.T) {
	h := newHarness(t, smallSim)
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	v := h.w.recordings
	h.ui(func() {
		l := h.titleLabel(1)
		if l == nil {
			t.Fatal("row 1 is not on screen")
		}
		drv := fyne.CurrentApp().Driver()
		pos := drv.AbsolutePositionForObject(l).Subtract(drv.AbsolutePositionForObject(v.table)).Add(fyne.NewPos(4, 4))
		test.TapAt(v.table, pos)
		r, _ := v.model.Row(1)
		if !r.ticked {
			t.Fatal("a tap on row 1's title did not tick it")
		}
		if n := len(v.model.Ticked()); n != 1 {
			t.Errorf("%d rows ticked, want 1", n)
		}
	})
}

// pressKey sends a key as Fyne's desktop driver does: to the focused
// widget, or to the canvas when nothing has focus.
func pressKey(c fyne.Canvas, name fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: name}
	if f := c.Focused(); f != nil {
		f.TypedKey(ev)
	} else if k := c.OnTypedKey(); k != nil {
		k(ev)
	}
}

// pressShortcut sends a shortcut as Fyne's desktop driver does: to the
// focused widget if it takes shortcuts, or else to the canvas. Ctrl+A
// arrives as fyne.ShortcutSelectAll.
func pressShortcut(t *testing.T, c fyne.Canvas, s fyne.Shortcut) {
	t.Helper()
	if f, ok := c.Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(s)
		return
	}
	shortcutable(t, c).TypedShortcut(s)
}

// tapCell taps visible row r of the table in column c, as a click does.
func tapCell(t *testing.T, h *harness, r int, c Column) {
	t.Helper()
	v := h.w.recordings
	title := h.titleLabel(r)
	if title == nil {
		t.Fatalf("row %d is not on screen", r)
	}
	drv := fyne.CurrentApp().Driver()
	header := find(v.table, func(b *widget.Button) bool {
		return strings.HasPrefix(b.Text, columnTitles[c]) && columnTitles[c] != ""
	})
	if len(header) == 0 {
		t.Fatalf("no %q column on screen", columnTitles[c])
	}
	x := drv.AbsolutePositionForObject(header[0]).X + 4
	y := drv.AbsolutePositionForObject(title).Y + 4
	test.TapAt(v.table, fyne.NewPos(x, y).Subtract(drv.AbsolutePositionForObject(v.table)))
}

func TestKeyboard(t *testing.T) {
	h := newHarness(t, smallSim)
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	v := h.w.recordings
	n := len(h.recent(fetch.ZoomSDK))
	h.ui(func() {
		c := h.w.win.Canvas()
		shortcuts := shortcutable(t, c)
		shortcuts.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault})
		if c.Focused() != v.search {
			t.Errorf("Ctrl+F focused %v, not the search box", c.Focused())
		}
		c.Unfocus()
		pressShortcut(t, c, &fyne.ShortcutSelectAll{})
		if got := len(v.model.Ticked()); got != n {
			t.Errorf("Ctrl+A with nothing focused ticked %d rows, want %d", got, n)
		}
		test.Tap(button(t, v.root, "Select none"))

		// A click on a row gives the table the keyboard: Ctrl+A still
		// ticks every row.
		tapCell(t, h, 1, ColTitle)
		if c.Focused() != v.table {
			t.Fatalf("a click on a row focused %v, not the table", c.Focused())
		}
		pressShortcut(t, c, &fyne.ShortcutSelectAll{})
		if got := len(v.model.Ticked()); got != n {
			t.Errorf("Ctrl+A after a click on a row ticked %d rows, want %d", got, n)
		}
		test.Tap(button(t, v.root, "Select none"))

		// A click on a date moves the keyboard there without ticking;
		// Space ticks that row.
		tapCell(t, h, 2, ColDate)
		if len(v.model.Ticked()) != 0 {
			t.Fatal("a click on a date ticked the row")
		}
		pressKey(c, fyne.KeySpace)
		r, _ := v.model.Row(2)
		if !r.ticked || len(v.model.Ticked()) != 1 {
			t.Errorf("Space after a click on row 2 did not tick row 2 alone")
		}
		// The arrows move the keyboard; Space follows them.
		pressKey(c, fyne.KeyDown)
		pressKey(c, fyne.KeySpace)
		if r, _ := v.model.Row(3); !r.ticked || len(v.model.Ticked()) != 2 {
			t.Errorf("Down then Space did not tick row 3")
		}
		pressKey(c, fyne.KeyReturn) // the table has the keyboard
	})
	recent := h.recent(fetch.ZoomSDK) // the default sort is the simulator's: newest first
	want := map[string]bool{recent[2].ID: true, recent[3].ID: true}
	h.eventually("Enter to queue the ticked rows' files", func() bool {
		return len(h.queue.Jobs()) == len(recent[2].Files)+len(recent[3].Files)
	})
	for _, j := range h.queue.Jobs() {
		if !want[j.RecordingID] {
			t.Errorf("Enter queued %s of another recording", j.Path)
		}
	}
}

func TestEnterAfterATickBox(t *testing.T) {
	h := newHarness(t, smallSim)
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	h.tick(3)
	h.ui(func() {
		c := h.w.win.Canvas()
		if c.Focused() == nil {
			t.Fatal("a click on a tick box left nothing focused: the test would not show what a focused box does")
		}
		pressKey(c, fyne.KeyReturn)
	})
	r3 := h.recent(fetch.ZoomSDK)[3]
	h.eventually("Enter after a tick box to queue its row", func() bool { return len(h.queue.Jobs()) == len(r3.Files) })
	for _, j := range h.queue.Jobs() {
		if j.RecordingID != r3.ID {
			t.Errorf("Enter queued %s of another recording", j.Path)
		}
	}
}

func TestEscapeClearsTheSearch(t *testing.T) {
	h := newHarness(t, smallSim)
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	v := h.w.recordings
	word, matching := filterWord(h.recent(fetch.ZoomSDK))
	all := len(h.recent(fetch.ZoomSDK))
	h.ui(func() {
		c := h.w.win.Canvas()
		c.Focus(v.search) // a click in the box
		test.Type(v.search, word)
		if v.model.Len() != len(matching) {
			t.Fatalf("searching %q shows %d rows, want %d", word, v.model.Len(), len(matching))
		}
		if c.Focused() != v.search {
			t.Fatalf("typing left %v focused, not the search box", c.Focused())
		}
		pressKey(c, fyne.KeyEscape)
		if v.search.Text != "" || v.model.Len() != all {
			t.Errorf("Escape in the search box: search %q, %d rows; want it empty and %d rows", v.search.Text, v.model.Len(), all)
		}

		// From the table too, once a row was clicked.
		test.Type(v.search, word)
		tapCell(t, h, 0, ColDate)
		if c.Focused() != v.table {
			t.Fatalf("a click on a row focused %v, not the table", c.Focused())
		}
		pressKey(c, fyne.KeyEscape)
		if v.search.Text != "" || v.model.Len() != all {
			t.Errorf("Escape in the table: search %q, %d rows; want it empty and %d rows", v.search.Text, v.model.Len(), all)
		}

		// Enter in the search box, with nothing ticked, goes to the rows
		// found: Space then ticks the first.
		c.Focus(v.search)
		test.Type(v.search, word)
		pressKey(c, fyne.KeyReturn)
		if c.Focused() != v.table {
			t.Fatalf("Enter in the search box left %v focused, not the table", c.Focused())
		}
		pressKey(c, fyne.KeySpace)
		if got := v.model.Ticked(); len(got) != 1 || got[0].Title != modelTitles(v.model)[0] {
			t.Errorf("Space after Enter in the search box ticked %v, want the first row found", got)
		}
	})
}

// shortcutable is the canvas's shortcut handler: the test canvas wraps the
// software canvas, which has it, in a type that does not show it.
func shortcutable(t *testing.T, c fyne.Canvas) fyne.Shortcutable {
	t.Helper()
	if s, ok := c.(fyne.Shortcutable); ok {
		return s
	}
	v := reflect.ValueOf(c)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() == reflect.Struct {
		if f := v.FieldByName("WindowlessCanvas"); f.IsValid() && f.CanInterface() {
			if s, ok := f.Interface().(fyne.Shortcutable); ok {
				return s
			}
		}
	}
	t.Fatalf("the canvas %T takes no shortcuts", c)
	return nil
}

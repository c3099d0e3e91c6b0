package gui

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"cloudreel/accounts"
	"cloudreel/fetch"
)

// keyboard presses keys on the window as Fyne's desktop driver hands them
// on (internal/driver/glfw/window.go, processKeyPressed): Tab and
// Shift+Tab move the focus; a combination with Ctrl goes to the focused
// widget if it takes shortcuts, else to the window's; any other key goes to
// the focused widget, else to the window; Space also types a ' ', as the
// driver's character callback does. It never taps.
type keyboard struct {
	t *testing.T
	h *harness
}

func (k keyboard) canvas() fyne.Canvas { return k.h.w.win.Canvas() }

// press presses one key with no modifier.
func (k keyboard) press(name fyne.KeyName) {
	k.t.Helper()
	k.h.ui(func() {
		c := k.canvas()
		switch name {
		case fyne.KeyTab:
			c.FocusNext()
			return
		}
		ev := &fyne.KeyEvent{Name: name}
		if f := c.Focused(); f != nil {
			f.TypedKey(ev)
		} else if on := c.OnTypedKey(); on != nil {
			on(ev)
		}
		if name == fyne.KeySpace {
			if f := c.Focused(); f != nil {
				f.TypedRune(' ')
			}
		}
	})
}

// ctrl presses Ctrl (⌘) with key, and Shift too when shift is set.
func (k keyboard) ctrl(key fyne.KeyName, shift bool) {
	k.t.Helper()
	mods := fyne.KeyModifierShortcutDefault
	if shift {
		mods |= fyne.KeyModifierShift
	}
	var s fyne.Shortcut = &desktop.CustomShortcut{KeyName: key, Modifier: mods}
	if key == fyne.KeyA && !shift {
		s = &fyne.ShortcutSelectAll{}
	}
	k.h.ui(func() {
		c := k.canvas()
		if f, ok := c.Focused().(fyne.Shortcutable); ok {
			f.TypedShortcut(s)
			return
		}
		windowShortcuts(k.t, c).TypedShortcut(s)
	})
}

// shortcut presses a combination the window's canvas handles, as ctrl
// does for those with Ctrl.
func (k keyboard) shortcut(s fyne.Shortcut) {
	k.t.Helper()
	k.h.ui(func() {
		c := k.canvas()
		if f, ok := c.Focused().(fyne.Shortcutable); ok {
			f.TypedShortcut(s)
			return
		}
		windowShortcuts(k.t, c).TypedShortcut(s)
	})
}

// windowShortcuts is the handler of the shortcuts added to c, as the
// desktop driver calls it. The test driver's canvas wraps the software
// canvas that holds them, in an exported field of an unexported type.
func windowShortcuts(t *testing.T, c fyne.Canvas) fyne.Shortcutable {
	t.Helper()
	if s, ok := c.(fyne.Shortcutable); ok {
		return s
	}
	v := reflect.ValueOf(c)
	if v.Kind() == reflect.Pointer && v.Elem().Kind() == reflect.Struct && v.Elem().NumField() > 0 {
		if s, ok := v.Elem().Field(0).Interface().(fyne.Shortcutable); ok {
			return s
		}
	}
	t.Fatalf("the canvas %T has no shortcuts to press", c)
	return nil
}

// typeText types text into the focused widget, a character at a time.
func (k keyboard) typeText(text string) {
	k.t.Helper()
	k.h.ui(func() {
		f := k.canvas().Focused()
		if f == nil {
			k.t.Fatalf("typing %q with nothing focused", text)
		}
		for _, r := range text {
			f.TypedRune(r)
		}
	})
}

// tabTo presses Tab until the focused widget is the one what describes,
// as a person does who reads the screen; at most 80 times.
func (k keyboard) tabTo(what string, is func(fyne.Focusable) bool) {
	k.t.Helper()
	for i := 0; i < 80; i++ {
		k.press(fyne.KeyTab)
		found := false
		k.h.ui(func() { found = is(k.canvas().Focused()) })
		if found {
			return
		}
	}
	k.t.Fatalf("Tab never reaches %s", what)
}

// tabStops presses Tab, from nothing focused, until the keyboard comes
// back to the first stop, and returns the stops in order; nothing is
// focused after. At most 200 presses.
func (k keyboard) tabStops() []fyne.Focusable {
	k.t.Helper()
	k.h.ui(func() { k.canvas().Unfocus() })
	var stops []fyne.Focusable
	for i := 0; i < 200; i++ {
		k.press(fyne.KeyTab)
		var f fyne.Focusable
		k.h.ui(func() { f = k.canvas().Focused() })
		if f == nil || (len(stops) > 0 && f == stops[0]) {
			break
		}
		stops = append(stops, f)
	}
	k.h.ui(func() { k.canvas().Unfocus() })
	return stops
}

// tableStops are the stops of stops inside the recordings table, the
// table itself left out.
func (k keyboard) tableStops(stops []fyne.Focusable) []fyne.Focusable {
	var in []fyne.Focusable
	k.h.ui(func() {
		table := k.h.w.recordings.table
		under := map[fyne.CanvasObject]bool{}
		for _, o := range find(table, (func(fyne.CanvasObject) bool)(nil)) {
			under[o] = true
		}
		for _, f := range stops {
			if o, ok := f.(fyne.CanvasObject); ok && under[o] && o != fyne.CanvasObject(table) {
				in = append(in, f)
			}
		}
	})
	return in
}

// focusedButton matches the button that says text.
func focusedButton(text string) func(fyne.Focusable) bool {
	return func(f fyne.Focusable) bool {
		b, ok := f.(*widget.Button)
		return ok && b.Text == text
	}
}

// inField matches the focused widget that is the field labelled label of
// the dialog on top.
func (k keyboard) inField(label string) func(fyne.Focusable) bool {
	return func(f fyne.Focusable) bool {
		o, ok := f.(fyne.CanvasObject)
		if !ok || k.h.overlay() == nil {
			return false
		}
		for _, form := range find(k.h.overlay(), (func(*widget.Form) bool)(nil)) {
			for _, it := range form.Items {
				if it.Text == label && (it.Widget == o || len(find(it.Widget, func(c fyne.CanvasObject) bool { return c == o })) > 0) {
					return true
				}
			}
		}
		return false
	}
}

// A whole download without a mouse: Ctrl+N adds a Valt account from the
// keyboard, Tab reaches the search box, typing a title and Enter put the
// keyboard on the table, Space ticks the recording, Ctrl+D downloads it,
// Tab reaches the finished download's Show in folder and Space opens it;
// F1 shows the keys and Tab and Space close it.
func TestAWholeDownloadByKeyboardAlone(t *testing.T) {
	h := newHarness(t, smallSim)
	k := keyboard{t, h}
	creds := h.sim.Config().Credentials

	// Add the account.
	k.ctrl(fyne.KeyN, false)
	h.ui(func() {
		if h.overlay() == nil {
			t.Fatal("Ctrl+N opened no dialog")
		}
	})
	k.tabTo("the platform", k.inField("Platform"))
	for i := 0; i < 8; i++ {
		chosen := ""
		h.ui(func() { chosen = k.canvas().Focused().(*widget.Select).Selected })
		if chosen == fetch.Valt.Title() {
			break
		}
		k.press(fyne.KeyRight)
	}
	for _, f := range []struct{ label, text string }{
		{"Server address", h.sim.BaseURL(fetch.Valt)}, {"User name", creds.ValtUser},
		{"Password", creds.ValtPassword}, {"Name in Cloudreel", "Keyboard Valt"},
	} {
		k.tabTo("the box "+f.label, k.inField(f.label))
		k.typeText(f.text)
	}
	k.tabTo("Save", focusedButton("Save"))
	k.press(fyne.KeySpace)
	var name string
	h.eventually("the account to be saved and shown", func() bool {
		ok := false
		h.ui(func() { ok = h.overlay() == nil && h.w.recordings.account.Name == "Keyboard Valt" })
		return ok
	})
	var a accounts.Account
	h.ui(func() { a = h.w.recordings.account })
	name = a.Name
	h.waitLoaded(a)
	var rec fetch.Recording
	h.ui(func() {
		row, ok := h.w.recordings.model.Row(0)
		if !ok {
			t.Fatalf("%s lists no recordings", name)
		}
		rec = row.rec
		h.w.win.Canvas().Unfocus()
	})

	// The table is one stop of the Tab order, arrows and Space inside it:
	// Tab does not stop on each row's tick box or Files button, so the
	// stops are as many with every row shown as with one. Inside the
	// table only the column headers (sorting) are stops.
	all := k.tabStops()
	var rows int
	h.ui(func() { rows = h.w.recordings.model.Len() })
	if rows < 3 {
		t.Fatalf("%d rows: too few to count stops by", rows)
	}
	tables := 0
	for _, f := range all {
		if _, ok := f.(*recordingsTable); ok {
			tables++
		}
	}
	if tables != 1 {
		t.Errorf("Tab stops %d times on the table, want once", tables)
	}
	headers := k.tableStops(all)
	for _, f := range headers {
		if _, ok := f.(*widget.Button); !ok {
			t.Errorf("Tab stops on a %T inside the table: only its headers should be stops", f)
		}
	}

	// Find the recording, tick it, download it.
	k.tabTo("the search box", func(f fyne.Focusable) bool { _, ok := f.(*searchEntry); return ok })
	k.typeText(rec.Title)
	var shown int
	h.ui(func() { shown = h.w.recordings.model.Len() })
	if shown >= rows {
		t.Fatalf("the search for %q shows %d rows of %d", rec.Title, shown, rows)
	}
	if fewer := k.tabStops(); len(fewer) != len(all) || len(k.tableStops(fewer)) != len(headers) {
		t.Errorf("%d Tab stops with %d rows shown, %d with %d: a row adds stops", len(all), rows, len(fewer), shown)
	}
	k.tabTo("the search box", func(f fyne.Focusable) bool { _, ok := f.(*searchEntry); return ok })
	k.press(fyne.KeyReturn)
	h.ui(func() {
		if _, ok := h.w.win.Canvas().Focused().(*recordingsTable); !ok {
			t.Fatalf("Enter in the search box left the keyboard on %T", h.w.win.Canvas().Focused())
		}
	})
	k.press(fyne.KeySpace)
	h.ui(func() {
		if got := h.w.recordings.model.Ticked(); len(got) != 1 || got[0].ID != rec.ID {
			t.Fatalf("Space ticked %d recordings, want %q alone", len(got), rec.Title)
		}
	})
	k.ctrl(fyne.KeyD, false)
	h.eventually("the download to finish", func() bool { return allDone(h, len(rec.Files)) })
	for _, j := range h.queue.Jobs() {
		if st, err := os.Stat(j.Path); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", j.Path, err)
		}
	}

	// The downloads panel: a finished download's folder, by keyboard.
	k.tabTo("Show in folder", func(f fyne.Focusable) bool {
		return len(find(h.w.downloads.list, func(v *jobRowView) bool { return v.w.inFolder == f && v.w.inFolder.Visible() })) > 0
	})
	k.press(fyne.KeySpace)
	if opened := h.app.openedURLs(); len(opened) != 1 || opened[0] != fileURL(filepath.Dir(h.queue.Jobs()[0].Path)).String() {
		t.Errorf("Show in folder opened %v", opened)
	}

	// Help lists the keys; Tab and Space close it.
	k.press(fyne.KeyF1)
	h.ui(func() {
		if h.overlay() == nil || !hasLabel(h.overlay(), "Ctrl+D") {
			t.Fatal("F1 shows no list of the keys with Ctrl+D")
		}
	})
	k.tabTo("Close", focusedButton("Close"))
	k.press(fyne.KeySpace)
	h.ui(func() {
		if h.overlay() != nil {
			t.Error("Space on Close left Help open")
		}
	})
}

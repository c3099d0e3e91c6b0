package gui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

// overlayTexts are the texts of the labels on the dialog on top.
func overlayTexts(h *harness) string {
	o := h.overlay()
	if o == nil {
		return ""
	}
	var texts []string
	for _, l := range find(o, (func(*widget.Label) bool)(nil)) {
		texts = append(texts, l.Text)
	}
	return strings.Join(texts, "\n")
}

// rowWithSeveralFiles is the first visible row whose recording has
// several files.
func rowWithSeveralFiles(t *testing.T, h *harness) (int, recordingRow) {
	t.Helper()
	for i := range h.w.recordings.model.Len() {
		if r, _ := h.w.recordings.model.Row(i); len(r.rec.Files) > 1 {
			return i, r
		}
	}
	t.Fatal("no recording with several files")
	return 0, recordingRow{}
}

// tapMenuItem taps the item of the pop-up menu on top whose text starts
// with prefix.
func tapMenuItem(t *testing.T, h *harness, prefix string) {
	t.Helper()
	o := h.overlay()
	if o == nil {
		t.Fatal("no menu is open")
	}
	// The innermost tappable that draws the text is the item (the pop-up
	// itself is tappable too: a tap there only closes it).
	var item fyne.Tappable
	var texts []string
	for _, obj := range rendered(o) {
		tap, ok := obj.(fyne.Tappable)
		if !ok {
			continue
		}
		for _, c := range rendered(obj) {
			if txt, ok := c.(*canvas.Text); ok && strings.HasPrefix(txt.Text, prefix) {
				item = tap
			} else if ok {
				texts = append(texts, txt.Text)
			}
		}
	}
	if item == nil {
		t.Fatalf("the menu has no item %q…, only %q", prefix, texts)
	}
	item.Tapped(&fyne.PointEvent{})
}

// At the smallest window the Files column may be gone: a right click on
// a row still opens the files of its recording.
func TestFilesOfARecordingWithoutTheFilesColumn(t *testing.T) {
	h := newHarness(t, smallSim)
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	h.ui(func() {
		h.w.win.Resize(fyne.NewSize(800, 560))
		v := h.w.recordings
		v.fitColumns(v.table.Size().Width - 120) // narrower still: Files goes
		if v.colIndex(ColFiles) >= 0 {
			t.Fatalf("the Files column is still shown (%v)", v.columns)
		}
	})
	h.ui(func() {
		i, r := rowWithSeveralFiles(t, h)
		title := h.titleLabel(i)
		if title == nil {
			t.Fatalf("row %d is not on screen", i)
		}
		test.TapSecondary(title)
		tapMenuItem(t, h, "Choose files…")
		if got := len(find(h.overlay(), (func(*widget.Check) bool)(nil))); got != len(r.rec.Files) {
			t.Errorf("the files dialog has %d tick boxes for %d files", got, len(r.rec.Files))
		}
	})
}

// A Valt record whose details name no video says so: "No video" in its
// Status (a tap tells why, in the platform's sentence), no "0 files", and
// nothing to tick.
func TestARecordingWithoutVideoSaysWhy(t *testing.T) {
	server := serveSim(t, sim.Config{Recordings: 8, MinSize: 1 << 10, MaxSize: 4 << 10})
	server.sim.Faults().Update(func(f *sim.FaultSet) { f.ValtRecordsWithoutVideo = 2 })
	h := newHarness(t, harnessOptions{server: server})
	h.addAccount(fetch.Valt, "Office Valt")
	h.ui(func() {
		v := h.w.recordings
		var noted []int
		for i := range v.model.Len() {
			if r, _ := v.model.Row(i); r.rec.Note != "" {
				noted = append(noted, i)
			}
		}
		if len(noted) == 0 {
			t.Fatal("the simulator's records without video were listed without a note")
		}
		drv := fyne.CurrentApp().Driver()
		for _, i := range noted {
			title := h.titleLabel(i)
			if title == nil {
				t.Fatalf("row %d is not on screen", i)
			}
			y := drv.AbsolutePositionForObject(title).Y
			onRow := func(o fyne.CanvasObject) bool { return drv.AbsolutePositionForObject(o).Y == y }
			if ls := find(v.table, func(l *dragLabel) bool { return onRow(l) && strings.Contains(l.Text, "files") }); len(ls) > 0 {
				t.Errorf("row %d says %q", i, ls[0].Text)
			}
			for _, c := range find(v.table, func(c *tickBox) bool { return onRow(c) }) {
				if !c.Disabled() {
					t.Errorf("row %d can be ticked with nothing to download", i)
				}
			}
			bs := find(v.table, func(b *cellButton) bool { return onRow(b) && b.Text == noVideoStatus })
			if len(bs) != 1 {
				t.Fatalf("row %d: %d %q buttons in its Status", i, len(bs), noVideoStatus)
			}
			test.Tap(bs[0])
			r, _ := v.model.Row(i)
			if got := overlayTexts(h); !strings.Contains(got, r.rec.Note) {
				t.Errorf("the tap on %q showed %q, want the note %q", noVideoStatus, got, r.rec.Note)
			}
			h.w.win.Canvas().Overlays().Remove(h.overlay())
			// The button is no stop of the Tab order: the menu key on
			// the row says the same.
			v.keyboardTo(i)
			v.table.TypedKey(&fyne.KeyEvent{Name: desktop.KeyMenu})
			if got := overlayTexts(h); !strings.Contains(got, r.rec.Note) {
				t.Errorf("the menu key on row %d showed %q, want the note %q", i, got, r.rec.Note)
			}
			h.w.win.Canvas().Overlays().Remove(h.overlay())
		}
	})
}

// A data file found damaged at start is told once, in plain words, with
// "Add account" offered; the next start says nothing.
func TestARepairedStoreIsToldOnce(t *testing.T) {
	dataDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dataDir, accounts.DBFile), []byte(strings.Repeat("not a store ", 900)), 0o600); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, harnessOptions{sim: simSmall, dataDir: dataDir})
	h.eventually("the repair to be told", func() bool { return strings.Contains(overlayTexts(h), "data file was damaged") })
	h.ui(func() {
		test.Tap(button(t, h.overlay(), "Add account"))
		if !strings.Contains(overlayTexts(h)+strings.Join(selectOptions(h), "\n"), fetch.Valt.Title()) {
			t.Errorf("\"Add account\" did not open the add-account dialog: %q", overlayTexts(h))
		}
	})
	eventually(t, "the repair to be forgotten", func() bool { return h.store.Repair() == nil })
	folder := h.folder
	h.close()

	again := newHarness(t, harnessOptions{sim: simSmall, dataDir: dataDir, folder: folder})
	again.eventually("the welcome", func() bool { return hasLabel(again.content(), "Welcome to Cloudreel") })
	again.ui(func() {
		if got := overlayTexts(again); got != "" {
			t.Errorf("the next start shows %q", got)
		}
	})
}

// selectOptions are the options of the selects on the dialog on top.
func selectOptions(h *harness) []string {
	var out []string
	if o := h.overlay(); o != nil {
		for _, s := range find(o, (func(*widget.Select) bool)(nil)) {
			out = append(out, s.Options...)
		}
	}
	return out
}

// An account that lands on the row already selected is shown: here the
// selected account is replaced by another on the same row, and then
// renamed.
func TestAnAccountOnTheSelectedRowIsShown(t *testing.T) {
	h := newHarness(t, smallSim)
	first := h.addAccount(fetch.ZoomSDK, "School Zoom")
	if err := h.store.Remove(context.Background(), first.ID); err != nil {
		t.Fatal(err)
	}
	second := h.saveAccount(fetch.ZoomSDK, "Team Zoom", "")
	h.waitLoaded(second)
	h.ui(func() {
		if !strings.HasPrefix(h.w.recordings.heading.Text, "Team Zoom") {
			t.Errorf("the recordings say %q", h.w.recordings.heading.Text)
		}
	})
	second.Name = "Team Zoom (renamed)"
	if err := h.store.Update(context.Background(), second, ""); err != nil {
		t.Fatal(err)
	}
	h.ui(func() { h.w.accounts.selectAfterReload(second.ID) }) // what the edit dialog does
	h.eventually("the new name", func() bool { return strings.HasPrefix(h.w.recordings.heading.Text, "Team Zoom (renamed)") })
}

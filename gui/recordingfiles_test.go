package gui

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cloudreel/fetch"
)

// filesButton is the Files cell's button on visible row r.
func filesButton(t *testing.T, h *harness, r int) *cellButton {
	t.Helper()
	title := h.titleLabel(r)
	if title == nil {
		t.Fatalf("row %d is not on screen", r)
	}
	drv := fyne.CurrentApp().Driver()
	y := drv.AbsolutePositionForObject(title).Y
	bs := find(h.w.recordings.table, func(b *cellButton) bool {
		return b.OnTapped != nil && drv.AbsolutePositionForObject(b).Y <= y && y < drv.AbsolutePositionForObject(b).Y+b.Size().Height && b.Icon != nil
	})
	if len(bs) != 1 {
		t.Fatalf("found %d files buttons on row %d, want 1", len(bs), r)
	}
	return bs[0]
}

// TestTickFilesOneByOne opens the files of a recording with several,
// unticks one, and downloads: only the ticked files are queued.
func TestTickFilesOneByOne(t *testing.T) {
	h := newHarness(t, smallSim)
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	v := h.w.recordings
	rec := h.recent(fetch.ZoomSDK)[0]
	if len(rec.Files) < 2 {
		t.Fatalf("the newest Zoom recording has %d files; the test needs several", len(rec.Files))
	}
	h.tick(0)
	var skipped string
	h.ui(func() {
		b := filesButton(t, h, 0)
		if b.Text != fmt.Sprintf("%d files", len(rec.Files)) {
			t.Errorf("the files button says %q", b.Text)
		}
		test.Tap(b)
		popup := h.overlay()
		if popup == nil {
			t.Fatal("the files button opened nothing")
		}
		checks := find(popup, (func(*widget.Check) bool)(nil))
		if len(checks) != len(rec.Files) {
			t.Fatalf("the files popup has %d tick boxes for %d files", len(checks), len(rec.Files))
		}
		listed, _ := v.model.Row(0)
		for i, c := range checks {
			f := listed.rec.Files[i]
			if want := fmt.Sprintf("%s (%s, %s)", f.Kind, f.Ext, formatBytes(f.Size)); c.Text != want || !c.Checked {
				t.Errorf("file %d: %q ticked %v, want %q ticked", i, c.Text, c.Checked, want)
			}
		}
		test.Tap(checks[1])
		skipped = rec.Files[1].ID
		var wantSize int64
		for _, f := range rec.Files {
			wantSize += f.Size
		}
		wantSize -= rec.Files[1].Size
		if want := fmt.Sprintf("1 of %d ticked (%s)", v.model.Len(), formatBytes(wantSize)); v.summary.Text != want {
			t.Errorf("summary %q with a file unticked, want %q", v.summary.Text, want)
		}
		// Enter and Ctrl+A while the popup is open are not the table's.
		h.w.win.Canvas().Unfocus()
		pressKey(h.w.win.Canvas(), fyne.KeyReturn)
		if len(v.model.Ticked()) != 1 {
			t.Fatal("Enter with the files popup open downloaded the ticked recordings")
		}
		pressShortcut(t, h.w.win.Canvas(), &fyne.ShortcutSelectAll{})
		if len(v.model.Ticked()) != 1 {
			t.Fatal("Ctrl+A with the files popup open ticked the rows behind it")
		}
		test.Tap(button(t, popup, "Done"))
		if b := filesButton(t, h, 0); b.Text != fmt.Sprintf("%d of %d files", len(rec.Files)-1, len(rec.Files)) {
			t.Errorf("after unticking a file the button says %q", b.Text)
		}
		test.Tap(v.download)
	})
	h.eventually("the ticked files to be queued", func() bool { return len(h.queue.Jobs()) == len(rec.Files)-1 })
	for _, j := range h.queue.Jobs() {
		if j.File.ID == skipped || j.RecordingID != rec.ID {
			t.Errorf("queued %s (file %s), which was not ticked", j.Path, j.File.ID)
		}
	}
}

// TestTickingAFileOfAnUntickedRecording ticks the recording with that
// file alone; unticking its last file unticks it.
func TestTickingAFileOfAnUntickedRecording(t *testing.T) {
	m := newRecordingModel()
	m.Set(sample())
	b := m.Index("b") // three files
	m.SetFileTicked("b", "b-f2", true)
	r, _ := m.Row(b)
	if !r.ticked || r.fileTicked("b-f0") || !r.fileTicked("b-f2") {
		t.Fatalf("ticking a file of an unticked recording: ticked %v, files %v", r.ticked, r.left)
	}
	got := m.Ticked()
	if len(got) != 1 || len(got[0].Files) != 1 || got[0].Files[0].ID != "b-f2" {
		t.Errorf("Ticked() = %v, want b with b-f2 alone", got)
	}
	if filesLabel(r) != "1 of 3 files" {
		t.Errorf("files label %q", filesLabel(r))
	}
	m.SetFileTicked("b", "b-f2", false)
	if r, _ := m.Row(b); r.ticked || len(m.Ticked()) != 0 {
		t.Error("unticking the last ticked file left the recording ticked")
	}
	m.SetFileTicked("b", "no such file", true)
	if len(m.Ticked()) != 0 {
		t.Error("ticking a file the recording does not have ticked it")
	}
	// Select all keeps the choice of files of a ticked recording.
	m.SetFileTicked("b", "b-f1", true)
	m.TickAll(true)
	if got := m.Ticked(); len(got) != 4 || got[0].ID != "b" || len(got[0].Files) != 1 {
		t.Errorf("after Select all: %v, want every recording, b with b-f1 alone", got)
	}
	m.TickAll(false)
	// Ticking the whole row again downloads every file.
	m.SetFileTicked("b", "b-f1", true)
	m.Toggle(b)
	m.Toggle(b)
	if got := m.Ticked(); len(got) != 1 || len(got[0].Files) != 3 {
		t.Errorf("after unticking and ticking the row: %v, want all three files", got)
	}
}

// TestDownloadToOpensOnTheDefaultFolder: the folder dialog starts where
// downloads go, not in the program's working folder.
func TestDownloadToOpensOnTheDefaultFolder(t *testing.T) {
	h := newHarness(t, smallSim)
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	h.ui(func() {
		test.Tap(button(t, h.w.recordings.root, "Download to…"))
		d := h.overlay()
		if d == nil {
			t.Fatal("Download to… opened nothing")
		}
		// The dialog's path bar has a button per folder of where it is.
		var crumbs []string
		for _, b := range find(d, (func(*widget.Button) bool)(nil)) {
			crumbs = append(crumbs, b.Text)
		}
		if !slices.Contains(crumbs, filepath.Base(h.folder)) || !slices.Contains(crumbs, filepath.Base(filepath.Dir(h.folder))) {
			t.Errorf("the folder dialog shows %q, not the default folder %s", crumbs, h.folder)
		}
	})
}

// The Files button is no stop of the Tab order (the table is one): with
// the keyboard on a row, the menu key, or Shift+F10, opens its files.
func TestTheMenuKeyOpensTheFilesOfTheRow(t *testing.T) {
	h := newHarness(t, smallSim)
	a := h.addAccount(fetch.ZoomSDK, "School Zoom")
	h.waitLoaded(a)
	rec := h.recent(fetch.ZoomSDK)[0]
	if len(rec.Files) < 2 {
		t.Fatalf("the newest Zoom recording has %d files; the test needs several", len(rec.Files))
	}
	k := keyboard{t, h}
	for _, press := range []func(){
		func() { k.press(desktop.KeyMenu) },
		func() { k.shortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF10, Modifier: fyne.KeyModifierShift}) },
	} {
		h.ui(func() { h.w.recordings.keyboardTo(0) })
		press()
		h.ui(func() {
			popup := h.overlay()
			if popup == nil {
				t.Fatal("the key opened nothing")
			}
			if n := len(find(popup, (func(*widget.Check) bool)(nil))); n != len(rec.Files) {
				t.Errorf("the files popup has %d tick boxes for %d files", n, len(rec.Files))
			}
			h.w.win.Canvas().Overlays().Remove(popup)
		})
	}
}

package gui

import (
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cloudreel/fetch"
	"cloudreel/fetch/queue"
)

// settingsFields opens Settings and returns its name template entry and
// the preview under it.
func settingsFields(t *testing.T, h *harness) (template *widget.Entry, preview *widget.Label) {
	t.Helper()
	test.Tap(button(t, h.content(), "Settings"))
	dlg := h.overlay()
	if dlg == nil {
		t.Fatal("Settings opened no dialog")
	}
	for _, form := range find(dlg, (func(*widget.Form) bool)(nil)) {
		for _, it := range form.Items {
			if it.Text != "File names" {
				continue
			}
			box := it.Widget.(*fyne.Container)
			return box.Objects[0].(*widget.Entry), box.Objects[1].(*widget.Label)
		}
	}
	t.Fatal("Settings has no \"File names\" field")
	return nil, nil
}

func TestSettingsPreviewFollowsTheTemplate(t *testing.T) {
	h := newHarness(t, smallSim)
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	const template = "{account}/{title} {date}.{ext}"
	var rec fetch.Recording
	var before, after string
	h.ui(func() {
		row, _ := h.w.recordings.model.Row(0)
		rec = row.rec
		entry, preview := settingsFields(t, h)
		if entry.Text != queue.DefaultTemplate {
			t.Errorf("the template starts as %q, want the default", entry.Text)
		}
		before = preview.Text
		entry.SetText("")
		test.Type(entry, template)
		after = preview.Text
		test.Tap(button(t, h.overlay(), "Save"))
	})
	// The preview names the first recording on screen, as the queue will.
	f := rec.Files[0]
	name := func(tmpl string) string {
		return "For example: " + filepath.Join(h.folder, queue.Name(tmpl, queue.NameFields{Platform: fetch.ZoomSDK, Account: "School Zoom",
			RecordingID: rec.ID, Title: rec.Title, Start: rec.Start, Kind: f.Kind, FileID: f.ID, Ext: f.Ext}))
	}
	if before != name(queue.DefaultTemplate) {
		t.Errorf("preview %q, want %q", before, name(queue.DefaultTemplate))
	}
	if after != name(template) || after == before {
		t.Errorf("after typing the template the preview says %q, want %q", after, name(template))
	}

	// Saved, the template names the next downloads exactly as previewed.
	h.ui(func() {
		if h.overlay() != nil {
			t.Fatal("Save did not close Settings")
		}
		if got := h.app.Preferences().String(prefTemplate); got != template {
			t.Errorf("the saved template is %q", got)
		}
	})
	h.tick(0)
	h.ui(func() { test.Tap(h.w.recordings.download) })
	h.eventually("the download to finish", func() bool { return allDone(h, len(rec.Files)) })
	for _, j := range h.queue.Jobs() {
		if j.File.ID == f.ID && "For example: "+j.Path != after {
			t.Errorf("downloaded to %s, the preview said %s", j.Path, strings.TrimPrefix(after, "For example: "))
		}
	}
}

func TestSettingsPreviewWithoutAccounts(t *testing.T) {
	h := newHarness(t, smallSim)
	h.ui(func() {
		entry, preview := settingsFields(t, h)
		before := preview.Text
		if !strings.HasPrefix(before, "For example: "+h.folder) {
			t.Errorf("preview %q is not in the download folder %s", before, h.folder)
		}
		if filepath.Dir(filepath.Dir(strings.TrimPrefix(before, "For example: "))) == h.folder {
			t.Errorf("preview %q does not put the platform and account folders first", before)
		}
		entry.SetText("{title}.{ext}")
		// Without a folder in the template, the file lands in the folder itself.
		got := strings.TrimPrefix(preview.Text, "For example: ")
		if filepath.Dir(got) != h.folder || !strings.HasSuffix(got, ".mp4") {
			t.Errorf("with {title}.{ext} the preview says %q, want a file straight in %s", preview.Text, h.folder)
		}
	})
}

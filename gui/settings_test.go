package gui

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
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
		before = previewPath(preview)
		entry.SetText("")
		test.Type(entry, template)
		after = previewPath(preview)
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
		before := previewPath(preview)
		if !strings.HasPrefix(before, "For example: "+h.folder) {
			t.Errorf("preview %q is not in the download folder %s", before, h.folder)
		}
		if filepath.Dir(filepath.Dir(strings.TrimPrefix(before, "For example: "))) == h.folder {
			t.Errorf("preview %q does not put the platform and account folders first", before)
		}
		entry.SetText("{title}.{ext}")
		// Without a folder in the template, the file lands in the folder itself.
		got := strings.TrimPrefix(previewPath(preview), "For example: ")
		if filepath.Dir(got) != h.folder || !strings.HasSuffix(got, ".mp4") {
			t.Errorf("with {title}.{ext} the preview says %q, want a file straight in %s", preview.Text, h.folder)
		}
	})
}

// previewPath is what the preview says, without the hair spaces that let
// it wrap after a folder separator.
func previewPath(preview *widget.Label) string {
	return strings.ReplaceAll(preview.Text, hairSpace, "")
}

// The placeholders are shown with the words a person knows, and each one
// shown is one the queue really fills in.
func TestSettingsNamePlaceholdersInPlainWords(t *testing.T) {
	h := newHarness(t, smallSim)
	h.ui(func() {
		settingsFields(t, h)
		var help string
		for _, l := range find(h.overlay(), func(l *widget.Label) bool { return strings.Contains(l.Text, "{title}") }) {
			help = l.Text
		}
		for _, words := range []string{"{title} recording title", "{date} date", "{account} account name", "{ext} file type"} {
			if !strings.Contains(help, words) {
				t.Errorf("the placeholders %q do not say %q", help, words)
			}
		}
		f := queue.NameFields{Platform: fetch.Valt, Account: "a", RecordingID: "r1", Title: "T", Start: time.Now(), Kind: "video", FileID: "f1", Ext: "mp4"}
		for _, tag := range regexp.MustCompile(`\{[a-z]+\}`).FindAllString(help, -1) {
			if got := queue.Name("x"+tag+"x.mp4", f); strings.Contains(got, tag) {
				t.Errorf("%s is shown but the queue does not fill it in (%q)", tag, got)
			}
		}
	})
}

// The example path wraps at spaces and after folder separators, never in
// the middle of a word.
func TestSettingsExampleNeverBreaksMidWord(t *testing.T) {
	opts := smallSim
	opts.folder = filepath.Join(t.TempDir(), "Department of Continuing Education", "Recordings-for-the-spring-semester-2025")
	h := newHarness(t, opts)
	h.ui(func() {
		_, preview := settingsFields(t, h)
		var lines []string
		for _, c := range find(preview, (func(*canvas.Text) bool)(nil)) {
			lines = append(lines, c.Text)
		}
		if len(lines) < 2 {
			t.Fatalf("the example %q is drawn on %d line at %.0f wide: too short to test wrapping", preview.Text, len(lines), preview.Size().Width)
		}
		text := []rune(preview.Text)
		pos := 0
		for i, line := range lines {
			for pos < len(text) && unicode.IsSpace(text[pos]) && !strings.HasPrefix(string(text[pos:]), line) {
				pos++
			}
			if !strings.HasPrefix(string(text[pos:]), line) {
				t.Fatalf("line %d %q is not the next part of %q", i, line, string(text[pos:]))
			}
			pos += len([]rune(line))
			if i < len(lines)-1 && pos < len(text) && !unicode.IsSpace(text[pos]) && !unicode.IsSpace(text[pos-1]) {
				t.Errorf("the example breaks in the middle of a word: %q | %q", line, lines[i+1])
			}
		}
	})
}

package gui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

// doctorTexts joins what the visible labels under o say.
func doctorTexts(o fyne.CanvasObject) string {
	if o == nil {
		return ""
	}
	var texts []string
	for _, l := range find(o, (func(*widget.Label) bool)(nil)) {
		texts = append(texts, l.Text)
	}
	return strings.Join(texts, "\n")
}

var doctorSim = harnessOptions{sim: sim.Config{Recordings: 6, MinSize: 1 << 10, MaxSize: 4 << 10}}

// "Check this account" checks the selected account off the Fyne
// goroutine and shows the report with "Save report…"; the saved file is
// the report shown.
func TestCheckThisAccount(t *testing.T) {
	h := newHarness(t, doctorSim)
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	h.ui(func() { test.Tap(button(t, h.content(), "Check this account")) })
	var shown string
	h.eventually("the report", func() bool {
		shown = doctorTexts(h.overlay())
		return strings.Contains(shown, "Every step worked")
	})
	for _, want := range []string{"Platform: Zoom Video SDK", "GET /zoom/v2/videosdk/recordings ?from&page_size&to → 200 OK", "3. Ask for one file's download link: worked."} {
		if !strings.Contains(shown, want) {
			t.Errorf("the dialog lacks %q:\n%s", want, shown)
		}
	}
	var report string
	h.ui(func() {
		button(t, h.overlay(), "Save report…")
		labels := find(h.overlay(), func(l *widget.Label) bool { return l.TextStyle.Monospace })
		if len(labels) != 1 {
			t.Fatalf("%d report texts", len(labels))
		}
		report = labels[0].Text
	})

	path := filepath.Join(t.TempDir(), "cloudreel-report.txt")
	wc, err := storage.Writer(storage.NewFileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	if err := writeReport(wc, report); err != nil {
		t.Fatal(err)
	}
	saved, err := os.ReadFile(path)
	if err != nil || string(saved) != report || strings.Contains(report, h.sim.Config().Credentials.ZoomSecret) {
		t.Fatalf("saved %d bytes (%v), shown %d", len(saved), err, len(report))
	}
}

// A check that fails says which step and why, in the dialog's first line.
func TestCheckThisAccountThatFails(t *testing.T) {
	h := newHarness(t, doctorSim)
	h.saveAccount(fetch.Valt, "Interview suite", "not-the-valt-password")
	h.ui(func() { test.Tap(button(t, h.content(), "Check this account")) })
	h.eventually("the failed step", func() bool {
		return hasLabel(h.overlay(), `Step 1, "Sign in", did not work. `+
			`Valt did not accept the user name "office" with this password. Check both (as you type them on the Valt sign-in page) and try again.`)
	})
}

// On the welcome there is no account to check: "Check this account",
// "Check downloaded files" and "Cleaned up" are not offered there, and
// they are once an account is shown.
func TestCheckThisAccountOnlyWithAnAccount(t *testing.T) {
	h := newHarness(t, doctorSim)
	accountOnly := []string{"Check this account", "Check downloaded files", "Cleaned up"}
	h.eventually("the welcome", func() bool { return hasLabel(h.content(), "Welcome to Cloudreel") })
	h.ui(func() {
		for _, text := range accountOnly {
			is := func(b *widget.Button) bool { return b.Text == text }
			if n := len(find(h.content(), is)); n != 0 {
				t.Errorf("the welcome offers %d %q buttons, with no account yet", n, text)
			}
		}
	})
	h.addAccount(fetch.Valt, "Office Valt")
	h.ui(func() {
		for _, text := range accountOnly[1:] {
			button(t, h.content(), text) // fails the test when not shown
		}
	})
	h.ui(func() { test.Tap(button(t, h.content(), "Check this account")) })
	h.eventually("the check to start", func() bool {
		return strings.Contains(doctorTexts(h.overlay()), "Office Valt")
	})
}

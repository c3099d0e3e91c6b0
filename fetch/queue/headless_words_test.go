package queue

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"cloudreel/fetch/locale"
	"cloudreel/fetch/messages"
)

// speakIn loads the commands' translations and speaks tag for one test.
func speakIn(t *testing.T, tag string) {
	t.Helper()
	if err := messages.Load(); err != nil {
		t.Fatal(err)
	}
	locale.Use(tag)
	t.Cleanup(func() { locale.Use(locale.System) })
}

// A headless run writes sizes as the window does, in the language's
// conventions: "1,5 MB" in Spanish, not humanize's "1.5 MB".
func TestHeadlessLinesWriteSizesInTheLanguage(t *testing.T) {
	speakIn(t, "es")
	dir := t.TempDir()
	var b strings.Builder
	p := &printer{w: &b, shownFinal: map[string]State{}, before: map[string]bool{}}
	p.state(Job{ID: "a", State: Done, Folder: dir, Path: filepath.Join(dir, "clase.mp4"), Size: 1_500_000, Done: 1_500_000})
	p.state(Job{ID: "b", State: Downloading, Folder: dir, Path: filepath.Join(dir, "reunión.mp4"), Size: 4_200_000_000, Done: 2_500_000})
	out := b.String()
	for _, want := range []string{"clase.mp4 (1,5 MB)", "2,5 MB"} {
		if !strings.Contains(out, want) {
			t.Errorf("the lines say %q, want %q in them", out, want)
		}
	}
	if strings.Contains(out, "1.5 MB") || strings.Contains(out, "2.5 MB") {
		t.Errorf("a size has a decimal point in Spanish: %q", out)
	}
}

// What the file check finds wrong is said in the person's language.
func TestAFileCheckSaysItsProblemInTheLanguage(t *testing.T) {
	speakIn(t, "es")
	c := checkFile(context.Background(), Job{State: Done, Path: filepath.Join(t.TempDir(), "gone.mp4"), Size: 10})
	if !c.Missing || c.Problem != "Ya no está en el disco." {
		t.Errorf("missing %v, problem %q", c.Missing, c.Problem)
	}
}

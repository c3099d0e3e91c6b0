package gui

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"cloudreel/fetch"
	"cloudreel/fetch/queue"
)

// When a batch ends the window says so, with where the files went and a
// button that opens that folder: the desktop notification is easy to miss.
func TestTheWindowSaysWhenABatchEnds(t *testing.T) {
	h := newHarness(t, fewSlowFiles)
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	h.tick(0, 1)
	var n int
	h.ui(func() {
		if h.w.banner.root.Visible() {
			t.Fatal("the batch banner shows before any download")
		}
		n = filesOf(h.w.recordings.model.Ticked()...)
		test.Tap(h.w.recordings.download)
	})
	h.eventually("the downloads to finish", func() bool { return allDone(h, n) })
	want := "2 recordings downloaded to " + displayFolder(h.folder) + "."
	h.eventually("the window to say the batch ended", func() bool {
		return h.w.banner.root.Visible() && hasLabel(h.content(), want)
	})
	h.ui(func() { test.Tap(button(t, h.content(), "Open folder")) })
	if got, url := h.app.openedURLs(), fileURL(h.folder).String(); !slices.Contains(got, url) {
		t.Fatalf("Open folder opened %v, want %s", got, url)
	}
}

func TestBatchSentence(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, c := range []struct {
		done, failed int
		folder, want string
	}{
		{3, 0, home + "/Videos/Cloudreel", "3 recordings downloaded to Videos/Cloudreel."},
		{1, 0, "/mnt/share", "1 recording downloaded to /mnt/share."},
		{2, 1, home + "/Videos", "2 recordings downloaded to Videos. 1 could not be downloaded."},
		{0, 2, home + "/Videos", "No recording was downloaded. 2 could not be downloaded."},
	} {
		if got := batchSentence(c.done, c.failed, c.folder); got != c.want {
			t.Errorf("batchSentence(%d, %d, %q) = %q, want %q", c.done, c.failed, c.folder, got, c.want)
		}
	}
}

// titlePercent reads the percentage from "Cloudreel — downloading 42%".
func titlePercent(title string) (int, bool) {
	var p int
	_, rest, ok := strings.Cut(title, "downloading ")
	if !ok {
		return 0, false
	}
	if _, err := fmt.Sscanf(rest, "%d%%", &p); err != nil {
		return 0, false
	}
	return p, true
}

// The title's percentage is that of what is still to do: a batch that
// ended before does not count.
func TestTheTitleCountsOnlyWhatIsStillToDo(t *testing.T) {
	h := newHarness(t, slowSim)
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	h.tick(0)
	var first int
	h.ui(func() {
		first = filesOf(h.w.recordings.model.Ticked()...)
		test.Tap(h.w.recordings.download)
	})
	h.eventually("the first batch to end", func() bool { return allDone(h, first) && h.w.banner.root.Visible() })
	before := map[string]bool{}
	for _, j := range h.queue.Jobs() {
		before[j.ID] = true
	}
	h.tick(1)
	h.ui(func() { test.Tap(h.w.recordings.download) })
	// The second batch's own progress, read after the title was drawn:
	// bytes only grow, so the title can never be ahead of it.
	checked := 0
	h.eventually("the title to show the second batch's progress a few times", func() bool {
		p, ok := titlePercent(h.w.win.Title())
		if !ok {
			return false
		}
		var done, size int64
		for _, j := range h.queue.Jobs() {
			if before[j.ID] {
				continue
			}
			if j.Size <= 0 {
				return false
			}
			done += j.Done
			size += j.Size
		}
		own := int(done * 100 / size)
		if p > own {
			t.Fatalf("the title says %d%% while the batch still to do is %d%% done (the finished batch is counted)", p, own)
		}
		checked++
		return checked >= 3
	})
	h.eventually("the second batch to end", func() bool {
		return activeJobs(h) == 0 && h.w.win.Title() == "Cloudreel"
	})
	for _, j := range h.queue.Jobs() {
		if j.State != queue.Done {
			t.Errorf("job %s ended %s", j.Path, j.State)
		}
	}
}

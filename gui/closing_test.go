package gui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cloudreel/fetch"
	"cloudreel/fetch/queue"
)

// closed reports whether the window was closed.
func (h *harness) closed() bool { return h.w.ctx.Err() != nil }

func activeJobs(h *harness) int {
	n := 0
	for _, j := range h.queue.Jobs() {
		if j.State.Active() {
			n++
		}
	}
	return n
}

func TestClosingWhileDownloadingAsksAndStopsCleanly(t *testing.T) {
	h := newHarness(t, slowSim)
	job := startSlowDownload(t, h)
	h.ui(h.w.requestClose)
	h.ui(func() {
		if h.closed() {
			t.Fatal("the window closed while files were downloading, without asking")
		}
		if h.overlay() == nil || !strings.Contains(flatText(h.overlay()), "still downloading") {
			t.Fatalf("no question about the running downloads: %q", flatText(h.overlay()))
		}
		test.Tap(button(t, h.overlay(), "Keep downloading"))
	})
	h.ui(func() {
		if h.closed() {
			t.Fatal("Keep downloading closed the window")
		}
	})
	if j, _ := h.queue.Job(job.ID); !j.State.Active() {
		t.Fatalf("Keep downloading left the download %s", j.State)
	}

	h.ui(h.w.requestClose)
	h.ui(func() { test.Tap(button(t, h.overlay(), "Stop and close")) })
	h.eventually("the window to close", h.closed)
	if n := activeJobs(h); n != 0 {
		t.Fatalf("%d downloads still running after Stop and close", n)
	}
	j, _ := h.queue.Job(job.ID)
	if j.State != queue.Paused || j.Done == 0 {
		t.Fatalf("the download was left %s with %d bytes, want paused with its bytes kept", j.State, j.Done)
	}
}

func TestClosingWithNothingDownloadingDoesNotAsk(t *testing.T) {
	h := newHarness(t, smallSim)
	h.ui(h.w.requestClose)
	h.ui(func() {
		if !h.closed() {
			t.Fatalf("the window asked before closing with nothing to stop: %q", flatText(h.overlay()))
		}
	})
}

// flatText is every label's text under o, for checks and messages.
func flatText(o fyne.CanvasObject) string {
	if o == nil {
		return ""
	}
	var texts []string
	for _, l := range find(o, (func(*widget.Label) bool)(nil)) {
		texts = append(texts, l.Text)
	}
	return strings.Join(texts, " | ")
}

// "Try the demo" in the real window starts the demo in its own window and
// process: this window then closes, so that two windows with the same
// title never stand one over the other.
func TestTryTheDemoElsewhereClosesTheWelcome(t *testing.T) {
	opts := smallSim
	started := 0
	opts.startDemo = func(*harness) func(context.Context) error {
		return func(context.Context) error { started++; return nil }
	}
	opts.demoElsewhere = true
	h := newHarness(t, opts)
	h.eventually("the welcome", func() bool { return hasLabel(h.content(), "Welcome to Cloudreel") })
	h.ui(func() { test.Tap(button(t, h.content(), "Try the demo")) })
	h.eventually("the welcome window to close", h.closed)
	if started != 1 {
		t.Fatalf("the demo was started %d times", started)
	}
}

// In the demo, the title says "(demo)" whatever the downloads do.
func TestTheDemoTitleKeepsSayingDemo(t *testing.T) {
	opts := fewSlowFiles
	opts.title = "Cloudreel (demo)"
	h := newHarness(t, opts)
	h.ui(func() {
		if got := h.w.win.Title(); got != "Cloudreel (demo)" {
			t.Errorf("title %q", got)
		}
	})
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	h.tick(0)
	h.ui(func() { test.Tap(h.w.recordings.download) })
	h.eventually("the title to show progress", func() bool {
		return strings.HasPrefix(h.w.win.Title(), "Cloudreel (demo) — downloading ")
	})
	h.eventually("the title to come back when done", func() bool {
		return activeJobs(h) == 0 && h.w.win.Title() == "Cloudreel (demo)"
	})
}

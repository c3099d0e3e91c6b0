package gui

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2"

	"cloudreel/fetch/queue"
)

// fakeTray is the desktop's tray as Fyne's desktop.App offers it: the
// test driver has none.
type fakeTray struct {
	menu   *fyne.Menu
	icon   fyne.Resource
	window fyne.Window
}

func (f *fakeTray) SetSystemTrayMenu(m *fyne.Menu)    { f.menu = m }
func (f *fakeTray) SetSystemTrayIcon(r fyne.Resource) { f.icon = r }
func (f *fakeTray) SetSystemTrayWindow(w fyne.Window) { f.window = w }
func (f *fakeTray) item(t *testing.T, label string) *fyne.MenuItem {
	t.Helper()
	for _, it := range f.menu.Items {
		if it.Label == label {
			return it
		}
	}
	var labels []string
	for _, it := range f.menu.Items {
		labels = append(labels, it.Label)
	}
	t.Fatalf("the tray's menu has no %q: %q", label, labels)
	return nil
}

// shownWindow records whether the window is shown or hidden (the test
// driver's window keeps it to itself).
type shownWindow struct {
	fyne.Window
	hidden atomic.Bool
}

func (s *shownWindow) Hide() { s.hidden.Store(true); s.Window.Hide() }
func (s *shownWindow) Show() { s.hidden.Store(false); s.Window.Show() }

// withTray gives the harness's window a tray, as on a desktop that has one.
func withTray(h *harness) (*fakeTray, *shownWindow) {
	f := &fakeTray{}
	win := &shownWindow{Window: h.w.win}
	h.ui(func() {
		h.w.win = win
		h.w.tray = newTray(h.w, f)
	})
	return f, win
}

// Where the desktop has a tray, closing the window while files download
// takes it to the tray: nothing is asked, the files keep downloading, and
// only the first time a notice says where Cloudreel went.
func TestTrayClosingWhileDownloadingKeepsDownloading(t *testing.T) {
	h := newHarness(t, slowSim)
	tray, win := withTray(h)
	if tray.menu == nil || tray.icon == nil || tray.window != win {
		t.Fatalf("the tray was not set up: menu %v, icon %v, window %v", tray.menu, tray.icon, tray.window)
	}
	job := startSlowDownload(t, h)
	h.ui(h.w.requestClose)
	h.ui(func() {
		if h.closed() {
			t.Fatal("closing with a tray closed Cloudreel")
		}
		if h.overlay() != nil {
			t.Fatalf("closing with a tray asked: %q", flatText(h.overlay()))
		}
	})
	if !win.hidden.Load() {
		t.Fatal("the window was not taken to the tray")
	}
	before, _ := h.queue.Job(job.ID)
	h.eventually("the download to go on in the background", func() bool {
		j, _ := h.queue.Job(job.ID)
		return j.Done > before.Done || j.State == queue.Done
	})
	notices := func() (n int) {
		for _, s := range h.app.sent() {
			if strings.Contains(s.Content, "system tray") {
				n++
			}
		}
		return n
	}
	if n := notices(); n != 1 {
		t.Fatalf("%d notices said where Cloudreel went, want 1: %v", n, h.app.sent())
	}

	// Open Cloudreel brings the window back; the next close says nothing.
	h.ui(tray.item(t, "Open Cloudreel").Action)
	if win.hidden.Load() {
		t.Fatal("Open Cloudreel left the window hidden")
	}
	h.ui(h.w.requestClose)
	if !win.hidden.Load() || notices() != 1 {
		t.Fatalf("the second close: hidden %v, %d notices", win.hidden.Load(), notices())
	}
}

// The tray's Pause all stops every download, then reads Resume all, which
// starts them again.
func TestTrayPauseAllAndResumeAll(t *testing.T) {
	h := newHarness(t, slowSim)
	tray, _ := withTray(h)
	job := startSlowDownload(t, h)
	h.eventually("the tray to offer Pause all", func() bool { return !tray.item(t, "Pause all").Disabled })
	h.ui(tray.item(t, "Pause all").Action)
	h.eventually("every download to pause", func() bool { return activeJobs(h) == 0 })
	if j, _ := h.queue.Job(job.ID); j.State != queue.Paused {
		t.Fatalf("Pause all left the download %s", j.State)
	}
	h.eventually("the tray to offer Resume all", func() bool {
		for _, it := range tray.menu.Items {
			if it.Label == "Resume all" && !it.Disabled {
				return true
			}
		}
		return false
	})
	h.ui(tray.item(t, "Resume all").Action)
	h.eventually("the download to run again", func() bool {
		j, _ := h.queue.Job(job.ID)
		return j.State.Active() || j.State == queue.Done
	})
}

// Sync now looks at the accounts kept in sync (main passes the syncer);
// a failed look says so in a notice, since the window may be hidden.
func TestTraySyncNowCallsTheSyncer(t *testing.T) {
	h := newHarness(t, smallSim)
	var mu sync.Mutex
	calls := 0
	h.ui(func() {
		h.w.deps.SyncNow = func(context.Context) error {
			mu.Lock()
			defer mu.Unlock()
			calls++
			if calls == 2 {
				return errors.New("School Zoom could not be reached")
			}
			return nil
		}
	})
	tray, _ := withTray(h)
	h.ui(tray.item(t, "Sync now").Action)
	eventually(t, "Sync now to call the syncer", func() bool { mu.Lock(); defer mu.Unlock(); return calls == 1 })
	h.ui(tray.item(t, "Sync now").Action)
	h.eventually("a notice that Sync now failed", func() bool {
		for _, s := range h.app.sent() {
			if s.Title == "Sync now did not finish" && strings.Contains(s.Content, "could not be reached") {
				return true
			}
		}
		return false
	})
}

// Without a syncer, Sync now cannot be chosen.
func TestTraySyncNowWithoutSyncerIsDisabled(t *testing.T) {
	h := newHarness(t, smallSim)
	tray, _ := withTray(h)
	h.ui(func() {
		if !tray.item(t, "Sync now").Disabled {
			t.Fatal("Sync now can be chosen without a syncer")
		}
	})
}

// Quit stops the downloads cleanly (paused, bytes kept) and closes.
func TestTrayQuitStopsCleanlyAndCloses(t *testing.T) {
	h := newHarness(t, slowSim)
	tray, _ := withTray(h)
	job := startSlowDownload(t, h)
	h.ui(h.w.requestClose)
	h.ui(tray.item(t, "Quit").Action)
	h.eventually("Cloudreel to close", h.closed)
	if n := activeJobs(h); n != 0 {
		t.Fatalf("%d downloads still running after Quit", n)
	}
	if j, _ := h.queue.Job(job.ID); j.State != queue.Paused || j.Done == 0 {
		t.Fatalf("Quit left the download %s with %d bytes, want paused with its bytes kept", j.State, j.Done)
	}
}

// The test driver has no tray: closing asks instead (closing_test.go).
func TestTrayNoneOnTheTestDriver(t *testing.T) {
	h := newHarness(t, smallSim)
	h.ui(func() {
		if h.w.tray != nil {
			t.Fatal("a tray on a driver without one")
		}
	})
}

package gui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cloudreel/fetch"
	"cloudreel/fetch/power"
	"cloudreel/fetch/queue"
	"cloudreel/fetch/sim"
)

// fakePower counts what the window asked of the computer instead of
// doing it.
type fakePower struct {
	mu            sync.Mutex
	sleeps, shuts int
}

func (f *fakePower) Sleep(context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sleeps++
	return nil
}

func (f *fakePower) ShutDown(context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.shuts++
	return nil
}

func (f *fakePower) counts() (sleeps, shuts int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.sleeps, f.shuts
}

// testClock is a clock whose time moves only when the test says.
type testClock struct {
	mu     sync.Mutex
	now    time.Duration
	timers []testTimer
}

type testTimer struct {
	at time.Duration
	ch chan time.Time
}

func (c *testClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	c.timers = append(c.timers, testTimer{c.now + d, ch})
	return ch
}

// advance moves the time on, ending the waits that are over.
func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now += d
	kept := c.timers[:0]
	for _, t := range c.timers {
		if t.at <= c.now {
			t.ch <- time.Time{}
		} else {
			kept = append(kept, t)
		}
	}
	c.timers = kept
}

func (c *testClock) waiting() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// passSeconds lets n seconds of a countdown pass, one wait at a time.
func (h *harness) passSeconds(n int) {
	h.t.Helper()
	for range n {
		eventually(h.t, "the countdown to wait", func() bool { return h.clock.waiting() > 0 })
		h.clock.advance(time.Second)
	}
}

// chooseWhenDone picks what happens when the queue is done in Settings,
// as a person does, and saves.
func (h *harness) chooseWhenDone(a power.Action) {
	h.t.Helper()
	h.ui(func() {
		test.Tap(button(h.t, h.content(), "Settings"))
		sel := find(h.overlay(), func(s *widget.Select) bool {
			return s.Selected == whenDoneLabel(h.w.settings.WhenDone) && len(s.Options) == len(power.Actions)
		})
		if len(sel) != 1 {
			h.t.Fatalf("Settings has %d \"When the downloads are done\" choices", len(sel))
		}
		sel[0].SetSelected(whenDoneLabel(a))
		test.Tap(button(h.t, h.overlay(), "Save"))
		if got := h.app.Preferences().String(prefWhenDone); got != string(a) || h.w.settings.WhenDone != a {
			h.t.Fatalf("chose %s in Settings, saved %q", a, got)
		}
	})
}

// countdownText is what the countdown dialog says, "" when none shows.
func (h *harness) countdownText() string {
	if h.w.countdown == nil || h.overlay() == nil {
		return ""
	}
	return h.w.countdown.text.Text
}

// downloadFirst downloads the first recording on screen and returns how
// many files it has.
func (h *harness) downloadFirst() int {
	h.t.Helper()
	h.tick(0)
	var n int
	h.ui(func() {
		n = filesOf(h.w.recordings.model.Ticked()...)
		test.Tap(h.w.recordings.download)
	})
	return n
}

func TestSleepsOnceAfterTheCountdownWhenEveryFileIsDone(t *testing.T) {
	h := newHarness(t, smallSim)
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	h.chooseWhenDone(power.Sleep)
	n := h.downloadFirst()
	h.eventually("the countdown", func() bool { return h.countdownText() == "Cloudreel will put the computer to sleep in 60 s." })
	if !allDone(h, n) {
		t.Fatal("the countdown began before every file was downloaded")
	}
	h.passSeconds(59)
	h.eventually("one second left", func() bool { return h.countdownText() == "Cloudreel will put the computer to sleep in 1 s." })
	if s, d := h.power.counts(); s+d != 0 {
		t.Fatalf("after 59 s of the countdown: %d sleeps, %d shut-downs", s, d)
	}
	h.passSeconds(1)
	h.eventually("the computer to sleep", func() bool { s, _ := h.power.counts(); return s == 1 })
	h.eventually("the countdown to close", func() bool { return h.w.countdown == nil && h.overlay() == nil })
	h.clock.advance(5 * time.Minute)
	if s, d := h.power.counts(); s != 1 || d != 0 || h.clock.waiting() != 0 {
		t.Fatalf("after the countdown: %d sleeps, %d shut-downs, %d waits", s, d, h.clock.waiting())
	}
	if len(h.app.sent()) != 0 {
		t.Errorf("sleep also sent notifications: %v", h.app.sent())
	}
}

func TestCanceledCountdownLeavesTheComputerOn(t *testing.T) {
	h := newHarness(t, smallSim)
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	h.chooseWhenDone(power.ShutDown)
	h.downloadFirst()
	h.eventually("the countdown", func() bool { return h.countdownText() == "Cloudreel will shut the computer down in 60 s." })
	h.passSeconds(10)
	h.eventually("50 s left", func() bool { return h.countdownText() == "Cloudreel will shut the computer down in 50 s." })
	h.ui(func() { test.Tap(button(t, h.overlay(), "Cancel")) })
	h.eventually("the countdown to close", func() bool { return h.w.countdown == nil && h.overlay() == nil })
	h.clock.advance(5 * time.Minute)
	if s, d := h.power.counts(); s+d != 0 {
		t.Fatalf("a canceled countdown: %d sleeps, %d shut-downs", s, d)
	}
}

func TestNoCountdownWhenAFileFailed(t *testing.T) {
	h := newHarness(t, smallSim)
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	h.chooseWhenDone(power.Sleep)
	h.sim.Faults().Set(sim.FaultSet{MediaErrors: 1000})
	h.downloadFirst()
	h.eventually("the banner of the failed batch", func() bool {
		return h.w.banner.root.Visible() && strings.Contains(h.w.banner.text.Text, "could not be downloaded")
	})
	h.ui(func() {
		if h.w.countdown != nil {
			t.Fatalf("a batch with a failed file began the countdown: %q", h.countdownText())
		}
	})
	h.clock.advance(5 * time.Minute)
	if s, d := h.power.counts(); s+d != 0 || h.clock.waiting() != 0 {
		t.Fatalf("a failed batch: %d sleeps, %d shut-downs, %d waits", s, d, h.clock.waiting())
	}
}

func TestNoCountdownWhenPausedUntilTheFilesFinish(t *testing.T) {
	h := newHarness(t, fewSlowFiles)
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	h.chooseWhenDone(power.Sleep)
	n := h.downloadFirst()
	h.eventually("a file to download", func() bool {
		for _, j := range h.queue.Jobs() {
			if j.State == queue.Downloading {
				return true
			}
		}
		return false
	})
	h.ui(func() { test.Tap(button(t, h.content(), "Pause all")) })
	h.eventually("every file to pause", func() bool {
		jobs := h.queue.Jobs()
		for _, j := range jobs {
			if j.State.Active() {
				return false
			}
		}
		return len(jobs) == n
	})
	// What the panel's ticker does: the paused batch is over.
	h.w.downloads.update()
	h.eventually("the paused batch to be seen", func() bool { return h.w.downloads.rows.batchLen() == 0 })
	h.ui(func() {
		if h.w.countdown != nil {
			t.Fatalf("pausing began the countdown: %q", h.countdownText())
		}
	})
	if s, d := h.power.counts(); s+d != 0 {
		t.Fatalf("a paused batch: %d sleeps, %d shut-downs", s, d)
	}
	// Resumed and finished, the queue is done: now it counts down.
	h.ui(func() { test.Tap(button(t, h.content(), "Resume all")) })
	h.eventually("the countdown after the files finished", func() bool { return h.countdownText() != "" })
	if !allDone(h, n) {
		t.Fatal("the countdown began before every file was downloaded")
	}
	h.passSeconds(60)
	h.eventually("the computer to sleep", func() bool { s, _ := h.power.counts(); return s == 1 })
}

func TestNotificationSaysHowManyFilesAndWhere(t *testing.T) {
	h := newHarness(t, smallSim)
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	if h.w.settings.WhenDone != power.Notify {
		t.Fatalf("a new user's setting is %s, want notify (as the old check box's default)", h.w.settings.WhenDone)
	}
	h.tick(0, 1)
	var n int
	h.ui(func() {
		n = filesOf(h.w.recordings.model.Ticked()...)
		test.Tap(h.w.recordings.download)
	})
	h.eventually("a notification", func() bool { return len(h.app.sent()) > 0 })
	want := fmt.Sprintf("%d files of 2 recordings downloaded to %s.", n, displayFolder(h.folder))
	if got := h.app.sent()[0].Content; got != want {
		t.Errorf("the notification says %q, want %q", got, want)
	}
	if !allDone(h, n) {
		t.Error("notified before every file was downloaded")
	}

	// Nothing: no notification, and no countdown.
	h.chooseWhenDone(power.Nothing)
	h.ui(h.w.recordings.onSelectNone)
	h.tick(2)
	var m int
	h.ui(func() {
		m = filesOf(h.w.recordings.model.Ticked()...)
		test.Tap(h.w.recordings.download)
	})
	h.eventually("the next batch to end", func() bool { return allDone(h, n+m) })
	h.w.downloads.update()
	h.eventually("the batch to be seen", func() bool { return h.w.downloads.rows.batchLen() == 0 })
	if len(h.app.sent()) != 1 || h.w.countdown != nil {
		t.Errorf("with nothing chosen: %d notifications, countdown %v", len(h.app.sent()), h.w.countdown != nil)
	}
}

func TestOldNotifyChoiceIsKept(t *testing.T) {
	a := test.NewTempApp(t)
	a.Preferences().SetBool(prefNotify, false)
	if got := loadWhenDone(a.Preferences()); got != power.Nothing {
		t.Errorf("notifications were off, now %s", got)
	}
	a.Preferences().SetString(prefWhenDone, "shutdown")
	if got := loadWhenDone(a.Preferences()); got != power.ShutDown {
		t.Errorf("saved shutdown, read %s", got)
	}
}

// batchLen is how many jobs the batch being watched holds.
func (r *jobRows) batchLen() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.batch)
}

// The rows kept in place one event at a time are in the order a full
// sort gives: by group, then in the order the jobs were added.
func TestJobRowsPlaceKeepsTheOrderOfASort(t *testing.T) {
	r := newJobRows(nil)
	states := []queue.State{queue.Queued, queue.Downloading, queue.Paused, queue.Failed, queue.Done, queue.Canceled}
	var jobs []queue.Job
	for i := range 40 {
		jobs = append(jobs, queue.Job{ID: fmt.Sprintf("j%02d", i), State: states[i%len(states)]})
	}
	r.set(summaries(jobs[:20]), 0)
	for i := range 400 {
		j := jobs[(i*7)%len(jobs)]
		j.State = states[(i*5)%len(states)]
		r.apply(queue.Event{Kind: queue.StateChanged, Job: j})
		got := slices.Clone(r.order)
		r.sort()
		if !slices.Equal(got, r.order) {
			t.Fatalf("after event %d the rows are %v, a sort gives %v", i, got, r.order)
		}
	}
}

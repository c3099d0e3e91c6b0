package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"cloudreel/fetch/sim"
)

// cliPower counts the power actions the commands asked for.
type cliPower struct {
	mu            sync.Mutex
	sleeps, shuts int
}

func (p *cliPower) Sleep(context.Context) error    { p.mu.Lock(); p.sleeps++; p.mu.Unlock(); return nil }
func (p *cliPower) ShutDown(context.Context) error { p.mu.Lock(); p.shuts++; p.mu.Unlock(); return nil }
func (p *cliPower) counts() (int, int)             { p.mu.Lock(); defer p.mu.Unlock(); return p.sleeps, p.shuts }

// passingClock lets every second of a countdown pass at once and counts
// them; onWait, when set, runs at each wait.
type passingClock struct {
	mu     sync.Mutex
	waited time.Duration
	onWait func(total time.Duration)
}

func (c *passingClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	c.waited += d
	total := c.waited
	c.mu.Unlock()
	if c.onWait != nil {
		c.onWait(total)
	}
	ch := make(chan time.Time, 1)
	ch <- time.Time{}
	return ch
}

func fakePowerFor(t *testing.T, clock *passingClock) *cliPower {
	p := &cliPower{}
	prevOS, prevClock := powerOS, powerClock
	powerOS, powerClock = p, clock
	t.Cleanup(func() { powerOS, powerClock = prevOS, prevClock })
	return p
}

func TestSyncOnceSleepsAfterTheCountdown(t *testing.T) {
	newCLIHome(t, sim.Config{Recordings: 2, MinSize: 1000, MaxSize: 3000})
	clock := &passingClock{}
	p := fakePowerFor(t, clock)
	keepInSync(t, zoomAccount)
	code, stdout, stderr := runCLI(t, "sync", "-once", "-when-done", "sleep")
	if code != 0 {
		t.Fatalf("sync -once -when-done sleep: exit %d: %s\n%s", code, stderr, stdout)
	}
	if s, d := p.counts(); s != 1 || d != 0 || clock.waited != 60*time.Second {
		t.Fatalf("%d sleeps, %d shut-downs after a countdown of %s", s, d, clock.waited)
	}
	for _, line := range []string{"Cloudreel will put the computer to sleep in 60 s. Press Ctrl+C to cancel.", "in 30 s.", "in 1 s."} {
		if !strings.Contains(stdout, line) {
			t.Errorf("the countdown does not say %q:\n%s", line, stdout)
		}
	}
	// Nothing new: nothing downloaded, the computer is left alone.
	code, stdout, stderr = runCLI(t, "sync", "-once", "-when-done", "sleep")
	if s, _ := p.counts(); code != 0 || s != 1 || strings.Contains(stdout, "Cloudreel will") {
		t.Fatalf("a sync with nothing new: exit %d, %d sleeps: %s\n%s", code, s, stderr, stdout)
	}
}

func TestSyncOnceDoesNotShutDownWhenAFileFailed(t *testing.T) {
	s := newCLIHome(t, sim.Config{Recordings: 1, MinSize: 1000, MaxSize: 3000})
	p := fakePowerFor(t, &passingClock{})
	keepInSync(t, huaweiAccount, "-kinds", "video")
	s.Faults().Update(func(f *sim.FaultSet) { f.ErrorBody200 = 4 })
	code, stdout, stderr := runCLI(t, "sync", "-once", "-when-done", "shutdown")
	if code != 1 {
		t.Fatalf("a failed file: exit %d: %s\n%s", code, stderr, stdout)
	}
	if s, d := p.counts(); s+d != 0 || strings.Contains(stdout, "Cloudreel will") {
		t.Fatalf("a failed file: %d sleeps, %d shut-downs:\n%s", s, d, stdout)
	}
}

func TestCtrlCCancelsTheCountdown(t *testing.T) {
	newCLIHome(t, sim.Config{Recordings: 1, MinSize: 1000, MaxSize: 3000})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Ctrl+C 20 s into the countdown.
	clock := &passingClock{onWait: func(total time.Duration) {
		if total == 20*time.Second {
			cancel()
		}
	}}
	p := fakePowerFor(t, clock)
	keepInSync(t, zoomAccount)
	var out, errb bytes.Buffer
	code := syncWith(ctx, &cliEnv{stdin: strings.NewReader(""), stdout: &out, stderr: &errb}, []string{"-once", "-when-done", "shutdown"})
	if code != 0 || !strings.Contains(out.String(), "Canceled: the computer stays on.") {
		t.Fatalf("Ctrl+C in the countdown: exit %d: %s\n%s", code, errb.String(), out.String())
	}
	if s, d := p.counts(); s+d != 0 {
		t.Fatalf("Ctrl+C in the countdown: %d sleeps, %d shut-downs", s, d)
	}
}

func TestWhenDoneFlag(t *testing.T) {
	newCLIHome(t, sim.Config{Recordings: 1, MinSize: 1000, MaxSize: 3000})
	if code, _, stderr := runCLI(t, "sync", "-once", "-when-done", "hibernate"); code != 2 || !strings.Contains(stderr, "nothing, notify, sleep or shutdown") {
		t.Errorf("-when-done hibernate: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "sync", "-list", "-when-done", "sleep"); code != 1 || !strings.Contains(stderr, "-when-done goes with -once") {
		t.Errorf("-list -when-done: exit %d: %s", code, stderr)
	}
}

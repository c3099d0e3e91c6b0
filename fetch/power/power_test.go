package power

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// fakeOS counts the actions asked of it instead of doing them.
type fakeOS struct {
	mu            sync.Mutex
	sleeps, shuts int
	err           error
}

func (f *fakeOS) Sleep(context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sleeps++
	return f.err
}

func (f *fakeOS) ShutDown(context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.shuts++
	return f.err
}

func (f *fakeOS) counts() (int, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.sleeps, f.shuts
}

// stepClock hands each wait to the test, which lets it pass (or not).
type stepClock struct{ waits chan stepWait }

type stepWait struct {
	d  time.Duration
	ch chan time.Time
}

func newStepClock() *stepClock { return &stepClock{waits: make(chan stepWait)} }

func (c *stepClock) After(d time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	c.waits <- stepWait{d, ch}
	return ch
}

// pass lets the next wait end and returns its length.
func (c *stepClock) pass(t *testing.T) time.Duration {
	t.Helper()
	select {
	case w := <-c.waits:
		w.ch <- time.Time{}
		return w.d
	case <-time.After(10 * time.Second):
		t.Fatal("the countdown stopped waiting on its clock")
		return 0
	}
}

func TestCountdownRunsTheActionOnceAfterSixtySeconds(t *testing.T) {
	for _, a := range []Action{Sleep, ShutDown} {
		os, clock := &fakeOS{}, newStepClock()
		var ticks []time.Duration
		done := make(chan error, 1)
		go func() {
			done <- Countdown{Action: a, OS: os, Clock: clock, Tick: func(left time.Duration) { ticks = append(ticks, left) }}.Run(context.Background())
		}()
		var waited time.Duration
		for range 59 {
			waited += clock.pass(t)
			if s, d := os.counts(); s+d != 0 {
				t.Fatalf("%s ran after %s of the countdown", a, waited)
			}
		}
		waited += clock.pass(t)
		if err := <-done; err != nil {
			t.Fatalf("%s: %v", a, err)
		}
		sleeps, shuts := os.counts()
		want := map[Action][2]int{Sleep: {1, 0}, ShutDown: {0, 1}}[a]
		if sleeps != want[0] || shuts != want[1] {
			t.Errorf("%s: %d sleeps and %d shut-downs, want %v", a, sleeps, shuts, want)
		}
		if waited != 60*time.Second || len(ticks) != 60 || ticks[0] != 60*time.Second || ticks[59] != time.Second {
			t.Errorf("%s: waited %s with ticks %v, want 60 s counted down from 60 s to 1 s", a, waited, ticks)
		}
	}
}

func TestCanceledCountdownDoesNothing(t *testing.T) {
	os, clock := &fakeOS{}, newStepClock()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Countdown{Action: ShutDown, OS: os, Clock: clock}.Run(ctx) }()
	for range 10 {
		clock.pass(t)
	}
	cancel()
	// The countdown may be waiting on its clock or already have seen the
	// cancel; either way it ends without the action.
	go func() {
		for w := range clock.waits {
			w.ch <- time.Time{}
		}
	}()
	if err := <-done; !errors.Is(err, ErrCanceled) {
		t.Fatalf("a canceled countdown returned %v", err)
	}
	if s, d := os.counts(); s+d != 0 {
		t.Fatalf("a canceled countdown ran the action (%d sleeps, %d shut-downs)", s, d)
	}
	close(clock.waits)
}

func TestOnlyDrasticActionsCountDown(t *testing.T) {
	os := &fakeOS{}
	for _, a := range []Action{Nothing, Notify} {
		if err := (Countdown{Action: a, OS: os, Clock: newStepClock()}).Run(context.Background()); err != nil {
			t.Errorf("%s: %v", a, err)
		}
	}
	if s, d := os.counts(); s+d != 0 {
		t.Fatal("nothing or notify touched the computer's power")
	}
}

func TestFailedActionSaysWhat(t *testing.T) {
	os := &fakeOS{err: errors.New("Interactive authentication required.")}
	if err := Do(context.Background(), os, Sleep); err == nil || !errors.Is(err, os.err) {
		t.Fatalf("Do returned %v", err)
	}
	err := run(context.Background(), "put the computer to sleep", []string{"sh", "-c", "echo not allowed >&2; exit 1"})
	if err == nil || err.Error() != "could not put the computer to sleep (sh said: not allowed): exit status 1" {
		t.Fatalf("a failing command: %v", err)
	}
	if err := run(context.Background(), "shut the computer down", nil); !errors.Is(err, errUnsupported) {
		t.Fatalf("no command: %v", err)
	}
}

func TestOutcomeFinishedOnlyWhenEveryFileIsDone(t *testing.T) {
	for _, c := range []struct {
		o    Outcome
		want bool
	}{
		{Outcome{Done: 3}, true},
		{Outcome{}, false},
		{Outcome{Done: 3, Failed: 1}, false},
		{Outcome{Done: 3, Paused: 1}, false},
		{Outcome{Done: 3, Canceled: 1}, false},
		{Outcome{Done: 3, Unfinished: 1}, false},
	} {
		if got := c.o.Finished(); got != c.want {
			t.Errorf("%+v: Finished %v, want %v", c.o, got, c.want)
		}
	}
}

func TestParseAction(t *testing.T) {
	for in, want := range map[string]Action{"": Nothing, "nothing": Nothing, "Notify": Notify, " sleep ": Sleep, "shutdown": ShutDown, "shut-down": ShutDown} {
		if got, err := ParseAction(in); err != nil || got != want {
			t.Errorf("ParseAction(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := ParseAction("hibernate"); err == nil {
		t.Error("hibernate was accepted")
	}
}

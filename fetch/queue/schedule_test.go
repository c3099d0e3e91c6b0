package queue

import (
	"context"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// fakeClock is a clock the test moves; After's channels fire when it
// passes their time.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []fakeWaiter
}

type fakeWaiter struct {
	at time.Time
	ch chan time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	c.waiters = append(c.waiters, fakeWaiter{c.now.Add(d), ch})
	return ch
}

func (c *fakeClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if !w.at.After(t) {
			w.ch <- t
		} else {
			kept = append(kept, w)
		}
	}
	c.waiters = kept
}

func (c *fakeClock) pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.waiters)
}

func limitOf(q *Queue) rate.Limit { return q.limiter.Limit() }

func waitLimit(t *testing.T, q *Queue, want rate.Limit, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for limitOf(q) != want {
		if time.Now().After(deadline) {
			t.Fatalf("%s: the limit is %v, want %v", what, limitOf(q), want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// "Full speed at night, 2 MB/s from 8:00 to 18:00": the limit switches at
// each boundary of the fake clock, and not a second before.
func TestSpeedScheduleSwitchesAtTheBoundary(t *testing.T) {
	q, _ := newQueue(t, newConn(nil), nil)
	day := time.Date(2026, 3, 10, 7, 59, 59, 0, time.Local)
	clock := &fakeClock{now: day}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := NewSpeedScheduler(ctx, q, clock)
	s.Set(0, &SpeedSchedule{From: 8 * time.Hour, To: 18 * time.Hour, Limit: 2e6})
	waitLimit(t, q, rate.Inf, "at 7:59:59")

	step := func(to time.Time, want rate.Limit, what string) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); clock.pending() == 0; time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the scheduler never waited for the next boundary")
			}
		}
		clock.set(to)
		waitLimit(t, q, want, what)
	}
	step(day.Add(time.Second), 2e6, "at 8:00")
	step(time.Date(2026, 3, 10, 17, 59, 59, 0, time.Local), 2e6, "at 17:59:59")
	step(time.Date(2026, 3, 10, 18, 0, 0, 0, time.Local), rate.Inf, "at 18:00")
	step(time.Date(2026, 3, 11, 8, 0, 0, 0, time.Local), 2e6, "at 8:00 the next day")

	// Without a schedule, the base limit holds all day.
	s.Set(1e6, nil)
	waitLimit(t, q, 1e6, "with the schedule removed")
}

// A schedule across midnight ("1 MB/s from 22:00 to 6:00") and the base
// limit the rest of the day.
func TestSpeedScheduleAcrossMidnight(t *testing.T) {
	s := SpeedSchedule{From: 22 * time.Hour, To: 6 * time.Hour, Limit: 1e6}
	at := func(h, m int) time.Time { return time.Date(2026, 3, 10, h, m, 0, 0, time.Local) }
	for _, c := range []struct {
		t    time.Time
		want int64
	}{{at(21, 59), 5e6}, {at(22, 0), 1e6}, {at(23, 59), 1e6}, {at(0, 0), 1e6}, {at(5, 59), 1e6}, {at(6, 0), 5e6}} {
		if got := s.LimitAt(c.t, 5e6); got != c.want {
			t.Errorf("at %s: %d, want %d", c.t.Format("15:04"), got, c.want)
		}
	}
	if got, want := s.next(at(23, 0)), time.Date(2026, 3, 11, 6, 0, 0, 0, time.Local); !got.Equal(want) {
		t.Errorf("after 23:00 the next boundary is %s, want %s", got, want)
	}
}

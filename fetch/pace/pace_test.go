package pace

import (
	"context"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"
)

// clock is a test clock that moves only when told.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestPaceHalvesOnA429AndCreepsBackToTheCeiling(t *testing.T) {
	var seen []float64
	p := New(Config{Start: 20, Ceiling: 60, RampAfter: 3, Changed: func(r float64) { seen = append(seen, r) }})
	if p.Limit() != 20 {
		t.Fatalf("starts at %v, want the documented 20", p.Limit())
	}
	p.Slow(0, false)
	if p.Limit() != 10 {
		t.Fatalf("after a 429: %v, want 10", p.Limit())
	}
	// Two successes are not yet a run; a 429 in between starts it over.
	p.Success()
	p.Success()
	p.Slow(0, false)
	if p.Limit() != 5 {
		t.Fatalf("after a second 429: %v, want 5", p.Limit())
	}
	for range 3 {
		p.Success()
	}
	if p.Limit() != 10 {
		t.Fatalf("after a run of 3: %v, want 5+5", p.Limit())
	}
	for range 100 {
		p.Success()
	}
	if p.Limit() != 60 {
		t.Fatalf("after many successes: %v, want the ceiling 60", p.Limit())
	}
	want := []float64{10, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60}
	if len(seen) != len(want) {
		t.Fatalf("rates told: %v, want %v", seen, want)
	}
	for i := range want {
		if seen[i] != want[i] {
			t.Fatalf("rates told: %v, want %v", seen, want)
		}
	}
	if p.Slowdowns() != 2 {
		t.Fatalf("slowdowns %d, want 2", p.Slowdowns())
	}
}

func TestPaceNeverGoesBelowTheFloor(t *testing.T) {
	p := New(Config{Start: 8, Floor: 2})
	for range 10 {
		p.Slow(0, false)
	}
	if p.Limit() != 2 {
		t.Fatalf("after ten 429s: %v, want the floor 2", p.Limit())
	}
	if p.cfg.Ceiling != 8 {
		t.Fatalf("default ceiling %v, want the start", p.cfg.Ceiling)
	}
}

func TestPaceHoldsForRetryAfter(t *testing.T) {
	c := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	p := New(Config{Start: 20, Now: c.now})
	p.Slow(3*time.Second, true)
	if got := p.Held(); got != 3*time.Second {
		t.Fatalf("held %v, want the Retry-After of 3s", got)
	}
	// A shorter Retry-After from another call does not cut the hold short.
	c.t = c.t.Add(time.Second)
	p.Slow(time.Second, true)
	if got := p.Held(); got != 2*time.Second {
		t.Fatalf("held %v after 1s and a shorter Retry-After, want 2s", got)
	}
	// A 429 without Retry-After slows the rate but holds nothing more.
	c.t = c.t.Add(2 * time.Second)
	p.Slow(time.Hour, false)
	if got := p.Held(); got != 0 {
		t.Fatalf("held %v after the hold ended, want 0", got)
	}
	if p.Limit() != 2.5 {
		t.Fatalf("rate %v after three 429s, want 20/8", p.Limit())
	}
}

func TestPaceWaitEndsWithTheContext(t *testing.T) {
	c := &clock{t: time.Now()}
	p := New(Config{Start: 1, Now: c.now})
	p.Slow(time.Hour, true)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.Wait(ctx); err != context.Canceled {
		t.Fatalf("Wait during a hold with a cancelled context: %v", err)
	}
}

func TestAheadGivesResultsInOrder(t *testing.T) {
	var running, most atomic.Int32
	var got []int
	Ahead(context.Background(), 4, 50, func(ctx context.Context, i int) int {
		n := running.Add(1)
		defer running.Add(-1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		// Calls end out of order.
		time.Sleep(time.Duration(rand.IntN(300)) * time.Microsecond)
		return i * i
	}, func(i, v int) bool {
		if v != i*i {
			t.Errorf("item %d got %d", i, v)
		}
		got = append(got, i)
		return true
	})
	if len(got) != 50 {
		t.Fatalf("took %d items, want 50", len(got))
	}
	for i, v := range got {
		if v != i {
			t.Fatalf("order %v", got)
		}
	}
	if m := most.Load(); m > 4 || m < 1 {
		t.Fatalf("%d calls at once, want at most 4", m)
	}
}

func TestAheadStopsAndCancelsTheRest(t *testing.T) {
	var started, cancelled atomic.Int32
	taken := 0
	Ahead(context.Background(), 3, -1, func(ctx context.Context, i int) error {
		started.Add(1)
		if i == 0 {
			return nil
		}
		<-ctx.Done() // later items wait until Ahead gives up on them
		cancelled.Add(1)
		return ctx.Err()
	}, func(i int, err error) bool {
		taken++
		return false // stop after the first
	})
	if taken != 1 {
		t.Fatalf("take called %d times, want 1", taken)
	}
	// Ahead returned, so every started call has returned.
	if s, c := started.Load(), cancelled.Load(); s != 3 || c != 2 {
		t.Fatalf("started %d, cancelled %d; want 3 and 2", s, c)
	}
}

package queue

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// SetConcurrency changes how many files download at once (1 to 8).
// Lowering it lets running transfers finish.
func (q *Queue) SetConcurrency(n int) {
	q.mu.Lock()
	q.concurrency = clampConcurrency(n)
	q.mu.Unlock()
	q.opts.Shared.SetConcurrency(n)
	q.wake()
}

// SetSpeedLimit caps the total speed in bytes a second; 0 or less removes
// the cap. It applies to running transfers at once.
func (q *Queue) SetSpeedLimit(bps int64) {
	// The uploads' bytes wait for the same limiter (fetch/limits).
	q.opts.Shared.SetSpeedLimit(bps)
}

// SetTemplate changes the file name template for jobs added from now on.
func (q *Queue) SetTemplate(template string) {
	q.mu.Lock()
	q.opts.Template = template
	q.mu.Unlock()
}

// speedLimiter is grab's RateLimiter over a shared rate.Limiter: one limit
// for all transfers together. rate.Limiter refuses to wait for more than
// its burst at once, so a large read is waited for in pieces.
type speedLimiter struct{ lim *rate.Limiter }

func (s speedLimiter) WaitN(ctx context.Context, n int) error {
	for n > 0 {
		k := min(n, max(s.lim.Burst(), 1))
		if err := s.lim.WaitN(ctx, k); err != nil {
			return err
		}
		n -= k
	}
	return nil
}

// SetSkipExisting turns "skip files already downloaded" on or off for the
// jobs added from now on (the window's setting).
func (q *Queue) SetSkipExisting(on bool) {
	q.mu.Lock()
	q.opts.SkipExisting = on
	q.mu.Unlock()
}

// SpeedSchedule is a speed limit for some hours of each day ("2 MB/s from
// 8:00 to 18:00"); the rest of the day the queue's own limit applies.
type SpeedSchedule struct {
	// From and To are times of day on the local clock, as the time since
	// midnight; a To before From reaches past midnight.
	From, To time.Duration
	// Limit is the speed during those hours in bytes a second; 0 or less
	// is full speed.
	Limit int64
}

// LimitAt is the limit at t: s.Limit during the schedule's hours, base
// the rest of the day.
func (s SpeedSchedule) LimitAt(t time.Time, base int64) int64 {
	if s.From == s.To {
		return base
	}
	now := sinceMidnight(t)
	in := now >= s.From && now < s.To
	if s.To < s.From {
		in = now >= s.From || now < s.To
	}
	if in {
		return s.Limit
	}
	return base
}

// next is the first boundary of the schedule after t.
func (s SpeedSchedule) next(t time.Time) time.Time {
	var best time.Time
	for _, b := range []time.Duration{s.From, s.To} {
		for day := 0; day <= 1; day++ {
			y, m, d := t.Date()
			at := time.Date(y, m, d+day, int(b/time.Hour), int(b%time.Hour/time.Minute), 0, 0, t.Location())
			if at.After(t) && (best.IsZero() || at.Before(best)) {
				best = at
			}
		}
	}
	return best
}

func sinceMidnight(t time.Time) time.Duration {
	h, m, sec := t.Clock()
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second
}

// Clock is the speed scheduler's clock; tests inject a fake one.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// scheduleRecheck bounds each wait for a boundary, so that a computer
// that slept through one (timers stop counting while it sleeps) switches
// soon after it wakes.
const scheduleRecheck = 5 * time.Minute

// SpeedScheduler sets the queue's speed limit after a base limit and an
// optional SpeedSchedule, switching at the schedule's boundaries.
type SpeedScheduler struct {
	q      *Queue
	clock  Clock
	mu     sync.Mutex
	base   int64
	sched  *SpeedSchedule
	change chan struct{}
}

// NewSpeedScheduler starts switching q's speed limit until ctx ends;
// clock nil is the real clock. Until Set, there is no limit.
func NewSpeedScheduler(ctx context.Context, q *Queue, clock Clock) *SpeedScheduler {
	if clock == nil {
		clock = realClock{}
	}
	s := &SpeedScheduler{q: q, clock: clock, change: make(chan struct{}, 1)}
	go s.run(ctx)
	return s
}

// Set makes base (bytes a second, 0 for none) the limit outside the
// schedule's hours, and sched (nil for none) the limit during them. It
// applies at once.
func (s *SpeedScheduler) Set(base int64, sched *SpeedSchedule) {
	s.mu.Lock()
	s.base = base
	if sched != nil {
		c := *sched
		sched = &c
	}
	s.sched = sched
	s.mu.Unlock()
	s.apply(s.clock.Now())
	select {
	case s.change <- struct{}{}:
	default:
	}
}

// apply sets the limit for the time now and says when it next changes
// (zero: never).
func (s *SpeedScheduler) apply(now time.Time) time.Time {
	s.mu.Lock()
	base, sched := s.base, s.sched
	s.mu.Unlock()
	if sched == nil {
		s.q.SetSpeedLimit(base)
		return time.Time{}
	}
	s.q.SetSpeedLimit(sched.LimitAt(now, base))
	return sched.next(now)
}

func (s *SpeedScheduler) run(ctx context.Context) {
	for {
		now := s.clock.Now()
		next := s.apply(now)
		var timer <-chan time.Time
		if !next.IsZero() {
			timer = s.clock.After(min(next.Sub(now), scheduleRecheck))
		}
		select {
		case <-ctx.Done():
			return
		case <-s.change:
		case <-timer:
		}
	}
}

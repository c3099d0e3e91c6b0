// Package pace is the adaptive speed of a platform's API calls: it starts
// at the rate the platform documents, halves when the platform answers
// 429, waits out a Retry-After, and creeps back up after a run of calls
// that went through, never past the ceiling. It is built on
// golang.org/x/time/rate, which does the token bucket.
package pace

import (
	"context"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Config is how a Pace starts and how far it may move. Rates are calls a
// second.
type Config struct {
	// Start is the rate of the first calls: the platform's documented rate.
	Start float64
	// Ceiling is the fastest the pace ever goes (default Start).
	Ceiling float64
	// Floor is the slowest a run of 429s takes it (default Start/16, at
	// least one call every ten seconds).
	Floor float64
	// RampAfter is how many calls in a row must go through before the
	// pace steps up (default 10).
	RampAfter int
	// Step is how much each step up adds (default Start/4): additive
	// increase, so that a platform at its limit is approached slowly
	// after the multiplicative decrease of a 429.
	Step float64
	// Now is the clock (default time.Now); tests move their own.
	Now func() time.Time
	// Changed, when set, is told every new rate (after a 429 or a step
	// up), so that a test or a log can follow the pace.
	Changed func(perSecond float64)
}

// Pace is an adaptive rate shared by every call to one platform account.
// It is safe for concurrent use.
type Pace struct {
	cfg Config
	lim *rate.Limiter

	mu     sync.Mutex
	limit  float64   // calls a second now
	run    int       // calls that went through since the last change
	holdTo time.Time // no call before this (a Retry-After)
	slows  int       // 429s seen
}

// New returns a pace that starts at cfg.Start.
func New(cfg Config) *Pace {
	if cfg.Start <= 0 {
		cfg.Start = 1
	}
	if cfg.Ceiling < cfg.Start {
		cfg.Ceiling = cfg.Start
	}
	if cfg.Floor <= 0 {
		cfg.Floor = max(cfg.Start/16, 0.1)
	}
	cfg.Floor = min(cfg.Floor, cfg.Start)
	if cfg.RampAfter <= 0 {
		cfg.RampAfter = 10
	}
	if cfg.Step <= 0 {
		cfg.Step = cfg.Start / 4
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	p := &Pace{cfg: cfg, limit: cfg.Start}
	p.lim = rate.NewLimiter(rate.Limit(cfg.Start), burst(cfg.Start))
	return p
}

// burst lets one second's worth of calls go at once: the platforms count
// calls a second, so a second's worth in a burst stays within the limit.
func burst(perSecond float64) int { return max(int(math.Ceil(perSecond)), 1) }

// Limit is the rate now, in calls a second.
func (p *Pace) Limit() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.limit
}

// Slowdowns is how many 429s the pace has been told of.
func (p *Pace) Slowdowns() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.slows
}

// Held is how long from now no call may start because of a Retry-After.
func (p *Pace) Held() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return max(p.holdTo.Sub(p.cfg.Now()), 0)
}

// Wait blocks until a call may start: after any Retry-After, then at the
// rate. It returns early with the context's error.
func (p *Pace) Wait(ctx context.Context) error {
	for {
		d := p.Held()
		if d <= 0 {
			break
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
	return p.lim.Wait(ctx)
}

// Success records a call the platform answered without a 429; after
// RampAfter of them in a row the rate steps up.
func (p *Pace) Success() {
	p.mu.Lock()
	p.run++
	if p.run < p.cfg.RampAfter || p.limit >= p.cfg.Ceiling {
		p.mu.Unlock()
		return
	}
	p.run = 0
	changed := p.set(min(p.limit+p.cfg.Step, p.cfg.Ceiling))
	p.mu.Unlock()
	p.tell(changed)
}

// Slow records a 429: the rate halves (not below the floor) and, when
// the platform said how long to wait (given), no call starts before that.
func (p *Pace) Slow(retryAfter time.Duration, given bool) {
	p.mu.Lock()
	p.slows++
	p.run = 0
	if given && retryAfter > 0 {
		if to := p.cfg.Now().Add(retryAfter); to.After(p.holdTo) {
			p.holdTo = to
		}
	}
	changed := p.set(max(p.limit/2, p.cfg.Floor))
	p.mu.Unlock()
	p.tell(changed)
}

// set changes the rate and returns the new one, or 0 when it stayed;
// p.mu is held. The limiter keeps to the real clock, whatever Now is:
// its token bucket times real calls.
func (p *Pace) set(limit float64) float64 {
	if limit == p.limit {
		return 0
	}
	p.limit = limit
	p.lim.SetLimit(rate.Limit(limit))
	p.lim.SetBurst(burst(limit))
	return limit
}

// tell passes a new rate to Changed, outside p.mu so that Changed may
// ask the pace anything.
func (p *Pace) tell(limit float64) {
	if limit > 0 && p.cfg.Changed != nil {
		p.cfg.Changed(limit)
	}
}

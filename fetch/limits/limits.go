// Package limits holds the one concurrency limit and the one speed limit
// that downloads (fetch/queue) and uploads (fetch/upload) share: a person
// sets "files at once" and "speed limit" once, and a file going to Valt
// counts against them like a file coming down.
package limits

import (
	"context"
	"sync"

	"golang.org/x/time/rate"
)

// MaxConcurrency is the most files that may move at once.
const MaxConcurrency = 8

// maxBurst bounds the speed limiter's burst: the copy buffer of a
// transfer, so that one read never waits for more than a quarter second's
// worth at a low limit.
const maxBurst = 256 << 10

// Shared is the slots and the speed limit that every transfer takes from.
// Its methods are safe for concurrent use.
type Shared struct {
	rate *rate.Limiter

	mu    sync.Mutex
	max   int
	used  int
	peak  int
	freed chan struct{} // closed and replaced at every Release or raise of max
}

// New returns limits of concurrency slots (1 to MaxConcurrency, default
// 3) and no speed limit.
func New(concurrency int) *Shared {
	s := &Shared{rate: rate.NewLimiter(rate.Inf, maxBurst), freed: make(chan struct{})}
	s.SetConcurrency(concurrency)
	return s
}

// Clamp returns n as a slot count: 3 when n is 0 or less, at most
// MaxConcurrency.
func Clamp(n int) int {
	if n <= 0 {
		return 3
	}
	return min(n, MaxConcurrency)
}

// SetConcurrency changes how many transfers may run at once. Lowering it
// lets running transfers finish; they give their slots back as they end.
func (s *Shared) SetConcurrency(n int) {
	s.mu.Lock()
	s.max = Clamp(n)
	s.signalLocked()
	s.mu.Unlock()
}

// Concurrency is how many transfers may run at once.
func (s *Shared) Concurrency() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.max
}

// TryTake takes a slot if one is free and reports whether it did.
func (s *Shared) TryTake() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.used >= s.max {
		return false
	}
	s.used++
	s.peak = max(s.peak, s.used)
	return true
}

// Take waits for a free slot and takes it, or returns ctx's error.
func (s *Shared) Take(ctx context.Context) error {
	for {
		freed := s.Freed()
		if s.TryTake() {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-freed:
		}
	}
}

// Release gives back a slot taken by TryTake or Take.
func (s *Shared) Release() {
	s.mu.Lock()
	if s.used > 0 {
		s.used--
	}
	s.signalLocked()
	s.mu.Unlock()
}

// Freed returns a channel that is closed at the next Release (or raise of
// the limit): a waiter gets it before trying, so that no release between
// its try and its wait is missed.
func (s *Shared) Freed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.freed
}

func (s *Shared) signalLocked() {
	close(s.freed)
	s.freed = make(chan struct{})
}

// InUse is how many slots are taken now; Peak the most taken at once
// since New (for tests and the log).
func (s *Shared) InUse() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.used
}

// Peak is the most slots taken at once since New.
func (s *Shared) Peak() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peak
}

// Rate is the speed limiter every transfer's bytes wait for.
func (s *Shared) Rate() *rate.Limiter { return s.rate }

// SetSpeedLimit caps the total speed of every transfer together, in bytes
// a second; 0 or less removes the cap. It applies to running transfers
// at once.
func (s *Shared) SetSpeedLimit(bps int64) {
	if bps <= 0 {
		s.rate.SetLimit(rate.Inf)
		return
	}
	// A burst of a quarter second keeps the flow even; readers split
	// larger reads to fit it.
	s.rate.SetBurst(int(min(max(bps/4, 4<<10), maxBurst)))
	s.rate.SetLimit(rate.Limit(bps))
}

// WaitN waits until n bytes may pass the speed limit, in pieces no larger
// than the burst (rate.Limiter refuses to wait for more at once).
func (s *Shared) WaitN(ctx context.Context, n int) error {
	if s.rate.Limit() == rate.Inf {
		return nil
	}
	for n > 0 {
		k := min(n, max(s.rate.Burst(), 1))
		if err := s.rate.WaitN(ctx, k); err != nil {
			return err
		}
		n -= k
	}
	return nil
}

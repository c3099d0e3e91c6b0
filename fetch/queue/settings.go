package queue

import (
	"context"

	"golang.org/x/time/rate"
)

// SetConcurrency changes how many files download at once (1 to 8).
// Lowering it lets running transfers finish.
func (q *Queue) SetConcurrency(n int) {
	q.mu.Lock()
	q.concurrency = clampConcurrency(n)
	q.mu.Unlock()
	q.wake()
}

// SetSpeedLimit caps the total speed in bytes a second; 0 or less removes
// the cap. It applies to running transfers at once.
func (q *Queue) SetSpeedLimit(bps int64) {
	if bps <= 0 {
		q.limiter.SetLimit(rate.Inf)
		return
	}
	// A burst of a quarter second keeps the flow even; speedLimiter
	// splits grab's larger reads to fit it.
	q.limiter.SetBurst(int(min(max(bps/4, 4<<10), int64(q.opts.BufferSize))))
	q.limiter.SetLimit(rate.Limit(bps))
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

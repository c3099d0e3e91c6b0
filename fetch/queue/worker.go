package queue

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2/lang"
	"github.com/cavaliergopher/grab/v3"

	"cloudreel/fetch"
)

// Why an attempt's context was cancelled.
var (
	errPaused   = errors.New("paused")
	errCanceled = errors.New("canceled")
	errShutdown = errors.New("the queue is closing")
	errStalled  = errors.New("nothing was received for too long")
	errMoved    = errors.New("the download goes to another folder")
)

// attempt is one try at a job: resolve, transfer, verify, rename.
type attempt struct {
	cancel   context.CancelCauseFunc
	resp     *grab.Response // set once the transfer has its response
	lastDone int64
	lastTick time.Time
	lastMove time.Time
	flushed  int64 // bytes whose writeback to the disk was started
}

// writebackStep is how many new bytes start their writeback to the disk
// at a time (see startWriteback).
const writebackStep = 16 << 20

// result is how an attempt ended: err nil means the job is done.
type result struct {
	err      error
	progress bool // new bytes reached the partial file
}

// loop launches attempts when slots and jobs are free, and sends
// progress, until ctx ends.
func (q *Queue) loop(ctx context.Context) {
	progress := time.NewTicker(q.opts.ProgressInterval)
	defer progress.Stop()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		// Taken before scheduling: a slot an upload gives back while
		// schedule runs still wakes the loop.
		freed := q.opts.Shared.Freed()
		wait := time.Hour
		if next := q.schedule(ctx); !next.IsZero() {
			wait = max(time.Until(next), time.Millisecond)
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return
		case <-q.kick:
		case <-freed:
		case <-timer.C:
		case now := <-progress.C:
			q.tickProgress(now)
		}
	}
}

// schedule starts the jobs that are due, oldest first, while slots are
// free, and returns when the next waiting job falls due (zero: none).
// A job the platform is preparing waits without a slot: it takes one
// only for the moment of asking again.
func (q *Queue) schedule(ctx context.Context) time.Time {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.halted != "" || ctx.Err() != nil {
		return time.Time{}
	}
	running := 0
	for _, e := range q.order {
		if e.run != nil {
			running++
		}
	}
	now := time.Now()
	var next time.Time
	for _, e := range q.order {
		if (e.job.State != Queued && e.job.State != Preparing) || e.run != nil {
			continue
		}
		if e.job.NextTry.After(now) {
			if next.IsZero() || e.job.NextTry.Before(next) {
				next = e.job.NextTry
			}
			continue
		}
		// The slots are shared with the uploads (fetch/limits).
		if running >= q.concurrency || !q.opts.Shared.TryTake() {
			break
		}
		running++
		actx, cancel := context.WithCancelCause(ctx)
		e.run = &attempt{cancel: cancel}
		e.job.Attempts++
		e.job.NextTry = time.Time{}
		q.setStateLocked(e, Resolving)
		q.wg.Add(1)
		go q.work(actx, e)
	}
	return next
}

func (q *Queue) work(ctx context.Context, e *entry) {
	defer q.wg.Done()
	q.mu.Lock()
	job := e.job
	q.mu.Unlock()
	res := q.attempt(ctx, e, job)
	q.finish(ctx, e, res)
	q.opts.Shared.Release()
	q.wake()
}

// attempt makes one try at a job.
func (q *Queue) attempt(ctx context.Context, e *entry, job Job) result {
	part := job.Path + partSuffix
	offset := fileSize(part)
	expected := job.Size
	if expected > 0 && offset == expected {
		// Everything arrived before the process stopped: only the checks
		// and the rename are left, and no link is spent.
		return q.complete(ctx, e, job, expected, nil)
	}
	if err := q.checkDisk(job, offset); err != nil {
		return result{err: err}
	}
	conn, err := q.connector(ctx, job.AccountID)
	if err != nil {
		return result{err: err}
	}
	src, err := conn.Resolve(ctx, job.File)
	if err != nil {
		return result{err: err}
	}
	if src.Size > 0 && src.Size != expected {
		if expected > 0 {
			q.log.Warn("the platform's link gives another size than its list; the link's is used",
				"job", job.ID, "listed", expected, "link", src.Size)
		}
		expected = src.Size
		job.Size = expected
		q.mu.Lock()
		e.job.Size = expected
		q.mu.Unlock()
	}
	if err := os.MkdirAll(filepath.Dir(job.Path), 0o755); err != nil {
		return result{err: writeErr(filepath.Dir(job.Path), err)}
	}
	offset = fileSize(part)
	switch {
	case expected > 0 && offset > expected:
		q.log.Warn("the partial file is longer than the file: starting over", "job", job.ID, "have", offset, "size", expected)
		q.truncatePart(e, part)
		offset = 0
	case expected > 0 && offset == expected:
		return q.complete(ctx, e, job, expected, nil)
	}
	hash, err := hashKept(part, offset)
	if err != nil {
		return result{err: writeErr(filepath.Dir(part), err)}
	}
	defer hash.Close()

	q.mu.Lock()
	if e.job.State == Resolving {
		e.job.Done, e.job.Err = offset, ""
		q.setStateLocked(e, Downloading)
	}
	q.mu.Unlock()
	declared, err := q.transfer(ctx, e, job, src, part, offset, expected, hash)
	if err != nil {
		return result{err: err, progress: fileSize(part) > offset}
	}
	if expected <= 0 {
		expected = declared
	}
	res := q.complete(ctx, e, job, expected, hash)
	if res.err != nil {
		// Only bytes that are still kept count: a body found to be an
		// error message was thrown away.
		res.progress = fileSize(part) > offset
	}
	return res
}

// finish applies how an attempt ended to its job.
func (q *Queue) finish(ctx context.Context, e *entry, res result) {
	cause := context.Cause(ctx)
	q.mu.Lock()
	e.run = nil
	state := e.job.State
	if e.moveFrom != "" && state != Done {
		q.movePartLocked(e)
	}
	if state != Done && state != Canceled {
		part := e.job.Path + partSuffix
		e.job.Done = fileSize(part)
		if e.job.Done == 0 {
			// grab creates the file before the answer is judged; an empty
			// one helps nobody.
			_ = os.Remove(part)
		}
	}
	if res.progress {
		e.failures, e.refused = 0, false
	}
	err := res.err
	if errors.Is(cause, errStalled) {
		err = fetch.NewError(fetch.KindUnreachable, errStalled, lang.L("The download stopped receiving data."))
	}
	var full *diskFullError
	switch {
	case err == nil || state == Done:
		q.mu.Unlock()
		return
	case state == Canceled:
		path := e.job.Path
		q.mu.Unlock()
		if err := removePart(path); err != nil {
			q.log.Warn("could not remove a canceled partial file", "path", path+partSuffix, "err", err)
		}
		return
	case state == Paused:
	case errors.Is(cause, errMoved):
		q.retryLocked(e, 0, "")
	case ctx.Err() != nil && !errors.Is(cause, errStalled):
		// The queue is closing: the job keeps its state for the next start.
		q.dirty[e.job.ID] = true
	case errors.As(err, &full):
		full.headless = q.opts.Headless
		q.mu.Unlock()
		q.log.Warn("disk full: the queue is paused", "job", e.job.ID, "err", err)
		q.halt(full.Error(), e)
		return
	case errors.Is(err, errRestart):
		q.log.Info("starting the attempt again", "job", e.job.ID, "why", err)
		q.retryLocked(e, 0, "")
	case fetch.KindOf(err) == fetch.KindPreparing:
		e.polls++
		q.retryPreparingLocked(e, err)
	case fetch.KindOf(err) == fetch.KindBadBody:
		if !e.refused {
			e.refused = true
			q.log.Info("asking for a fresh link after the server mangled the file", "job", e.job.ID, "err", err)
			q.retryLocked(e, 0, fetch.Plain(err))
			break
		}
		q.failLocked(e, err)
	case fetch.Retryable(err) || fetch.KindOf(err) == fetch.KindExpired:
		// A refused link is asked for again for as long as the platform
		// hands out fresh ones, on the budget of attempts that bring no
		// byte; the new link is resolved when the pause is over.
		e.failures++
		if e.failures >= q.opts.Tries {
			if fetch.KindOf(err) == fetch.KindExpired {
				err = &refusedLinksError{n: e.failures, err: err}
			}
			q.failLocked(e, err)
			break
		}
		delay := q.backoff(e.failures)
		var fe *fetch.Error
		if errors.As(err, &fe) && fe.Kind == fetch.KindRateLimited && fe.Retry > delay {
			delay = min(fe.Retry, q.opts.MaxBackoff)
		}
		q.log.Info("will try again", "job", e.job.ID, "in", delay, "err", err)
		q.retryLocked(e, delay, fetch.Plain(err))
	default:
		q.failLocked(e, err)
	}
	q.persistSoon()
	q.mu.Unlock()
}

// refusedLinksError ends a job whose fresh links the server refused, one
// after another: asking for yet another one is no longer worth it.
type refusedLinksError struct {
	n   int
	err error
}

func (e *refusedLinksError) Error() string { return e.err.Error() }
func (e *refusedLinksError) Unwrap() error { return e.err }

// Plain says what happened without the "asks for a new one by itself" of
// a single refusal: Cloudreel has stopped asking.
func (e *refusedLinksError) Plain() string {
	return fmt.Sprintf("The server refused %d fresh download links in a row. Try again later; if it keeps happening, check the account on the platform.", e.n)
}

func (q *Queue) retryLocked(e *entry, delay time.Duration, msg string) {
	e.job.Err = msg
	e.job.NextTry = time.Time{}
	if delay > 0 {
		e.job.NextTry = time.Now().Add(delay)
	}
	q.setStateLocked(e, Queued)
}

func (q *Queue) retryPreparingLocked(e *entry, err error) {
	delay := q.opts.PreparePoll
	for i := 1; i < e.polls && delay < q.opts.MaxPreparePoll; i++ {
		delay += delay / 2
	}
	delay = min(delay, q.opts.MaxPreparePoll)
	var fe *fetch.Error
	if errors.As(err, &fe) && fe.Retry > delay {
		delay = min(fe.Retry, q.opts.MaxBackoff)
	}
	e.job.Err = fetch.Plain(err)
	e.job.NextTry = time.Now().Add(delay)
	q.setStateLocked(e, Preparing)
}

func (q *Queue) failLocked(e *entry, err error) {
	q.log.Warn("download failed", "job", e.job.ID, "err", err)
	e.job.Err = fetch.Plain(err)
	e.job.NextTry = time.Time{}
	q.setStateLocked(e, Failed)
}

// backoff is the pause after the n-th fault in a row: doubling from
// Backoff, at most MaxBackoff, with jitter so that many jobs do not come
// back at the same moment.
func (q *Queue) backoff(n int) time.Duration {
	d := q.opts.Backoff
	for i := 1; i < n && d < q.opts.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, q.opts.MaxBackoff)
	return d/2 + rand.N(d/2+1)
}

// tickProgress refreshes the bytes, speed and time left of running
// transfers, sends progress events, and ends transfers that stalled.
func (q *Queue) tickProgress(now time.Time) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, e := range q.order {
		r := e.run
		if r == nil || r.resp == nil || e.job.State != Downloading {
			continue
		}
		done := r.resp.BytesComplete()
		dt := now.Sub(r.lastTick).Seconds()
		if dt <= 0 {
			continue
		}
		inst := float64(done-r.lastDone) / dt
		speed := inst
		if e.job.Speed > 0 {
			speed = 0.7*e.job.Speed + 0.3*inst
		}
		if done != r.lastDone {
			r.lastMove = now
		} else if now.Sub(r.lastMove) > q.opts.StallTimeout {
			r.cancel(errStalled)
		}
		if done-r.flushed >= writebackStep {
			part, from, n := e.job.Path+partSuffix, r.flushed, done-r.flushed
			r.flushed = done
			q.wg.Add(1)
			go func() {
				defer q.wg.Done()
				startWriteback(part, from, n)
			}()
		}
		changed := done != e.job.Done || speed != e.job.Speed
		r.lastDone, r.lastTick = done, now
		e.job.Done, e.job.Speed = done, speed
		e.job.ETA = 0
		if speed >= 1 && e.job.Size > done {
			e.job.ETA = time.Duration(float64(e.job.Size-done) / speed * float64(time.Second)).Round(time.Second)
		}
		if changed {
			e.job.Updated = now
			q.emit(Event{Kind: Progress, Job: e.job})
		}
	}
}

func (q *Queue) truncatePart(e *entry, part string) {
	q.mu.Lock()
	e.partGen++
	e.durable = 0
	q.mu.Unlock()
	if err := os.Truncate(part, 0); err != nil && !os.IsNotExist(err) {
		_ = os.Remove(part)
	}
}

// fileSize is a file's size, 0 when it does not exist.
func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

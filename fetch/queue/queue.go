package queue

import (
	"context"
	"errors"
	"log/slog"
	"sync"

	"golang.org/x/time/rate"

	"cloudreel/fetch"
)

// Queue downloads files, a job per file. Its methods are safe for
// concurrent use.
type Queue struct {
	opts    Options
	log     *slog.Logger
	limiter *rate.Limiter
	store   *store
	boot    string

	base       context.Context // lives until Close; Prepare calls and runs derive from it
	baseCancel context.CancelFunc
	wg         sync.WaitGroup // every goroutine the queue started
	persistWG  sync.WaitGroup

	mu      sync.Mutex
	entries map[string]*entry // the jobs with work left, and finished ones not yet saved
	order   []*entry          // the entries by seq: the order jobs were added
	// The finished jobs, saved and kept as briefs (see brief): by id, and
	// by seq.
	fin         map[string]*brief
	finOrder    []*brief
	words       *words
	seq         uint64
	concurrency int
	halted      string
	started     bool
	closed      bool
	kick        chan struct{}
	changed     chan struct{} // closed and replaced at every state change (Wait)
	subs        map[*subscriber]struct{}
	conns       map[string]fetch.Connector
	dirty       map[string]bool // job ids whose record must be written (false: deleted)
	downloaded  map[string]doneRecord
	persistKick chan struct{}
}

// entry is a job with what the queue needs to run it.
type entry struct {
	job      Job
	seq      uint64
	durable  int64  // bytes of the .part known to be flushed to the disk
	partGen  int    // bumped whenever the .part is truncated, so a stale flush is not believed
	failures int    // faults in a row without a new byte
	refused  bool   // the one re-resolve after a bad body is used
	polls    int    // "still preparing" answers in a row
	moveFrom string // the path the job had before it was relocated, until its partial file is moved
	run      *attempt
}

// New opens the queue on opts.DB and restores its jobs: finished ones as
// they were, running ones paused (window) or queued (headless) with the
// bytes their partial files hold. Call Start to run it and Close to stop.
func New(opts Options) (*Queue, error) {
	if opts.DB == nil {
		return nil, errors.New("queue: no store")
	}
	if opts.Connector == nil {
		return nil, errors.New("queue: no connector function")
	}
	opts.setDefaults()
	handler := slog.DiscardHandler
	if opts.Log != nil {
		handler = opts.Log.Handler()
	}
	q := &Queue{
		opts:        opts,
		log:         slog.New(fetch.RedactingHandler{Next: handler}),
		limiter:     opts.Shared.Rate(),
		store:       &store{db: opts.DB},
		boot:        bootID(),
		entries:     map[string]*entry{},
		fin:         map[string]*brief{},
		words:       newWords(),
		concurrency: opts.Concurrency,
		kick:        make(chan struct{}, 1),
		changed:     make(chan struct{}),
		subs:        map[*subscriber]struct{}{},
		conns:       map[string]fetch.Connector{},
		dirty:       map[string]bool{},
		downloaded:  map[string]doneRecord{},
		persistKick: make(chan struct{}, 1),
	}
	q.SetSpeedLimit(opts.SpeedLimit)
	if err := q.store.init(); err != nil {
		return nil, err
	}
	if err := q.restore(); err != nil {
		return nil, err
	}
	q.base, q.baseCancel = context.WithCancel(context.Background())
	q.persistWG.Add(1)
	go q.persistLoop()
	return q, nil
}

// Start runs the queue's workers until ctx ends or Close is called. It
// returns at once; calling it again does nothing.
func (q *Queue) Start(ctx context.Context) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.started || q.closed {
		return
	}
	q.started = true
	run, cancel := context.WithCancelCause(ctx)
	stop := context.AfterFunc(q.base, func() { cancel(errShutdown) })
	q.wg.Add(1)
	go func() {
		defer q.wg.Done()
		defer stop()
		q.loop(run)
	}()
}

// Close stops every transfer (their bytes stay in the partial files and
// the jobs keep their states, so that the next New restores them),
// flushes and saves progress, and ends the subscriptions. The DB stays
// open: it belongs to the caller.
func (q *Queue) Close() error {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return nil
	}
	q.closed = true
	q.mu.Unlock()
	q.baseCancel()
	q.wg.Wait()
	close(q.persistKick)
	q.persistWG.Wait()
	err := q.persist(true)
	q.mu.Lock()
	for s := range q.subs {
		s.close()
	}
	q.subs = map[*subscriber]struct{}{}
	q.mu.Unlock()
	return err
}

// connector returns the cached connector of an account, building it once.
func (q *Queue) connector(ctx context.Context, accountID string) (fetch.Connector, error) {
	q.mu.Lock()
	c, ok := q.conns[accountID]
	q.mu.Unlock()
	if ok {
		return c, nil
	}
	c, err := q.opts.Connector(ctx, accountID)
	if err != nil {
		return nil, err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if prev, ok := q.conns[accountID]; ok {
		return prev, nil
	}
	q.conns[accountID] = c
	return c, nil
}

// ForgetConnector drops the cached connector of an account, so that the
// next attempt builds a new one (after its settings or secret changed).
func (q *Queue) ForgetConnector(accountID string) {
	q.mu.Lock()
	delete(q.conns, accountID)
	q.mu.Unlock()
}

// Halted returns why the queue stopped as a whole (a full disk), or ""
// while it runs.
func (q *Queue) Halted() string {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.halted
}

// Wait blocks until no job is queued, preparing, resolving or downloading
// (paused, done, failed and canceled ones do not count), or ctx ends.
func (q *Queue) Wait(ctx context.Context) error {
	for {
		q.mu.Lock()
		busy := false
		for _, e := range q.order {
			if e.job.State.Active() {
				busy = true
				break
			}
		}
		ch := q.changed
		q.mu.Unlock()
		if !busy {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ch:
		}
	}
}

func (q *Queue) wake() {
	select {
	case q.kick <- struct{}{}:
	default:
	}
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

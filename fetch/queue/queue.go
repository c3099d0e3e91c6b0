package queue

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"go.etcd.io/bbolt"
	"golang.org/x/time/rate"

	"cloudreel/fetch"
)

// Options configure a Queue. Only DB and Connector are required.
type Options struct {
	// DB is the shared store (accounts.OpenDB); the queue keeps its jobs in
	// the bucket "jobs" and what it has downloaded in "downloaded".
	DB *bbolt.DB
	// Connector returns the connector of an account. The queue caches it
	// (ForgetConnector drops it).
	Connector func(ctx context.Context, accountID string) (fetch.Connector, error)
	// Concurrency is how many files download at once (1 to 8, default 3).
	Concurrency int
	// SpeedLimit caps the total speed in bytes a second; 0 means no limit.
	SpeedLimit int64
	// Template names files (default DefaultTemplate); see Name.
	Template string
	// SkipExisting skips a file already downloaded (same platform file id
	// and size in the store, still on disk). NewOptions sets it; a zero
	// Options downloads again, into a de-duplicated name.
	SkipExisting bool
	// Headless decides what jobs that were running when the last process
	// ended do: continue (true, the commands) or come back paused (false,
	// the window).
	Headless bool
	// Log receives the queue's log; it is wrapped in fetch.RedactingHandler.
	// Nil discards it.
	Log *slog.Logger
	// FreeSpace says how many bytes are free for dir (default: the file
	// system's statistics). Tests inject a full disk with it.
	FreeSpace func(dir string) (uint64, error)
	// HTTPClient fetches the files. Default: proxies from the environment,
	// no compression (it would break byte ranges), a 60 s header timeout
	// and no overall timeout (a file may take hours).
	HTTPClient *http.Client

	// Tries is how many attempts in a row may end in a network fault, a 5xx
	// or a 429 without any new byte before the job fails (default 5).
	Tries int
	// Backoff is the first pause after such a fault; it doubles with each
	// fault, with jitter, up to MaxBackoff (defaults 2 s and 2 min).
	Backoff, MaxBackoff time.Duration
	// PreparePoll is the first pause before asking again for a file the
	// platform is preparing; it grows by half each time up to
	// MaxPreparePoll (defaults 10 s and 1 min). A Retry hint from the
	// platform is honoured when longer.
	PreparePoll, MaxPreparePoll time.Duration
	// ProgressInterval is how often progress events are sent (default and
	// minimum 250 ms: at most 4 a second).
	ProgressInterval time.Duration
	// PersistInterval is how often progress is saved and partial files
	// are flushed to the disk (default 2 s).
	PersistInterval time.Duration
	// StallTimeout ends an attempt that received nothing for this long
	// (default 60 s); the job then resumes like after a cut connection.
	StallTimeout time.Duration
	// DiskReserve is kept free on the disk beyond what a file needs
	// (default 32 MiB).
	DiskReserve int64
	// BufferSize is the copy buffer of each transfer (default 256 KiB).
	BufferSize int
}

// NewOptions returns Options with the defaults that differ from the zero
// value (SkipExisting on) for db and connector.
func NewOptions(db *bbolt.DB, connector func(ctx context.Context, accountID string) (fetch.Connector, error)) Options {
	return Options{DB: db, Connector: connector, SkipExisting: true}
}

func (o *Options) setDefaults() {
	o.Concurrency = clampConcurrency(o.Concurrency)
	setDur := func(d *time.Duration, def time.Duration) {
		if *d <= 0 {
			*d = def
		}
	}
	if o.Tries <= 0 {
		o.Tries = 5
	}
	setDur(&o.Backoff, 2*time.Second)
	setDur(&o.MaxBackoff, 2*time.Minute)
	setDur(&o.PreparePoll, 10*time.Second)
	setDur(&o.MaxPreparePoll, time.Minute)
	setDur(&o.PersistInterval, 2*time.Second)
	setDur(&o.StallTimeout, 60*time.Second)
	o.ProgressInterval = max(o.ProgressInterval, 250*time.Millisecond)
	if o.DiskReserve <= 0 {
		o.DiskReserve = 32 << 20
	}
	if o.BufferSize <= 0 {
		o.BufferSize = 256 << 10
	}
	if o.FreeSpace == nil {
		o.FreeSpace = freeSpace
	}
	if o.HTTPClient == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.DisableCompression = true
		t.ResponseHeaderTimeout = 60 * time.Second
		t.MaxIdleConnsPerHost = 8
		o.HTTPClient = &http.Client{Transport: t}
	}
}

func clampConcurrency(n int) int {
	if n <= 0 {
		return 3
	}
	return min(max(n, 1), 8)
}

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

	mu          sync.Mutex
	entries     map[string]*entry
	order       []*entry // by seq: the order jobs were added
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
	durable  int64 // bytes of the .part known to be flushed to the disk
	partGen  int   // bumped whenever the .part is truncated, so a stale flush is not believed
	failures int   // faults in a row without a new byte
	refused  bool  // the one re-resolve after a refused link (401/403/410) or a bad body is used
	polls    int   // "still preparing" answers in a row
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
		limiter:     rate.NewLimiter(rate.Inf, opts.BufferSize),
		store:       &store{db: opts.DB},
		boot:        bootID(),
		entries:     map[string]*entry{},
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

// restore loads the stored jobs and makes the interrupted ones safe to run.
func (q *Queue) restore() error {
	recs, err := q.store.load()
	if err != nil {
		return err
	}
	for _, r := range recs {
		e := &entry{job: r.Job, seq: r.Seq, durable: r.Durable}
		j := &e.job
		j.Speed, j.ETA = 0, 0
		q.seq = max(q.seq, r.Seq)
		if j.State != Done && j.State != Canceled {
			j.Done = q.recoverPart(e, r.Boot)
		}
		if j.State.Active() {
			if q.isWhole(*j) {
				// Killed between the rename and saving "done": the file
				// under its final name was verified before the rename.
				j.State, j.Done, j.Err = Done, j.Size, ""
				q.downloaded[fileKey(*j)] = doneRecord{Path: j.Path, Size: j.Size}
			} else {
				j.State = restoredState(j.State, q.opts.Headless)
				j.NextTry = time.Time{}
			}
			q.dirty[j.ID] = true
		}
		q.entries[j.ID] = e
		q.order = append(q.order, e)
	}
	slices.SortFunc(q.order, func(a, b *entry) int { return cmpUint(a.seq, b.seq) })
	return nil
}

func restoredState(s State, headless bool) State {
	switch {
	case !headless:
		return Paused
	case s == Preparing:
		return Preparing
	}
	return Queued
}

// recoverPart returns how many bytes of a job's .part can be trusted. The
// size on disk is the truth after a kill; after a power cut (the machine
// restarted since the record was written, or that cannot be told) only the
// bytes known to be flushed are, and the rest is cut off.
func (q *Queue) recoverPart(e *entry, boot string) int64 {
	part := e.job.Path + partSuffix
	fi, err := os.Stat(part)
	if err != nil {
		return 0
	}
	size := fi.Size()
	if (boot == "" || boot != q.boot) && size > e.durable {
		if err := os.Truncate(part, e.durable); err != nil {
			q.log.Warn("could not cut a partial file back to its flushed bytes", "path", part, "err", err)
			return 0
		}
		q.log.Info("the computer restarted since this download ran: keeping only the bytes known to be on disk",
			"path", part, "kept", e.durable, "dropped", size-e.durable)
		return e.durable
	}
	return size
}

// isWhole reports whether a job's final file exists with its expected size
// and no partial file is left.
func (q *Queue) isWhole(j Job) bool {
	if j.Size <= 0 {
		return false
	}
	if _, err := os.Stat(j.Path + partSuffix); err == nil {
		return false
	}
	fi, err := os.Stat(j.Path)
	return err == nil && fi.Mode().IsRegular() && fi.Size() == j.Size
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

// Add queues files. No link is asked for here: a fresh one is resolved
// right before each attempt. A file with a job already in the queue gives
// that job (started again when it had failed or was paused); a file
// already downloaded gives a done job marked Skipped when SkipExisting is
// on. For connectors that must prepare files (IBM), generation is
// requested at once for every added file, in the background.
func (q *Queue) Add(reqs ...AddRequest) ([]Job, error) {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return nil, ErrClosed
	}
	// Every request is checked before any is queued: all or nothing.
	folders := make([]string, len(reqs))
	for i, r := range reqs {
		if r.Folder == "" {
			q.mu.Unlock()
			return nil, ErrNoFolder
		}
		folder, err := filepath.Abs(r.Folder)
		if err != nil {
			q.mu.Unlock()
			return nil, fmt.Errorf("queue: folder %q: %w", r.Folder, err)
		}
		folders[i] = folder
	}
	out := make([]Job, 0, len(reqs))
	var fresh []*entry
	now := time.Now()
	for i, r := range reqs {
		folder := folders[i]
		if e := q.existing(r); e != nil {
			out = append(out, e.job)
			continue
		}
		j := Job{
			ID: newID(), AccountID: r.AccountID, AccountName: r.AccountName, Platform: r.Platform,
			RecordingID: r.Recording.ID, RecordingTitle: r.Recording.Title, RecordingStart: r.Recording.Start,
			File: r.File, Folder: folder, State: Queued, Size: r.File.Size, Created: now, Updated: now,
		}
		if r.File.SizeEstimated {
			j.Size = 0 // learnt from the server's answer instead
		}
		if r.File.RecordingID == "" {
			j.File.RecordingID = r.Recording.ID
		}
		if rec, ok := q.alreadyDownloaded(j); ok && q.opts.SkipExisting {
			j.Path, j.State, j.Done, j.Size, j.Skipped = rec.Path, Done, rec.Size, rec.Size, true
		} else {
			j.Path = q.uniquePath(filepath.Join(folder, Name(q.opts.Template, fieldsOf(j))), j.ID)
		}
		if !j.Skipped && !insideFolder(folder, j.Path) {
			// Name cannot produce such a path; this guards against a change
			// to it ever doing so.
			j.State, j.Err = Failed, "Cloudreel could not make a safe file name for this recording."
		}
		q.seq++
		e := &entry{job: j, seq: q.seq}
		q.entries[j.ID] = e
		q.order = append(q.order, e)
		fresh = append(fresh, e)
		out = append(out, j)
	}
	recs := make([]record, len(fresh))
	for i, e := range fresh {
		recs[i] = q.recordOf(e)
	}
	// Saved before returning, so that a job handed out survives a kill;
	// under the lock, so that no later state of these jobs is written
	// before this first one.
	if err := q.store.put(recs, nil, nil); err != nil {
		for _, e := range fresh {
			delete(q.entries, e.job.ID)
		}
		q.order = slices.DeleteFunc(q.order, func(e *entry) bool { _, ok := q.entries[e.job.ID]; return !ok })
		q.mu.Unlock()
		return nil, err
	}
	var toPrepare []Job
	for _, e := range fresh {
		q.emit(Event{Kind: StateChanged, Job: e.job})
		if e.job.State == Queued {
			toPrepare = append(toPrepare, e.job)
		}
	}
	q.changedLocked()
	if len(toPrepare) > 0 {
		q.wg.Add(1) // under the lock: Close cannot be waiting yet
		go q.prepare(toPrepare)
	}
	q.mu.Unlock()
	return out, nil
}

// existing finds the job of the same file, restarting it when it had
// stopped; nil when a new job is needed. q.mu is held.
func (q *Queue) existing(r AddRequest) *entry {
	key := fileKey(Job{Platform: r.Platform, AccountID: r.AccountID, File: r.File})
	for i := len(q.order) - 1; i >= 0; i-- {
		e := q.order[i]
		if fileKey(e.job) != key {
			continue
		}
		switch e.job.State {
		case Queued, Preparing, Resolving, Downloading:
			return e
		case Paused, Failed:
			q.requeue(e)
			return e
		case Done:
			if q.opts.SkipExisting && q.isWhole(e.job) {
				return e
			}
		}
		return nil
	}
	return nil
}

// prepare asks connectors that generate files (IBM) to start on every
// file now, so that generation runs while other files download.
func (q *Queue) prepare(jobs []Job) {
	defer q.wg.Done()
	for _, j := range jobs {
		conn, err := q.connector(q.base, j.AccountID)
		if err != nil {
			q.log.Warn("no connector to prepare a file", "account", j.AccountID, "err", err)
			continue
		}
		p, ok := conn.(fetch.Preparer)
		if !ok {
			continue
		}
		if err := p.Prepare(q.base, j.File); err != nil {
			if q.base.Err() != nil {
				return
			}
			q.log.Warn("asking the platform to prepare a file failed; it is asked again when the file's turn comes",
				"job", j.ID, "err", fetch.Redacted(err))
		}
	}
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

// Jobs returns every job in the order they were added.
func (q *Queue) Jobs() []Job {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := make([]Job, len(q.order))
	for i, e := range q.order {
		out[i] = e.job
	}
	return out
}

// Job returns one job.
func (q *Queue) Job(id string) (Job, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	e, ok := q.entries[id]
	if !ok {
		return Job{}, false
	}
	return e.job, true
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

// SetSkipExisting turns "skip files already downloaded" on or off for the
// jobs added from now on (the window's setting).
func (q *Queue) SetSkipExisting(on bool) {
	q.mu.Lock()
	q.opts.SkipExisting = on
	q.mu.Unlock()
}

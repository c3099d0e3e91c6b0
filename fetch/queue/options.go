package queue

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"go.etcd.io/bbolt"

	"cloudreel/fetch"
	"cloudreel/fetch/limits"
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
	// Shared, when set, is the slots and speed limit the queue shares with
	// the uploads (fetch/limits): SetConcurrency and SetSpeedLimit then
	// change both. Default: limits of the queue's own.
	Shared *limits.Shared
	// Template names files (default DefaultTemplate); see Name.
	Template string
	// SkipExisting skips a file already downloaded (same platform file id
	// and size in the store, still on disk). NewOptions sets it; a zero
	// Options downloads again, into a de-duplicated name.
	SkipExisting bool
	// Headless decides what jobs that were running when the last process
	// ended do: continue (true, the commands) or come back paused (false,
	// the window). It also words what a person is told to do next: run
	// the command again, or press a button of the window.
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
	// DiskReserve is kept free on the disk beyond what a file needs when
	// the file starts (default 32 MiB); a partial file only needs room for
	// its rest.
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
	if o.Shared == nil {
		o.Shared = limits.New(o.Concurrency)
	}
	o.Shared.SetConcurrency(o.Concurrency)
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

func clampConcurrency(n int) int { return limits.Clamp(n) }

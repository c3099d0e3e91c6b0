package upload

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2/lang"
	"go.etcd.io/bbolt"

	"cloudreel/fetch"
	"cloudreel/fetch/limits"
	"cloudreel/fetch/locale"
	"cloudreel/fetch/valt"
)

// Target is the Valt account a job sends to: *valt.Connector.
type Target interface {
	CreateUpload(ctx context.Context, name string, template map[string]string, share valt.Share) (valt.UploadRecord, error)
	UploadVideo(ctx context.Context, recordID, videoID string, body io.Reader, size int64, name string) (valt.Reading, error)
	SetReading(r valt.Reading)
}

// Options configure an Uploader. Only DB and Target are required. The
// limits are the download queue's (fetch/queue Options), so that the two
// can be given the same numbers.
type Options struct {
	DB *bbolt.DB
	// Target returns the Valt connector of an account.
	Target func(ctx context.Context, accountID string) (Target, error)
	// Concurrency is how many files are sent at once (1 to 8, default 3).
	Concurrency int
	// SpeedLimit caps the total speed in bytes a second; 0: no limit.
	SpeedLimit int64
	// Shared, when set, is the slots and speed limit shared with the
	// download queue (fetch/limits, the same as queue.Options.Shared):
	// Concurrency and SpeedLimit are then ignored, and the queue's
	// SetConcurrency and SetSpeedLimit change the uploads' too.
	Shared *limits.Shared
	// Tries is how many tries in a row may end in a network fault or a
	// 5xx before the job fails (default 5).
	Tries int
	// Backoff is the first pause after such a fault; it doubles each time,
	// with jitter, up to MaxBackoff (defaults 2 s and 2 min).
	Backoff, MaxBackoff time.Duration
	// OnChange is told of every change of a job (state, error, bytes sent:
	// progress at most 4 times a second per job). It must not block.
	OnChange func(Job)
	// Log receives the uploads' log (wrapped in fetch.RedactingHandler).
	Log *slog.Logger
}

// Uploader runs upload jobs and keeps them in the store.
type Uploader struct {
	opts   Options
	store  store
	shared *limits.Shared
	log    *slog.Logger

	mu   sync.Mutex
	jobs map[string]*Job
	// targets keeps one connector per Valt account for the uploader's
	// life: every Valt sign-in cancels the account's previous token, so
	// two connectors of one account would keep signing each other out.
	// Its own lock, since making a connector reads the keyring.
	targetsMu sync.Mutex
	targets   map[string]Target
}

// New opens the uploads kept in opts.DB.
func New(opts Options) (*Uploader, error) {
	if opts.DB == nil || opts.Target == nil {
		return nil, errors.New("uploads: a store and a way to reach Valt are needed")
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 3
	}
	opts.Concurrency = min(opts.Concurrency, 8)
	if opts.Tries <= 0 {
		opts.Tries = 5
	}
	if opts.Backoff <= 0 {
		opts.Backoff = 2 * time.Second
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = 2 * time.Minute
	}
	log := slog.New(slog.DiscardHandler)
	if opts.Log != nil {
		log = slog.New(fetch.RedactingHandler{Next: opts.Log.Handler()})
	}
	u := &Uploader{opts: opts, store: store{db: opts.DB}, log: log, jobs: map[string]*Job{},
		targets: map[string]Target{}, shared: opts.Shared}
	if u.shared == nil {
		u.shared = limits.New(opts.Concurrency)
		u.SetSpeedLimit(opts.SpeedLimit)
	}
	if err := u.store.init(); err != nil {
		return nil, err
	}
	saved, err := u.store.load()
	if err != nil {
		return nil, err
	}
	for _, j := range saved {
		if j.State == Creating || j.State == Uploading {
			// The last process ended during the upload: Valt kept none
			// of it, and the job is sent again from its first byte.
			j.State, j.Sent = Queued, 0
		}
		u.jobs[j.ID] = &j
	}
	return u, nil
}

// SetSpeedLimit caps the total speed in bytes a second; 0 or less removes
// the cap. With Options.Shared it changes the downloads' limit too.
func (u *Uploader) SetSpeedLimit(bps int64) { u.shared.SetSpeedLimit(bps) }

// Jobs returns copies of every upload job, oldest first.
func (u *Uploader) Jobs() []Job {
	u.mu.Lock()
	defer u.mu.Unlock()
	out := make([]Job, 0, len(u.jobs))
	for _, j := range u.jobs {
		out = append(out, *j)
	}
	sortJobs(out)
	return out
}

// Add makes a job for each request, or finds the job that already sends
// the same file (Key) to the same account: a failed one is queued again
// and keeps its Valt record, a done one stays done.
func (u *Uploader) Add(reqs ...Request) ([]Job, error) {
	out := make([]Job, 0, len(reqs))
	for _, r := range reqs {
		path, err := filepath.Abs(r.Path)
		if err != nil {
			return out, fmt.Errorf("finding %s: %w", r.Path, err)
		}
		st, err := os.Stat(path)
		if err != nil {
			return out, fetch.NewError(fetch.KindInvalid, err, lang.L("Cloudreel cannot read {{.Path}}, so it cannot send it to Valt.", map[string]any{"Path": path}))
		}
		if st.IsDir() {
			return out, fetch.NewError(fetch.KindInvalid, nil, lang.L("{{.Path}} is a folder: give the video files in it.", map[string]any{"Path": path}))
		}
		key := r.Key
		if key == "" {
			key = "file:" + path + ":" + strconv.FormatInt(st.Size(), 10)
		}
		name := strings.TrimSpace(r.Name)
		if name == "" {
			name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		}
		u.mu.Lock()
		j := u.findLocked(r.AccountID, key)
		if j == nil {
			now := time.Now().UTC()
			j = &Job{ID: newID(), AccountID: r.AccountID, AccountName: r.AccountName, Path: path, Name: name,
				Template: r.Template, Share: r.Share, Source: r.Source, Key: key, Size: st.Size(), State: Queued, Created: now}
			u.jobs[j.ID] = j
		} else if j.State == Failed {
			j.State, j.Err, j.Path = Queued, "", path
		}
		j.Updated = time.Now().UTC()
		c := *j
		u.mu.Unlock()
		if err := u.store.put(c); err != nil {
			return out, err
		}
		out = append(out, c)
	}
	return out, nil
}

func (u *Uploader) findLocked(accountID, key string) *Job {
	for _, j := range u.jobs {
		if j.AccountID == accountID && j.Key == key {
			return j
		}
	}
	return nil
}

// Run sends the jobs ids that are not done yet, as many at a time as the
// shared slots allow (downloads take from them too), and returns when
// each is done or failed, or when ctx ends (the jobs then stay queued,
// their records kept, for the next Run).
func (u *Uploader) Run(ctx context.Context, ids []string) Report {
	var wg sync.WaitGroup
	for _, id := range ids {
		u.mu.Lock()
		j, ok := u.jobs[id]
		todo := ok && j.State != Done
		u.mu.Unlock()
		if !todo {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if u.shared.Take(ctx) != nil {
				return
			}
			defer u.shared.Release()
			u.run(ctx, id)
		}()
	}
	wg.Wait()
	var rep Report
	u.mu.Lock()
	for _, id := range ids {
		if j, ok := u.jobs[id]; ok {
			rep.Jobs = append(rep.Jobs, *j)
		}
	}
	u.mu.Unlock()
	return rep
}

// update changes a job, saves it and tells OnChange.
func (u *Uploader) update(id string, change func(*Job)) Job {
	u.mu.Lock()
	j := u.jobs[id]
	change(j)
	j.Updated = time.Now().UTC()
	c := *j
	u.mu.Unlock()
	if err := u.store.put(c); err != nil {
		u.log.Error("saving an upload", "job", id, "err", err)
	}
	if u.opts.OnChange != nil {
		u.opts.OnChange(c)
	}
	return c
}

// fail ends a job with err, naming its empty record in Valt when there is
// one.
func (u *Uploader) fail(id string, err error) {
	j := u.update(id, func(j *Job) {
		j.State = Failed
		j.Err = fetch.Plain(err)
		if s := (Job{RecordID: j.RecordID, Name: j.Name, AccountName: j.AccountName}).EmptyRecord(); s != "" {
			j.Err = locale.Sentences(j.Err, s)
		}
	})
	u.log.Warn("upload failed", "job", id, "file", j.Path, "record", j.RecordID, "err", err)
}

// interrupted says a job stopped by ctx waits for the next Run.
func (u *Uploader) interrupted(id string) {
	u.update(id, func(j *Job) {
		j.State, j.Sent = Queued, 0
		if j.RecordID != "" {
			j.Err = "Stopped while sending; Valt cannot continue an upload, so it starts again from the beginning, into the same record, next time."
		}
	})
}

// target returns the account's one connector, made on first use.
func (u *Uploader) target(ctx context.Context, accountID string) (Target, error) {
	u.targetsMu.Lock()
	defer u.targetsMu.Unlock()
	if t, ok := u.targets[accountID]; ok {
		return t, nil
	}
	t, err := u.opts.Target(ctx, accountID)
	if err != nil {
		return nil, err
	}
	u.targets[accountID] = t
	return t, nil
}

// ForgetTarget drops the connector of an account whose settings or secret
// changed, so that the next upload signs in with what was saved.
func (u *Uploader) ForgetTarget(accountID string) {
	u.targetsMu.Lock()
	delete(u.targets, accountID)
	u.targetsMu.Unlock()
}

// run sends one job: the record first when it has none (saved before any
// byte is sent), then the file, again from its first byte after each
// fault, into that record.
func (u *Uploader) run(ctx context.Context, id string) {
	u.mu.Lock()
	j := *u.jobs[id]
	u.mu.Unlock()
	target, err := u.target(ctx, j.AccountID)
	if err != nil {
		u.fail(id, err)
		return
	}
	if r := u.store.reading(j.AccountID); r != "" {
		target.SetReading(r)
	}
	f, err := os.Open(j.Path)
	if err != nil {
		u.fail(id, fetch.NewError(fetch.KindInvalid, err, lang.L("Cloudreel could not open {{.Path}}, so it could not send it to Valt.", map[string]any{"Path": j.Path})))
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		u.fail(id, fetch.NewError(fetch.KindInvalid, err, lang.L("Cloudreel could not read {{.Path}}.", map[string]any{"Path": j.Path})))
		return
	}
	size := st.Size()
	if j.RecordID == "" {
		u.update(id, func(j *Job) { j.State, j.Size = Creating, size })
		var rec valt.UploadRecord
		err := u.retry(ctx, id, func() error {
			var err error
			rec, err = target.CreateUpload(ctx, j.Name, j.Template, j.Share)
			return err
		})
		if rec.ID != "" {
			j = u.update(id, func(j *Job) {
				j.RecordID = rec.ID
				if len(rec.Videos) > 0 {
					j.VideoID = rec.Videos[0]
				}
			})
		}
		switch {
		case ctx.Err() != nil:
			u.interrupted(id)
			return
		case err != nil:
			u.fail(id, err)
			return
		}
	}
	body := &sendReader{f: f, ctx: ctx, lim: u.shared, progress: func(n int64) {
		u.update(id, func(j *Job) { j.Sent = n })
	}}
	err = u.retry(ctx, id, func() error {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return fetch.NewError(fetch.KindInvalid, err, lang.L("Cloudreel could not read {{.Path}}.", map[string]any{"Path": j.Path}))
		}
		body.reset()
		u.update(id, func(j *Job) { j.State, j.Sent, j.Size = Uploading, 0, size; j.Attempts++ })
		reading, err := target.UploadVideo(ctx, j.RecordID, j.VideoID, body, size, filepath.Base(j.Path))
		if err == nil {
			if serr := u.store.setReading(j.AccountID, reading); serr != nil {
				u.log.Warn("saving the upload reading", "account", j.AccountID, "err", serr)
			}
			u.update(id, func(j *Job) {
				j.State, j.Sent, j.Err, j.Reading, j.SHA256 = Done, size, "", reading, body.sum()
			})
		}
		return err
	})
	switch {
	case err == nil:
	case ctx.Err() != nil:
		u.interrupted(id)
	default:
		u.fail(id, err)
	}
}

// retry calls try until it succeeds, fails for a reason that a retry
// does not change, or has failed Tries times in a row; it waits with
// backoff between tries and tells the job why.
func (u *Uploader) retry(ctx context.Context, id string, try func() error) error {
	for n := 0; ; n++ {
		err := try()
		if err == nil || ctx.Err() != nil || !fetch.Retryable(err) || n+1 >= u.opts.Tries {
			return err
		}
		wait := min(u.opts.Backoff<<n, u.opts.MaxBackoff)
		wait = wait/2 + rand.N(wait/2+1)
		u.update(id, func(j *Job) {
			j.State = Queued
			j.Err = fetch.Plain(err)
			if j.RecordID != "" {
				j.Restarts++
				j.Err += " Valt cannot continue an upload, so it starts again from the beginning, into the same record."
			}
		})
		u.log.Info("upload waits to try again", "job", id, "wait", wait, "err", err)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

package syncer

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"
	"time"

	"go.etcd.io/bbolt"

	"cloudreel/fetch"
	"cloudreel/fetch/queue"
)

// DefaultOverlap is how far before the last look each look reaches
// again: a recording that the platform lists only once it is processed
// (Zoom, IBM, Valt list it hours after it started) still falls in the
// next look. Recordings the platform lists as still processing (Huawei's
// transcoding) are reached back to for as long as they are.
const DefaultOverlap = 2 * 24 * time.Hour

// forgetAfter is how long before a look's reach the files it handed to
// the queue are still remembered; the queue's own record of what was
// downloaded keeps them from being fetched twice after that.
const forgetAfter = 7 * 24 * time.Hour

// Account is the account a look is for: what the queue's jobs carry.
type Account struct {
	ID       string
	Name     string
	Platform fetch.Platform
}

// Downloads is the part of the download queue a look uses; *queue.Queue
// is one.
type Downloads interface {
	Add(reqs ...queue.AddRequest) ([]queue.Job, error)
	Job(id string) (queue.Job, bool)
	Retry(id string) error
}

// Options configure a Syncer. DB, Downloads and List are required.
type Options struct {
	// DB is the shared store (accounts.OpenDB).
	DB *bbolt.DB
	// Downloads receives the new files.
	Downloads Downloads
	// List lists an account's recordings (accounts.Store.Recordings).
	List func(ctx context.Context, accountID string, q fetch.Query) iter.Seq2[fetch.Recording, error]
	// Now is the clock (default time.Now); tests inject one.
	Now func() time.Time
	// Overlap is how far before the last look a look reaches again
	// (default DefaultOverlap).
	Overlap time.Duration
}

// Syncer looks for new recordings of the accounts kept in sync.
type Syncer struct {
	db      *bbolt.DB
	queue   Downloads
	list    func(ctx context.Context, accountID string, q fetch.Query) iter.Seq2[fetch.Recording, error]
	now     func() time.Time
	overlap time.Duration

	mu sync.Mutex
	// looked is when each account's last look in this process began,
	// when it found nothing (and so wrote nothing): the long-running
	// sync's next look reaches back only to it.
	looked map[string]time.Time
}

// New returns a Syncer on opts.DB, creating its buckets when needed.
func New(opts Options) (*Syncer, error) {
	if opts.DB == nil || opts.Downloads == nil || opts.List == nil {
		return nil, errors.New("syncer: the store, the queue and the listing are all needed")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Overlap <= 0 {
		opts.Overlap = DefaultOverlap
	}
	s := &Syncer{db: opts.DB, queue: opts.Downloads, list: opts.List, now: opts.Now, overlap: opts.Overlap, looked: map[string]time.Time{}}
	if err := s.initStore(); err != nil {
		return nil, err
	}
	return s, nil
}

// Look is what one look at an account found.
type Look struct {
	// Query is the range of days that was listed.
	Query fetch.Query
	// Listed is how many recordings the platform listed in it.
	Listed int
	// New are the jobs of the files this look handed to the queue.
	New []queue.Job
	// Again are the jobs of files earlier looks handed to the queue that
	// are not downloaded yet (failed ones are started again).
	Again []queue.Job
	// Pending is how many recordings the platform is still processing.
	Pending int
}

// JobIDs are the ids of every job of the look, new and again.
func (l Look) JobIDs() []string {
	ids := make([]string, 0, len(l.New)+len(l.Again))
	for _, j := range l.New {
		ids = append(ids, j.ID)
	}
	for _, j := range l.Again {
		ids = append(ids, j.ID)
	}
	return ids
}

// Look lists the account's recordings since its last look (less the
// overlap, and back to any recording still being processed), hands the
// files of the kinds kept that no look has handed over yet to the queue,
// and starts again the ones that failed. A look that finds nothing new
// writes nothing to the store: only the listing costs.
func (s *Syncer) Look(ctx context.Context, a Account) (Look, error) {
	set, err := s.Settings(a.ID)
	if err != nil {
		return Look{}, err
	}
	st, err := s.readState(a.ID)
	if err != nil {
		return Look{}, err
	}
	seen, err := s.seen(a.ID)
	if err != nil {
		return Look{}, err
	}
	now := s.now().UTC()
	look := Look{Query: s.reach(a.ID, set, st, now)}

	// What earlier looks queued and is not whole yet is this look's work
	// too: a killed sync, or a file that failed, continues here.
	for _, f := range seen {
		j, ok := s.queue.Job(f.Job)
		if !ok || j.State.Finished() {
			continue // cleared, downloaded, or stopped by the person
		}
		if j.State == queue.Failed || j.State == queue.Paused {
			_ = s.queue.Retry(j.ID)
			j, _ = s.queue.Job(j.ID)
		}
		look.Again = append(look.Again, j)
	}

	changed := false
	pending := map[string]time.Time{}
	var reqs []queue.AddRequest
	for rec, err := range s.list(ctx, a.ID, look.Query) {
		if err != nil {
			return look, fmt.Errorf("looking for new recordings of %s: %w", a.Name, err)
		}
		look.Listed++
		if rec.Pending {
			pending[rec.ID] = rec.Start
			if _, known := st.Pending[rec.ID]; !known {
				changed = true
			}
			continue
		}
		for _, f := range rec.Files {
			if _, ok := seen[f.ID]; ok || !set.Wants(f) {
				continue
			}
			reqs = append(reqs, queue.AddRequest{AccountID: a.ID, AccountName: a.Name, Platform: a.Platform,
				Recording: rec, File: f, Folder: set.Folder})
		}
	}
	// A pending recording no longer listed as such is either listed with
	// its files now (handed over above) or gone: either way not waited for.
	for id := range st.Pending {
		if _, still := pending[id]; !still {
			changed = true
		}
	}
	look.Pending = len(pending)
	if len(reqs) == 0 && !changed {
		s.mu.Lock()
		s.looked[a.ID] = now
		s.mu.Unlock()
		return look, nil
	}

	fresh := map[string]seenFile{}
	if len(reqs) > 0 {
		// Queued before the look is saved: a sync killed in between lists
		// the same files again, and the queue hands back the same jobs.
		jobs, err := s.queue.Add(reqs...)
		if err != nil {
			return look, fmt.Errorf("queueing the new recordings of %s: %w", a.Name, err)
		}
		for i, j := range jobs {
			fresh[reqs[i].File.ID] = seenFile{Job: j.ID, Start: reqs[i].Recording.Start.UTC()}
		}
		look.New = jobs
	}
	next := state{LastLook: now, Pending: pending}
	if len(pending) == 0 {
		next.Pending = nil
	}
	if err := s.save(a.ID, next, fresh, look.Query.From.Add(-forgetAfter)); err != nil {
		return look, err
	}
	s.mu.Lock()
	delete(s.looked, a.ID)
	s.mu.Unlock()
	return look, nil
}

// reach is the range of days a look lists: from the last look (the one
// saved, or a later one of this process that found nothing) less the
// overlap, or Since before now at the first look; back to the earliest
// recording still being processed; up to today.
func (s *Syncer) reach(accountID string, set Settings, st state, now time.Time) fetch.Query {
	last := st.LastLook
	s.mu.Lock()
	if t, ok := s.looked[accountID]; ok && t.After(last) {
		last = t
	}
	s.mu.Unlock()
	from := now.Add(-set.Since)
	if !last.IsZero() {
		from = last.Add(-s.overlap)
	}
	for _, start := range st.Pending {
		if start.Before(from) {
			from = start
		}
	}
	day := 24 * time.Hour
	return fetch.Query{From: from.UTC().Truncate(day), To: now.UTC().Truncate(day)}
}

package gui

import (
	"cmp"
	"iter"
	"slices"
	"sync"
	"time"

	"cloudreel/fetch"
	"cloudreel/fetch/queue"
	"cloudreel/fetch/verify"
)

// jobRows is the downloads list's data: the queue's jobs, updated from the
// queue's events, in the order a person looks for them (see stateRank):
// what is downloading or waiting first, then paused, failed, downloaded, and
// within each group in the order they were added. The list is redrawn by a
// ticker a few times a second, only the rows that changed.
type jobRows struct {
	mu    sync.Mutex
	order []string
	jobs  map[string]*rowJob
	next  int
	dirty map[string]bool
	reset bool // the order changed: redraw everything
	// batch holds the jobs that were waiting or running since the queue
	// was last idle: what "a batch finished" speaks of. It is filled from
	// the state changes themselves, which the queue never drops, so a batch
	// that starts and ends between two redraws is still seen.
	batch map[string]bool
	// recs are the recordings whose jobs changed since the last redraw:
	// only their statuses are worked out again.
	recs map[string]bool
}

// rowJob is what the panel keeps of a job: what its row shows and what the
// statuses and totals are summed from. It is less than half of a
// queue.Job, whose copy of each of 100,000 jobs took 60 MB beside the
// queue's own (docs/benchmarks.md, "At scale"); the strings are the
// queue's, not copies.
type rowJob struct {
	added int // when the job was first seen: its order within a group

	state         queue.State
	platform      fetch.Platform
	accountID     string
	recordingID   string
	folder, path  string
	err, unproven string
	proof         verify.Proof
	done, size    int64
	speed         float64
	eta           time.Duration
	updated       time.Time
}

// rowOf keeps what the panel needs of j.
func rowOf(j queue.Summary, added int) *rowJob {
	return &rowJob{
		added: added, state: j.State, platform: j.Platform, accountID: j.AccountID, recordingID: j.RecordingID,
		folder: j.Folder, path: j.Path, err: j.Err, unproven: j.Unproven, proof: j.Proof,
		done: j.Done, size: j.Size, speed: j.Speed, eta: j.ETA, updated: j.Updated,
	}
}

// job is the row as a queue.Job, with the fields the panel keeps (the
// rest are zero).
func (r *rowJob) job(id string) queue.Job {
	return queue.Job{
		ID: id, State: r.state, Platform: r.platform, AccountID: r.accountID, RecordingID: r.recordingID,
		File: fetch.File{RecordingID: r.recordingID}, Folder: r.folder, Path: r.path, Err: r.err, Unproven: r.unproven, Proof: r.proof,
		Done: r.done, Size: r.size, Speed: r.speed, ETA: r.eta, Updated: r.updated,
	}
}

func newJobRows() *jobRows {
	return &jobRows{jobs: map[string]*rowJob{}, dirty: map[string]bool{}, batch: map[string]bool{}, recs: map[string]bool{}}
}

// stateRank is a job's group in the list: failed rows used to stay on top
// and push new and paused downloads out of view.
func stateRank(s queue.State) int {
	switch s {
	case queue.Paused:
		return 1
	case queue.Failed:
		return 2
	case queue.Done:
		return 3
	case queue.Canceled:
		return 4
	}
	return 0 // downloading, asking for a link, preparing, waiting
}

// sort puts order back in display order; the caller holds mu. The keys
// are read once per job, not once per comparison: with 100,000 jobs the
// map lookups in the comparisons cost most of a second.
func (r *jobRows) sort() {
	type keyed struct {
		rank, added int
		id          string
	}
	keys := make([]keyed, len(r.order))
	for i, id := range r.order {
		j := r.jobs[id]
		keys[i] = keyed{stateRank(j.state), j.added, id}
	}
	slices.SortFunc(keys, func(a, b keyed) int { return cmp.Or(a.rank-b.rank, a.added-b.added) })
	for i, k := range keys {
		r.order[i] = k.id
	}
}

// place moves the job at index from (-1: not in order yet) to its place
// in display order, the rest being in order, and reports whether it
// moved; the caller holds mu. It costs a search and a move, not a sort
// of every job at each event.
func (r *jobRows) place(id string, from int) bool {
	if from >= 0 {
		r.order = slices.Delete(r.order, from, from+1)
	}
	j := r.jobs[id]
	rank, added := stateRank(j.state), j.added
	at, _ := slices.BinarySearchFunc(r.order, id, func(other, _ string) int {
		o := r.jobs[other]
		return cmp.Or(stateRank(o.state)-rank, o.added-added)
	})
	r.order = slices.Insert(r.order, at, id)
	return at != from
}

// set replaces the rows with jobs (from queue.Summaries: a job may come
// twice).
func (r *jobRows) set(jobs iter.Seq[queue.Summary]) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.order = r.order[:0]
	r.jobs = map[string]*rowJob{}
	for j := range jobs {
		if _, twice := r.jobs[j.ID]; twice {
			continue
		}
		r.order = append(r.order, j.ID)
		r.jobs[j.ID] = rowOf(j, r.next)
		r.next++
	}
	r.sort()
	r.reset = true
}

func (r *jobRows) apply(ev queue.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	id := ev.Job.ID
	if ev.Kind == queue.Removed {
		if _, ok := r.jobs[id]; ok {
			delete(r.jobs, id)
			r.order = slices.DeleteFunc(r.order, func(other string) bool { return other == id })
			r.reset = true
		}
		return
	}
	r.recs[ev.Job.RecordingID] = true
	old, known := r.jobs[id]
	if !known {
		r.jobs[id] = rowOf(queue.SummaryOf(ev.Job), r.next)
		r.next++
		r.place(id, -1)
		r.reset = true
	} else {
		oldRank := stateRank(old.state)
		r.jobs[id] = rowOf(queue.SummaryOf(ev.Job), old.added)
		if oldRank != stateRank(ev.Job.State) {
			moved := r.place(id, slices.Index(r.order, id))
			r.reset = r.reset || moved // else only its row changed
		}
	}
	r.dirty[id] = true
	if ev.Job.State.Active() {
		r.batch[id] = true
	}
}

// takeFinishedBatch returns, once no job of the batch is waiting or
// running any more, how it ended (recordings downloaded whole and with a
// file that failed, and its files by state), and starts a new batch. ok
// is false while the batch is still going or when there was none.
func (r *jobRows) takeFinishedBatch() (end batchEnd, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.batch) == 0 {
		return batchEnd{}, false
	}
	var jobs []queue.Job
	for id := range r.batch {
		j, ok := r.jobs[id]
		if !ok {
			continue
		}
		if j.state.Active() {
			return batchEnd{}, false
		}
		jobs = append(jobs, j.job(id))
	}
	clear(r.batch)
	for _, j := range jobs {
		switch j.State {
		case queue.Done:
			end.files.Done++
		case queue.Failed:
			end.files.Failed++
		case queue.Paused:
			end.files.Paused++
		case queue.Canceled:
			end.files.Canceled++
		}
	}
	for _, status := range recordingStatuses(jobs) {
		switch status {
		case "downloaded", "verified":
			end.done++
		case "failed":
			end.failed++
		}
	}
	return end, end.done+end.failed > 0
}

// take returns what to redraw: everything, or the indexes of changed rows.
func (r *jobRows) take() (all bool, rows []int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	all = r.reset
	if !all {
		for i, id := range r.order {
			if r.dirty[id] {
				rows = append(rows, i)
			}
		}
	}
	r.reset = false
	clear(r.dirty)
	return all, rows
}

func (r *jobRows) len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.order)
}

// at is the job of row i, with the fields the panel keeps.
func (r *jobRows) at(i int) (queue.Job, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if i < 0 || i >= len(r.order) {
		return queue.Job{}, false
	}
	id := r.order[i]
	return r.jobs[id].job(id), true
}

// all are every row's job, in display order (see at). The panel's own
// sums walk the rows instead (see totals): 100,000 jobs made 50 MB each
// time.
func (r *jobRows) all() []queue.Job {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]queue.Job, 0, len(r.order))
	for _, id := range r.order {
		out = append(out, r.jobs[id].job(id))
	}
	return out
}

// unfinishedOf are the jobs of an account still to finish (neither done
// nor canceled).
func (r *jobRows) unfinishedOf(accountID string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, id := range r.order {
		if j := r.jobs[id]; j.accountID == accountID && j.state != queue.Done && j.state != queue.Canceled {
			out = append(out, id)
		}
	}
	return out
}

// lastFolder is the folder of the download that finished last.
func (r *jobRows) lastFolder() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var last *rowJob
	for _, id := range r.order { // in display order: two finished at the same instant give the same answer each time
		if j := r.jobs[id]; j.state == queue.Done && (last == nil || !j.updated.Before(last.updated)) {
			last = j
		}
	}
	if last == nil {
		return ""
	}
	return last.folder
}

// totals sums the jobs for the summary line and the window title.
type totals struct {
	done, size               int64
	active, finished, failed int
	count                    int
	speed                    float64
}

func (r *jobRows) totals() totals {
	r.mu.Lock()
	defer r.mu.Unlock()
	var t totals
	for _, j := range r.jobs {
		t.count++
		switch j.state {
		case queue.Done:
			t.finished++
		case queue.Failed:
			t.failed++
		case queue.Canceled:
			continue
		case queue.Queued, queue.Preparing, queue.Resolving, queue.Downloading:
			t.active++
			t.speed += j.speed
		}
		t.done += j.done
		t.size += max(j.size, j.done)
	}
	return t
}

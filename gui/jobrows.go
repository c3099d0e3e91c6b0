package gui

import (
	"cmp"
	"iter"
	"slices"
	"sync"

	"cloudreel/fetch"
	"cloudreel/fetch/queue"
)

// jobRows is the downloads list's data: the queue's jobs, updated from the
// queue's events, in the order a person looks for them (see stateRank):
// what is downloading or waiting first, then paused, failed, downloaded, and
// within each group in the order they were added. The list is redrawn by a
// ticker a few times a second, only the rows that changed.
type jobRows struct {
	mu sync.Mutex
	// look reads the rest of a job from the queue when it is needed: a
	// row on screen, a recording's status. It is never called with mu
	// held, as the queue may be waiting to hand over an event.
	look  func(id string) (queue.Summary, bool)
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

// rowJob is what the panel keeps of a job: its place in the order and
// what the totals are summed from. The rest (name, folder, reason) is
// read from the queue for the rows on screen (see look): keeping it for
// each of 100,000 jobs took 26 MB beside the queue's own, the window's
// largest part (docs/benchmarks.md, "At scale").
type rowJob struct {
	added       int // when the job was first seen: its order within a group
	state       queue.State
	recordingID string // the queue's string, not a copy
	done, size  int64
	speed       float64
}

// rowOf keeps what the panel needs of j.
func rowOf(j queue.Summary, added int) rowJob {
	return rowJob{added: added, state: j.State, recordingID: j.RecordingID, done: j.Done, size: j.Size, speed: j.Speed}
}

// rowRef is a row taken out from under the lock, to be looked up.
type rowRef struct {
	id  string
	row rowJob
}

// job is the row's job: what the queue holds of it now, or, once the
// queue no longer has it (removed, the event not here yet), the fields
// the row keeps.
func (ref rowRef) job(look func(string) (queue.Summary, bool)) queue.Job {
	if look != nil {
		if s, ok := look(ref.id); ok {
			return s.Job()
		}
	}
	r := ref.row
	return queue.Job{
		ID: ref.id, State: r.state, RecordingID: r.recordingID, File: fetch.File{RecordingID: r.recordingID},
		Done: r.done, Size: r.size, Speed: r.speed,
	}
}

// jobsOf looks refs up, without mu held.
func (r *jobRows) jobsOf(refs []rowRef) []queue.Job {
	look := r.lookup()
	out := make([]queue.Job, len(refs))
	for i, ref := range refs {
		out[i] = ref.job(look)
	}
	return out
}

// lookup is look, read under mu (a test swaps it).
func (r *jobRows) lookup() func(string) (queue.Summary, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.look
}

// newJobRows are rows that read what they do not keep with look (nil:
// they show only what they keep).
func newJobRows(look func(id string) (queue.Summary, bool)) *jobRows {
	return &jobRows{look: look, jobs: map[string]*rowJob{}, dirty: map[string]bool{}, batch: map[string]bool{}, recs: map[string]bool{}}
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
// twice), about n of them: the rows are made that big at once, as growing
// to 100,000 rows left 15 MB behind to collect while the window opened.
func (r *jobRows) set(jobs iter.Seq[queue.Summary], n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.order = make([]string, 0, n)
	r.jobs = make(map[string]*rowJob, n)
	block := make([]rowJob, 0, n) // one allocation, not one a row
	for j := range jobs {
		if _, twice := r.jobs[j.ID]; twice {
			continue
		}
		r.order = append(r.order, j.ID)
		if len(block) == cap(block) {
			block = make([]rowJob, 0, 1024) // more than n came
		}
		block = append(block, rowOf(j, r.next))
		r.jobs[j.ID] = &block[len(block)-1]
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
		row := rowOf(queue.SummaryOf(ev.Job), r.next)
		r.jobs[id] = &row
		r.next++
		r.place(id, -1)
		r.reset = true
	} else {
		oldRank := stateRank(old.state)
		*old = rowOf(queue.SummaryOf(ev.Job), old.added)
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
	if len(r.batch) == 0 {
		r.mu.Unlock()
		return batchEnd{}, false
	}
	var refs []rowRef
	for id := range r.batch {
		j, ok := r.jobs[id]
		if !ok {
			continue
		}
		if j.state.Active() {
			r.mu.Unlock()
			return batchEnd{}, false
		}
		refs = append(refs, rowRef{id, *j})
	}
	clear(r.batch)
	r.mu.Unlock()
	jobs := r.jobsOf(refs)
	for i := range jobs {
		jobs[i].State = refs[i].row.state // the state the batch was judged on
	}
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

// at is the job of row i (see rowRef.job).
func (r *jobRows) at(i int) (queue.Job, bool) {
	r.mu.Lock()
	if i < 0 || i >= len(r.order) {
		r.mu.Unlock()
		return queue.Job{}, false
	}
	id := r.order[i]
	ref, look := rowRef{id, *r.jobs[id]}, r.look
	r.mu.Unlock()
	return ref.job(look), true
}

// refs are the rows that keep, in display order.
func (r *jobRows) refs(keep func(*rowJob) bool) []rowRef {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []rowRef
	for _, id := range r.order {
		if j := r.jobs[id]; keep(j) {
			out = append(out, rowRef{id, *j})
		}
	}
	return out
}

// all are every row's job, in display order (see at). The panel's own
// sums walk the rows instead (see totals): 100,000 jobs made 50 MB each
// time.
func (r *jobRows) all() []queue.Job {
	return r.jobsOf(r.refs(func(*rowJob) bool { return true }))
}

// unfinishedOf are the jobs of an account still to finish (neither done
// nor canceled).
func (r *jobRows) unfinishedOf(accountID string) []string {
	var out []string
	for _, j := range r.jobsOf(r.refs(func(j *rowJob) bool { return !j.state.Finished() })) {
		if j.AccountID == accountID {
			out = append(out, j.ID)
		}
	}
	return out
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

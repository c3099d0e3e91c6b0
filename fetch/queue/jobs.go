package queue

import (
	"iter"
	"slices"
)

// Jobs returns every job in the order they were added. It reads the
// finished ones back from the store: Summaries is what to walk for a
// count or a list.
func (q *Queue) Jobs() []Job {
	var out []Job
	for j := range q.All() {
		out = append(out, j)
	}
	return out
}

// Job returns one job. A finished one is read back from the store.
func (q *Queue) Job(id string) (Job, bool) {
	q.mu.Lock()
	if e, ok := q.entries[id]; ok {
		defer q.mu.Unlock()
		return e.job, true
	}
	b, ok := q.fin[id]
	q.mu.Unlock()
	if !ok {
		return Job{}, false
	}
	return q.finishedJob(b), true
}

// finishedJob is a finished job's whole record, or what its brief says
// when the record cannot be read.
func (q *Queue) finishedJob(b *brief) Job {
	got, err := q.store.finishedJobs([]string{b.id()})
	if err == nil && len(got) == 1 {
		return got[0].e.job
	}
	q.log.Warn("could not read a finished download back", "job", b.id(), "err", err)
	q.mu.Lock()
	defer q.mu.Unlock()
	return b.summary(q.words).Job()
}

// Summary returns what a list shows of one job, without reading the
// store.
func (q *Queue) Summary(id string) (Summary, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if e, ok := q.entries[id]; ok {
		return SummaryOf(e.job), true
	}
	if b, ok := q.fin[id]; ok {
		return b.summary(q.words), true
	}
	return Summary{}, false
}

// allChunk is how many jobs All and Summaries take at a time under the
// queue's lock.
const allChunk = 1024

// slot is a job in the order of adding: an entry, or a finished job's
// brief.
type slot struct {
	e *entry
	b *brief
}

func (s slot) seq() uint64 {
	if s.e != nil {
		return s.e.seq
	}
	return s.b.seq
}

// summaryJob is the slot's job: the entry's, or the brief's summary.
func (s slot) summaryJob(w *words) Job {
	if s.e != nil {
		return s.e.job
	}
	return s.b.summary(w).Job()
}

// slotsLocked is every job in the order of adding. q.mu is held.
func (q *Queue) slotsLocked() []slot {
	out := make([]slot, 0, len(q.order)+len(q.finOrder))
	for after := uint64(0); ; {
		n := len(out)
		out = q.nextSlots(after, out)
		if len(out) == n {
			return out
		}
		after = out[len(out)-1].seq()
	}
}

// nextSlots appends to out up to allChunk more jobs added after seq, in the
// order they were added: the entries and the briefs merged. q.mu is held.
func (q *Queue) nextSlots(after uint64, out []slot) []slot {
	i, _ := slices.BinarySearchFunc(q.order, after+1, func(e *entry, seq uint64) int { return cmpUint(e.seq, seq) })
	k, _ := slices.BinarySearchFunc(q.finOrder, after+1, func(b *brief, seq uint64) int { return cmpUint(b.seq, seq) })
	for n := 0; n < allChunk && (i < len(q.order) || k < len(q.finOrder)); n++ {
		if k == len(q.finOrder) || (i < len(q.order) && q.order[i].seq < q.finOrder[k].seq) {
			out = append(out, slot{e: q.order[i]})
			i++
		} else {
			out = append(out, slot{b: q.finOrder[k]})
			k++
		}
	}
	return out
}

// All yields every job in the order they were added, a few at a time, so
// that a look at 100,000 jobs does not copy them all at once. It reads
// the finished ones back from the store: for a count or a list,
// Summaries costs far less. The queue is not locked while the loop body
// runs, so the body may call the queue; a job added or removed meanwhile
// may be missed.
func (q *Queue) All() iter.Seq[Job] {
	return eachChunk(q, func(s slot) Job { return s.summaryJob(q.words) }, func(slots []slot, jobs []Job) {
		var at []int // places in jobs to fill from the store
		var ids []string
		for i, s := range slots {
			if s.b != nil {
				at, ids = append(at, i), append(ids, s.b.id())
			}
		}
		if len(ids) > 0 {
			q.fillFinished(jobs, at, ids)
		}
	})
}

// eachChunk yields what conv makes of every job, in the order they were
// added, allChunk at a time: conv runs under the queue's lock, then fill
// (when not nil) on the chunk without it, before the loop body sees it.
func eachChunk[T any](q *Queue, conv func(slot) T, fill func([]slot, []T)) iter.Seq[T] {
	return func(yield func(T) bool) {
		var after uint64
		slots := make([]slot, 0, allChunk)
		out := make([]T, 0, allChunk)
		for {
			out = out[:0]
			q.mu.Lock()
			slots = q.nextSlots(after, slots[:0])
			for _, s := range slots {
				out = append(out, conv(s))
			}
			q.mu.Unlock()
			if len(slots) == 0 {
				return
			}
			after = slots[len(slots)-1].seq()
			if fill != nil {
				fill(slots, out)
			}
			for _, v := range out {
				if !yield(v) {
					return
				}
			}
		}
	}
}

// fillFinished replaces jobs[at[i]], a finished job's summary, with its
// whole record read back from the store (ids[i]); a record that cannot
// be read leaves the summary.
func (q *Queue) fillFinished(jobs []Job, at []int, ids []string) {
	got, err := q.store.finishedJobs(ids)
	if err != nil {
		q.log.Warn("could not read the finished downloads back", "err", err)
		return
	}
	byID := make(map[string]Job, len(got))
	for _, l := range got {
		byID[l.e.job.ID] = l.e.job
	}
	for i, id := range ids {
		if j, ok := byID[id]; ok {
			jobs[at[i]] = j
		}
	}
}

// Summaries yields what a list shows of every job, in the order they were
// added, a few at a time (see All), without reading the store.
func (q *Queue) Summaries() iter.Seq[Summary] {
	return eachChunk(q, func(s slot) Summary {
		if s.e != nil {
			return SummaryOf(s.e.job)
		}
		return s.b.summary(q.words)
	}, nil)
}

// Len is how many jobs the queue holds, finished ones included: what
// Summaries would yield now.
func (q *Queue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.order) + len(q.finOrder)
}

// LastDone is the download that finished last: the done job that changed
// last, the one added later of two that changed at the same instant. One
// pass under the queue's lock, without a Summary for each job: a window
// asks once a batch ends, and a year's store holds 90,000 done jobs
// (docs/benchmarks.md, "At scale"). false when no job is done.
func (q *Queue) LastDone() (Summary, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	var last slot
	var lastAt int64
	later := func(s slot, at int64) bool {
		return last == (slot{}) || at > lastAt || at == lastAt && s.seq() > last.seq()
	}
	for _, e := range q.order {
		if at := unixNano(e.job.Updated); e.job.State == Done && later(slot{e: e}, at) {
			last, lastAt = slot{e: e}, at
		}
	}
	for _, b := range q.finOrder {
		if q.words.at(b.state) == string(Done) && later(slot{b: b}, b.updated) {
			last, lastAt = slot{b: b}, b.updated
		}
	}
	switch {
	case last.e != nil:
		return SummaryOf(last.e.job), true
	case last.b != nil:
		return last.b.summary(q.words), true
	}
	return Summary{}, false
}

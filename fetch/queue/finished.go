package queue

import (
	"slices"
	"strings"
)

// demoteLocked turns the finished entries whose last state is saved into
// briefs: their records are in the store, and the memory of 90,000 done
// jobs is what kept a year's store over 150 MB (docs/benchmarks.md, "At
// scale"). An entry a worker still holds, or whose partial file is still
// to move, stays. q.mu is held.
func (q *Queue) demoteLocked() {
	var out []*brief
	for _, e := range q.order {
		if !e.job.State.Finished() || e.run != nil || e.moveFrom != "" {
			continue
		}
		if _, unsaved := q.dirty[e.job.ID]; unsaved {
			continue
		}
		out = append(out, briefOf(e.job, e.seq, q.words))
	}
	if len(out) == 0 {
		return
	}
	for _, b := range out {
		delete(q.entries, b.id())
		q.fin[b.id()] = b
	}
	q.order = slices.DeleteFunc(q.order, func(e *entry) bool { _, ok := q.entries[e.job.ID]; return !ok })
	q.finOrder = append(q.finOrder, out...)
	// Mostly in order already: the sort costs little more than a pass.
	slices.SortFunc(q.finOrder, func(a, b *brief) int { return cmpUint(a.seq, b.seq) })
}

// promoteLocked makes a finished job an entry again, read back from the
// store, for a change to it (a retry, a re-download, a lost proof). nil
// when it is not a finished job or its record cannot be read. q.mu is
// held.
func (q *Queue) promoteLocked(id string) *entry {
	b, ok := q.fin[id]
	if !ok {
		return nil
	}
	got, err := q.store.finishedJobs([]string{id})
	if err != nil || len(got) == 0 {
		q.log.Warn("could not read a finished download back", "job", id, "err", err)
		return nil
	}
	e := got[0].e
	e.seq = b.seq
	q.dropBriefLocked(b)
	at, _ := slices.BinarySearchFunc(q.order, e.seq, func(o *entry, seq uint64) int { return cmpUint(o.seq, seq) })
	q.order = slices.Insert(q.order, at, e)
	q.entries[id] = e
	return e
}

// dropBriefLocked forgets a brief (its job was promoted or removed).
// q.mu is held.
func (q *Queue) dropBriefLocked(b *brief) {
	delete(q.fin, b.id())
	if at, found := slices.BinarySearchFunc(q.finOrder, b.seq, func(o *brief, seq uint64) int { return cmpUint(o.seq, seq) }); found {
		q.finOrder = slices.Delete(q.finOrder, at, at+1)
	}
}

// finishedPathTaken reports whether a finished job other than self has
// path, compared without case (see uniquePath). q.mu is held.
func (q *Queue) finishedPathTaken(path, self string) bool {
	for _, b := range q.finOrder {
		if b.id() != self && q.words.at(b.state) != string(Canceled) && strings.EqualFold(b.path(), path) {
			return true
		}
	}
	return false
}

// lastFinishedOf is the finished job of a platform file added last, or
// nil. q.mu is held.
func (q *Queue) lastFinishedOf(j Job) *brief {
	for i := len(q.finOrder) - 1; i >= 0; i-- {
		if b := q.finOrder[i]; b.sameFile(string(j.Platform), j.AccountID, j.File.ID, q.words) {
			return b
		}
	}
	return nil
}

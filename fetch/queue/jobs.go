package queue

import "iter"

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

// allChunk is how many jobs All copies at a time under the queue's lock.
const allChunk = 1024

// All yields every job in the order they were added, a few at a time, so
// that a look at 100,000 jobs (a count, the window's first rows) does not
// copy them all at once: Jobs made 50 MB of copies each time. The queue is
// not locked while the loop body runs, so the body may call the queue; a
// job added or removed meanwhile may be missed, or another seen twice.
func (q *Queue) All() iter.Seq[Job] {
	return func(yield func(Job) bool) {
		chunk := make([]Job, 0, allChunk)
		for from := 0; ; from += allChunk {
			chunk = chunk[:0]
			q.mu.Lock()
			for _, e := range q.order[min(from, len(q.order)):min(from+allChunk, len(q.order))] {
				chunk = append(chunk, e.job)
			}
			q.mu.Unlock()
			for _, j := range chunk {
				if !yield(j) {
					return
				}
			}
			if len(chunk) < allChunk {
				return
			}
		}
	}
}

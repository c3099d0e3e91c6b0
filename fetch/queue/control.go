package queue

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"time"
)

// Pause stops a job; its bytes stay in its partial file for Resume.
func (q *Queue) Pause(id string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	e, ok := q.entries[id]
	if !ok {
		return q.finishedOrNoJob(id)
	}
	q.pauseLocked(e, "")
	return nil
}

func (q *Queue) pauseLocked(e *entry, reason string) {
	if !e.job.State.Active() {
		return
	}
	if e.run != nil {
		e.run.cancel(errPaused)
	}
	e.job.Err = reason
	e.job.NextTry = time.Time{}
	q.setStateLocked(e, Paused)
}

// Resume queues a paused job again; it continues from its partial bytes
// with a fresh link. Resuming also lifts a stop of the whole queue (a full
// disk): free space is checked again before the job starts.
func (q *Queue) Resume(id string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	e, ok := q.entries[id]
	if !ok {
		return q.finishedOrNoJob(id)
	}
	if e.job.State == Paused {
		q.unhaltLocked()
		q.requeue(e)
	}
	return nil
}

// Retry starts a failed, canceled or paused job again, with a fresh count
// of tries.
func (q *Queue) Retry(id string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	e, ok := q.entries[id]
	if !ok {
		if b, ok := q.fin[id]; ok && q.words.at(b.state) == string(Canceled) {
			e = q.promoteLocked(id)
		}
		if e == nil {
			return q.finishedOrNoJob(id)
		}
	}
	switch e.job.State {
	case Failed, Canceled, Paused:
		q.unhaltLocked()
		q.requeue(e)
	}
	return nil
}

// requeue puts a stopped job back in line with a fresh count of tries.
// q.mu is held.
func (q *Queue) requeue(e *entry) {
	e.failures, e.refused, e.polls = 0, false, 0
	e.job.Err = ""
	e.job.NextTry = time.Time{}
	e.job.Skipped = false
	q.setStateLocked(e, Queued)
	q.wake()
}

// Cancel stops a job and removes its partial file. A finished download is
// left alone.
func (q *Queue) Cancel(id string) error {
	q.mu.Lock()
	e, ok := q.entries[id]
	if !ok {
		err := q.finishedOrNoJob(id) // a finished download is left alone
		q.mu.Unlock()
		return err
	}
	if e.job.State == Done || e.job.State == Canceled {
		q.mu.Unlock()
		return nil
	}
	running := e.run != nil
	if running {
		// The worker removes the partial file once the transfer has let
		// go of it.
		e.run.cancel(errCanceled)
	}
	e.job.Done, e.job.Speed, e.job.ETA, e.job.Err = 0, 0, 0, ""
	e.job.NextTry = time.Time{}
	e.durable = 0
	e.partGen++
	q.setStateLocked(e, Canceled)
	path := e.job.Path
	q.mu.Unlock()
	if !running {
		return removePart(path)
	}
	return nil
}

func removePart(path string) error {
	if err := os.Remove(path + partSuffix); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("removing the partial file: %w", err)
	}
	return nil
}

// PauseAll pauses every job that is waiting or running.
func (q *Queue) PauseAll() {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, e := range q.order {
		q.pauseLocked(e, "")
	}
}

// ResumeAll queues every paused job again and lifts a stop of the whole
// queue.
func (q *Queue) ResumeAll() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.unhaltLocked()
	for _, e := range q.order {
		if e.job.State == Paused {
			q.requeue(e)
		}
	}
}

// ClearFinished removes done and canceled jobs from the list. What was
// downloaded is still remembered, so that it is not fetched twice.
func (q *Queue) ClearFinished() {
	q.mu.Lock()
	defer q.mu.Unlock()
	kept := q.order[:0]
	for _, e := range q.order {
		// A worker may still be winding down on such a job; it touches
		// neither the list nor the file any more.
		if e.job.State == Done || e.job.State == Canceled {
			delete(q.entries, e.job.ID)
			q.dirty[e.job.ID] = false
			q.emit(Event{Kind: Removed, Job: e.job})
			continue
		}
		kept = append(kept, e)
	}
	clear(q.order[len(kept):])
	q.order = kept
	for _, b := range q.finOrder {
		q.dirty[b.id()] = false
		q.emit(Event{Kind: Removed, Job: b.summary(q.words).Job()})
	}
	q.fin, q.finOrder = map[string]*brief{}, nil
	q.persistSoon()
}

// finishedOrNoJob is what a control method answers for a job that has no
// entry: nothing to do for a finished one, ErrNoJob for any other. q.mu
// is held.
func (q *Queue) finishedOrNoJob(id string) error {
	if _, ok := q.fin[id]; ok {
		return nil
	}
	return ErrNoJob
}

// halt stops the whole queue with a message for people (a full disk):
// every waiting or running job is paused, nothing is lost.
func (q *Queue) halt(msg string, cause *entry) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.halted = msg
	for _, e := range q.order {
		reason := ""
		if e == cause {
			reason = msg
		}
		q.pauseLocked(e, reason)
	}
	if cause != nil && cause.job.State == Paused && cause.job.Err == "" {
		cause.job.Err = msg
		q.emit(Event{Kind: StateChanged, Job: cause.job})
	}
	q.emit(Event{Kind: Halted, Message: msg})
}

func (q *Queue) unhaltLocked() {
	if q.halted == "" {
		return
	}
	q.halted = ""
	q.emit(Event{Kind: Halted})
}

// setStateLocked changes a job's state, tells subscribers and the store.
func (q *Queue) setStateLocked(e *entry, s State) {
	e.job.State = s
	e.job.Updated = time.Now()
	if s != Downloading {
		e.job.Speed, e.job.ETA = 0, 0
	}
	q.emit(Event{Kind: StateChanged, Job: e.job})
	q.dirty[e.job.ID] = true
	q.changedLocked()
	q.persistSoon()
}

// changedLocked wakes everyone in Wait.
func (q *Queue) changedLocked() {
	close(q.changed)
	q.changed = make(chan struct{})
}

// uniquePath returns path, or path numbered " (2)", " (3)", ... when
// another job (other than self) or a file on disk already has that name.
// Names are compared without case: Windows and macOS do.
func (q *Queue) uniquePath(path, self string) string {
	taken := func(p string) bool {
		for _, e := range q.order {
			if e.job.ID != self && e.job.State != Canceled && strings.EqualFold(e.job.Path, p) {
				return true
			}
		}
		if q.finishedPathTaken(p, self) {
			return true
		}
		if _, err := os.Lstat(p); err == nil {
			return true
		}
		_, err := os.Lstat(p + partSuffix)
		return err == nil
	}
	if !taken(path) {
		return path
	}
	for n := 2; ; n++ {
		if p := numbered(path, n); !taken(p) {
			return p
		}
	}
}

// fileKey identifies a platform file across jobs: file ids are unique
// within an account.
func fileKey(j Job) string {
	return string(j.Platform) + "\x00" + j.AccountID + "\x00" + j.File.ID
}

func newID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

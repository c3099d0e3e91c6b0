package queue

import (
	"os"
	"slices"
	"time"
)

// restore loads the stored jobs and makes the interrupted ones safe to run.
func (q *Queue) restore() error {
	recs, fin, err := q.store.load(q.words)
	if err != nil {
		return err
	}
	for _, b := range fin {
		q.seq = max(q.seq, b.seq)
		q.fin[b.id()] = b
	}
	q.finOrder = fin
	slices.SortFunc(q.finOrder, func(a, b *brief) int { return cmpUint(a.seq, b.seq) })
	for _, r := range recs {
		e := r.e
		j := &e.job
		j.Speed, j.ETA = 0, 0
		q.seq = max(q.seq, e.seq)
		if j.State != Done && j.State != Canceled {
			j.Done = q.recoverPart(e, r.boot)
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
		if j.State.Finished() {
			// A finished job's record belongs in the finished bucket (see
			// store.put): saving it again moves it there.
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

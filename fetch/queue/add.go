package queue

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"cloudreel/fetch"
	"cloudreel/fetch/verify"
)

// Add queues files. No link is asked for here: a fresh one is resolved
// right before each attempt. A file with a job already in the queue gives
// that job (started again when it had failed or was paused); a file
// already downloaded gives a done job marked Skipped when SkipExisting is
// on. For connectors that must prepare files (IBM), generation is
// requested at once for every added file, in the background.
func (q *Queue) Add(reqs ...AddRequest) ([]Job, error) {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return nil, ErrClosed
	}
	// Every request is checked before any is queued: all or nothing.
	folders := make([]string, len(reqs))
	for i, r := range reqs {
		if r.Folder == "" {
			q.mu.Unlock()
			return nil, ErrNoFolder
		}
		folder, err := filepath.Abs(r.Folder)
		if err != nil {
			q.mu.Unlock()
			return nil, fmt.Errorf("queue: folder %q: %w", r.Folder, err)
		}
		folders[i] = folder
	}
	out := make([]Job, 0, len(reqs))
	var fresh, touched []*entry
	now := time.Now()
	for i, r := range reqs {
		folder := folders[i]
		if e := q.existing(r, folder); e != nil {
			if e.job.State != Done {
				// Its folder may have changed: saved with the new ones.
				touched = append(touched, e)
			}
			out = append(out, e.job)
			continue
		}
		j := Job{
			ID: newID(), AccountID: r.AccountID, AccountName: r.AccountName, Platform: r.Platform,
			RecordingID: r.Recording.ID, RecordingTitle: r.Recording.Title, RecordingStart: r.Recording.Start,
			File: r.File, Folder: folder, State: Queued, Size: listedSize(r.File), Created: now, Updated: now,
		}
		if r.File.RecordingID == "" {
			j.File.RecordingID = r.Recording.ID
		}
		if rec, ok := q.alreadyDownloaded(j); ok && q.opts.SkipExisting {
			j.Path, j.State, j.Done, j.Size, j.Skipped = rec.Path, Done, rec.Size, rec.Size, true
			j.SHA256, j.Proof = rec.SHA256, rec.Proof
		} else {
			j.Path = q.uniquePath(filepath.Join(folder, Name(q.opts.Template, fieldsOf(j))), j.ID)
		}
		if !j.Skipped && !insideFolder(folder, j.Path) {
			// Name cannot produce such a path; this guards against a change
			// to it ever doing so.
			j.State, j.Err = Failed, "Cloudreel could not make a safe file name for this recording."
		}
		q.seq++
		e := &entry{job: j, seq: q.seq}
		q.entries[j.ID] = e
		q.order = append(q.order, e)
		fresh = append(fresh, e)
		out = append(out, j)
	}
	recs := make([]record, 0, len(fresh)+len(touched))
	for _, e := range slices.Concat(fresh, touched) {
		recs = append(recs, q.recordOf(e))
	}
	// Saved before returning, so that a job handed out survives a kill;
	// under the lock, so that no later state of these jobs is written
	// before this first one.
	if err := q.store.put(recs, nil, nil); err != nil {
		for _, e := range touched {
			q.dirty[e.job.ID] = true // their files may have moved: saved later
		}
		for _, e := range fresh {
			delete(q.entries, e.job.ID)
		}
		q.order = slices.DeleteFunc(q.order, func(e *entry) bool { _, ok := q.entries[e.job.ID]; return !ok })
		q.mu.Unlock()
		return nil, err
	}
	var toPrepare []Job
	for _, e := range fresh {
		q.emit(Event{Kind: StateChanged, Job: e.job})
		if e.job.State == Queued {
			toPrepare = append(toPrepare, e.job)
		}
	}
	q.changedLocked()
	if len(toPrepare) > 0 {
		q.wg.Add(1) // under the lock: Close cannot be waiting yet
		go q.prepare(toPrepare)
	}
	q.mu.Unlock()
	return out, nil
}

// existing finds the job of the same file, restarting it when it had
// stopped and moving it to folder when it was going elsewhere: a job's
// folder is the one last asked for. nil when a new job is needed. q.mu is
// held.
func (q *Queue) existing(r AddRequest, folder string) *entry {
	of := Job{Platform: r.Platform, AccountID: r.AccountID, File: r.File}
	key := fileKey(of)
	var e *entry
	for i := len(q.order) - 1; i >= 0; i-- {
		if fileKey(q.order[i].job) == key {
			e = q.order[i]
			break
		}
	}
	if b := q.lastFinishedOf(of); b != nil && (e == nil || b.seq > e.seq) {
		// Added after the entry: the finished job is the one to judge.
		if q.words.at(b.state) != string(Done) || !q.opts.SkipExisting || !q.isWhole(b.summary(q.words).Job()) {
			return nil
		}
		return q.promoteLocked(b.id())
	}
	if e == nil {
		return nil
	}
	switch e.job.State {
	case Queued, Preparing, Resolving, Downloading:
		q.relocateLocked(e, folder)
		return e
	case Paused, Failed:
		q.relocateLocked(e, folder)
		q.relistLocked(e, r.File)
		q.requeue(e)
		return e
	case Done:
		if q.opts.SkipExisting && q.isWhole(e.job) {
			return e
		}
	}
	return nil
}

// listedSize is the size a job of f starts with: the listed one, or 0
// when the platform only estimates it (learnt from the server's answer
// instead).
func listedSize(f fetch.File) int64 {
	if f.SizeEstimated {
		return 0
	}
	return f.Size
}

// relistLocked takes a fresh listing's word on a stopped job's file: the
// platform's checksum and size. Huawei makes a recording's files again
// (transcoding, a fixed recording) under the same link, and a job that
// failed on the old checksum would otherwise fail on it forever. When the
// checksum or size changed, the bytes kept from earlier attempts are of
// the old file: they are dropped and the download starts from zero.
// q.mu is held.
func (q *Queue) relistLocked(e *entry, f fetch.File) {
	old := e.job.File
	changedSum := f.SHA256 != "" && !verify.EqualDigest(f.SHA256, old.SHA256)
	changedSize := f.Size > 0 && !f.SizeEstimated && f.Size != old.Size
	if !changedSum && !changedSize {
		return
	}
	q.log.Info("the platform lists the file anew: its checksum or size changed", "job", e.job.ID,
		"sha256", f.SHA256, "was", old.SHA256, "bytes", f.Size, "was_bytes", old.Size)
	e.job.File.SHA256, e.job.File.Size, e.job.File.SizeEstimated = f.SHA256, f.Size, f.SizeEstimated
	e.job.Size = listedSize(f)
	if e.run != nil || (old.SHA256 == "" && !changedSize) {
		// A first checksum for the same bytes keeps them (the proof at the
		// end judges them); a running attempt's end judges them too.
		return
	}
	e.job.Done, e.durable = 0, 0
	e.partGen++
	if err := removePart(e.job.Path); err != nil {
		q.log.Warn("the kept part of an old file stays on disk", "job", e.job.ID, "err", err)
	}
}

// relocateLocked gives an unfinished job a path in folder, taking its
// partial file along; a running attempt is stopped first and the file
// moved when it has let go of it (see finish). q.mu is held.
func (q *Queue) relocateLocked(e *entry, folder string) {
	if e.job.Folder == folder {
		return
	}
	path := q.uniquePath(filepath.Join(folder, Name(q.opts.Template, fieldsOf(e.job))), e.job.ID)
	if !insideFolder(folder, path) {
		return
	}
	from := e.job.Path
	if e.moveFrom != "" {
		from = e.moveFrom // moved twice before the attempt let go
	}
	q.log.Info("the download goes to another folder now", "job", e.job.ID, "from", e.job.Folder, "to", folder)
	e.job.Folder, e.job.Path = folder, path
	e.moveFrom = from
	if e.run != nil {
		e.run.cancel(errMoved)
		return
	}
	q.movePartLocked(e)
	q.emit(Event{Kind: StateChanged, Job: e.job})
}

// movePartLocked moves the partial file of a relocated job from where it
// was to its new path, or starts the file over there when it cannot be
// moved (another disk). q.mu is held.
func (q *Queue) movePartLocked(e *entry) {
	from, to := e.moveFrom+partSuffix, e.job.Path+partSuffix
	e.moveFrom = ""
	e.partGen++
	if fileSize(from) == 0 {
		_ = os.Remove(from)
		e.job.Done, e.durable = 0, 0
		return
	}
	err := os.MkdirAll(filepath.Dir(to), 0o755)
	if err == nil {
		err = os.Rename(from, to)
	}
	if err != nil {
		q.log.Warn("could not move the partial file to the new folder: starting the file over there", "job", e.job.ID, "err", err)
		_ = os.Remove(from)
		e.job.Done, e.durable = 0, 0
		return
	}
	e.job.Done = fileSize(to)
}

// prepare asks connectors that generate files (IBM) to start on every
// file now, so that generation runs while other files download.
func (q *Queue) prepare(jobs []Job) {
	defer q.wg.Done()
	for _, j := range jobs {
		conn, err := q.connector(q.base, j.AccountID)
		if err != nil {
			q.log.Warn("no connector to prepare a file", "account", j.AccountID, "err", err)
			continue
		}
		p, ok := conn.(fetch.Preparer)
		if !ok {
			continue
		}
		if err := p.Prepare(q.base, j.File); err != nil {
			if q.base.Err() != nil {
				return
			}
			q.log.Warn("asking the platform to prepare a file failed; it is asked again when the file's turn comes",
				"job", j.ID, "err", fetch.Redacted(err))
		}
	}
}

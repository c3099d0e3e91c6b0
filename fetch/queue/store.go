package queue

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"time"

	"go.etcd.io/bbolt"

	"cloudreel/fetch/buckets"
	"cloudreel/fetch/verify"
)

// The buckets of the shared store that the queue owns. A job's record is
// in jobs while it has work left, and in finished once it is done or
// canceled, with its brief (see brief) in briefs: a start reads the
// records of jobs and the briefs, never the records of finished jobs.
var (
	jobsBucket       = []byte("jobs")
	finishedBucket   = []byte("finished")
	briefsBucket     = []byte("briefs")
	downloadedBucket = []byte("downloaded")
)

// briefsMarker is a key of the briefs bucket (job ids never start with a
// zero byte) that says the finished jobs were moved out of jobs: stores
// written before there were briefs have every job in jobs.
var briefsMarker = []byte("\x00finished jobs moved")

// JobsFillPercent is how full the queue fills a page of its jobs bucket
// before it splits it. bbolt's default, half, left a store of 100,000
// jobs (records of about 700 bytes) using a third of its 200 MB; the whole
// store is read at every start, so its size is start-up time and memory.
// Whatever writes the bucket directly (BenchmarkScale) uses it too.
const JobsFillPercent = 0.9

// record is a job as stored.
type record struct {
	Job
	Seq uint64
	// Durable is how many bytes of the .part were flushed to the disk the
	// last time it was checked, and Boot which boot of the computer wrote
	// the record: after a power cut only Durable bytes are trusted.
	Durable int64  `json:",omitzero"`
	Boot    string `json:",omitzero"`
}

// doneRecord remembers a downloaded file (by platform file), so that it is
// not fetched twice even after its job was cleared.
type doneRecord struct {
	Path string
	Size int64
	At   time.Time
	// SHA256 and Proof are the file's digest and what proved it whole
	// (see Job), handed on to a job that skips the file.
	SHA256 string       `json:",omitempty"`
	Proof  verify.Proof `json:",omitempty"`
}

// store keeps jobs in bbolt: every commit is fsynced, so a record that was
// written survives a kill and a power cut.
type store struct{ db *bbolt.DB }

// init creates the queue's buckets when they are missing (buckets.Ensure:
// opening the queue does not write to a store that has them).
func (s *store) init() error {
	if err := buckets.Ensure(s.db, jobsBucket, finishedBucket, briefsBucket, downloadedBucket); err != nil {
		return fmt.Errorf("queue: preparing the store: %w", err)
	}
	if err := s.moveFinished(); err != nil {
		return fmt.Errorf("queue: preparing the store: %w", err)
	}
	return nil
}

// moveFinished moves the records of finished jobs out of the jobs bucket
// into finished, with their briefs, once: in a store written before
// there were briefs. A new store only gets its marker.
func (s *store) moveFinished() error {
	moved := false
	_ = s.db.View(func(tx *bbolt.Tx) error {
		moved = tx.Bucket(briefsBucket).Get(briefsMarker) != nil
		return nil
	})
	if moved {
		return nil
	}
	return s.db.Update(func(tx *bbolt.Tx) error {
		jobs, fin, briefs := tx.Bucket(jobsBucket), tx.Bucket(finishedBucket), tx.Bucket(briefsBucket)
		fin.FillPercent, briefs.FillPercent = JobsFillPercent, JobsFillPercent
		var keys, values [][]byte
		err := jobs.ForEach(func(k, v []byte) error {
			// Copies: the pages they are on are rewritten by the moves.
			keys, values = append(keys, bytes.Clone(k)), append(values, bytes.Clone(v))
			return nil
		})
		if err != nil {
			return err
		}
		for _, l := range decodeRecords(keys, values) {
			j := l.e.job
			if !j.State.Finished() {
				continue
			}
			id := []byte(j.ID)
			v, err := json.Marshal(record{Job: j, Seq: l.e.seq, Durable: l.e.durable, Boot: l.boot})
			if err != nil {
				return err
			}
			if err := fin.Put(id, v); err != nil {
				return err
			}
			if err := briefs.Put(id, encodeBrief(j, l.e.seq)); err != nil {
				return err
			}
			if err := jobs.Delete(id); err != nil {
				return err
			}
		}
		return briefs.Put(briefsMarker, []byte{1})
	})
}

// load reads the records of the jobs with work left into new entries,
// with the boot of the computer that last wrote each (see record), and
// the briefs of the finished ones. A damaged brief is left out, as a
// damaged record is: one must not cost the others.
func (s *store) load(w *words) ([]loaded, []*brief, error) {
	var live []loaded
	var fin []*brief
	err := s.db.View(func(tx *bbolt.Tx) error {
		var keys, values [][]byte
		err := tx.Bucket(jobsBucket).ForEach(func(k, v []byte) error {
			keys, values = append(keys, k), append(values, v)
			return nil
		})
		if err != nil {
			return err
		}
		// Decoded inside the transaction, where bbolt's bytes stay valid.
		live = decodeRecords(keys, values)
		// Nothing keeps bbolt's bytes once decoded: the pages read are let
		// go of (see buckets.DropResident), after each bucket and every
		// 10,000 briefs, so that the start never maps the whole store.
		buckets.DropResident(s.db, tx.Size())
		n := 0
		err = tx.Bucket(briefsBucket).ForEach(func(k, v []byte) error {
			if b, err := decodeBrief(k, v, w); err == nil {
				fin = append(fin, b)
			}
			if n++; n%2_000 == 0 {
				buckets.DropResident(s.db, tx.Size())
			}
			return nil
		})
		buckets.DropResident(s.db, tx.Size())
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("queue: reading the saved downloads: %w", err)
	}
	return live, fin, nil
}

// finishedJobs reads the whole records of finished jobs by id; a record
// that is missing or damaged is left out.
func (s *store) finishedJobs(ids []string) ([]loaded, error) {
	var out []loaded
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(finishedBucket)
		keys, values := make([][]byte, 0, len(ids)), make([][]byte, 0, len(ids))
		for _, id := range ids {
			if v := b.Get([]byte(id)); v != nil {
				keys, values = append(keys, []byte(id)), append(values, v)
			}
		}
		out = decodeRecords(keys, values)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("queue: reading the finished downloads: %w", err)
	}
	return out, nil
}

// put writes records, deletes the jobs in gone and remembers downloaded
// files, in one transaction.
func (s *store) put(recs []record, gone []string, done map[string]doneRecord) error {
	if len(recs) == 0 && len(gone) == 0 && len(done) == 0 {
		return nil
	}
	err := s.db.Update(func(tx *bbolt.Tx) error {
		jobs, fin, briefs := tx.Bucket(jobsBucket), tx.Bucket(finishedBucket), tx.Bucket(briefsBucket)
		for _, b := range []*bbolt.Bucket{jobs, fin, briefs} {
			b.FillPercent = JobsFillPercent
		}
		for _, r := range recs {
			v, err := json.Marshal(r)
			if err != nil {
				return err
			}
			// A job is in one place only: jobs while it has work left,
			// finished (with its brief) once it has none.
			id := []byte(r.ID)
			if r.State.Finished() {
				err = errors.Join(fin.Put(id, v), briefs.Put(id, encodeBrief(r.Job, r.Seq)), jobs.Delete(id))
			} else {
				err = errors.Join(jobs.Put(id, v), fin.Delete(id), briefs.Delete(id))
			}
			if err != nil {
				return err
			}
		}
		for _, id := range gone {
			k := []byte(id)
			if err := errors.Join(jobs.Delete(k), fin.Delete(k), briefs.Delete(k)); err != nil {
				return err
			}
		}
		d := tx.Bucket(downloadedBucket)
		for k, r := range done {
			v, err := json.Marshal(r)
			if err != nil {
				return err
			}
			if err := d.Put([]byte(k), v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("queue: saving the downloads: %w", err)
	}
	return nil
}

func (s *store) downloaded(key string) (doneRecord, bool) {
	var r doneRecord
	found := false
	_ = s.db.View(func(tx *bbolt.Tx) error {
		if v := tx.Bucket(downloadedBucket).Get([]byte(key)); v != nil {
			found = json.Unmarshal(v, &r) == nil
		}
		return nil
	})
	return r, found
}

// alreadyDownloaded finds a file downloaded before: the same platform
// file, of the same size when the platform lists one, still whole on
// disk. q.mu is held.
func (q *Queue) alreadyDownloaded(j Job) (doneRecord, bool) {
	key := fileKey(j)
	r, ok := q.downloaded[key]
	if !ok {
		r, ok = q.store.downloaded(key)
	}
	if !ok || (j.File.Size > 0 && r.Size != j.File.Size) {
		return doneRecord{}, false
	}
	fi, err := os.Stat(r.Path)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != r.Size {
		return doneRecord{}, false
	}
	return r, true
}

// recordOf is the stored form of an entry. q.mu is held.
func (q *Queue) recordOf(e *entry) record {
	j := e.job
	j.Speed, j.ETA = 0, 0
	return record{Job: j, Seq: e.seq, Durable: e.durable, Boot: q.boot}
}

// persistSoon asks the persister to write the dirty records now.
func (q *Queue) persistSoon() {
	select {
	case q.persistKick <- struct{}{}:
	default:
	}
}

// persistLoop writes changed jobs when asked and, every PersistInterval,
// flushes the partial files of running transfers and saves their progress.
func (q *Queue) persistLoop() {
	defer q.persistWG.Done()
	t := time.NewTicker(q.opts.PersistInterval)
	defer t.Stop()
	for {
		select {
		case _, ok := <-q.persistKick:
			if !ok {
				return
			}
			q.logPersist(q.persist(false))
		case <-t.C:
			q.logPersist(q.persist(true))
		}
	}
}

func (q *Queue) logPersist(err error) {
	if err != nil {
		q.log.Error("saving the download list failed", "err", err)
	}
}

// persist writes every dirty job; with flush it first makes the bytes of
// running transfers durable and records how many there are.
func (q *Queue) persist(flush bool) error {
	if flush {
		q.flushParts()
	}
	q.mu.Lock()
	var recs []record
	var gone []string
	for id, keep := range q.dirty {
		if e, ok := q.entries[id]; ok && keep {
			recs = append(recs, q.recordOf(e))
		} else if !keep {
			gone = append(gone, id)
		}
	}
	clear(q.dirty)
	// Pending downloaded records stay in memory until written, so that
	// alreadyDownloaded sees them in the meantime.
	done := maps.Clone(q.downloaded)
	q.mu.Unlock()
	err := q.store.put(recs, gone, done)
	if err == nil {
		q.mu.Lock()
		for k, r := range done {
			if q.downloaded[k] == r {
				delete(q.downloaded, k)
			}
		}
		q.demoteLocked()
		q.mu.Unlock()
	}
	if err != nil {
		// Try again at the next round rather than lose the changes.
		q.mu.Lock()
		for _, r := range recs {
			if _, ok := q.dirty[r.ID]; !ok {
				q.dirty[r.ID] = true
			}
		}
		for _, id := range gone {
			if _, ok := q.dirty[id]; !ok {
				q.dirty[id] = false
			}
		}
		q.mu.Unlock()
	}
	return err
}

// flushParts fsyncs the partial file of every job that is transferring
// and records its flushed size and progress.
func (q *Queue) flushParts() {
	type target struct {
		e    *entry
		path string
		gen  int
	}
	var ts []target
	q.mu.Lock()
	for _, e := range q.order {
		if e.job.State == Downloading || (e.job.State.Active() && e.run != nil) {
			ts = append(ts, target{e, e.job.Path + partSuffix, e.partGen})
		}
	}
	q.mu.Unlock()
	for _, t := range ts {
		n, err := flushFile(t.path)
		if err != nil {
			continue
		}
		q.mu.Lock()
		if t.e.partGen == t.gen {
			t.e.durable = n
			q.dirty[t.e.job.ID] = true
		}
		q.mu.Unlock()
	}
}

// flushFile makes a file's bytes durable and returns how many there are
// at least. The size is read before the flush: every byte counted was
// written before the fsync began.
func flushFile(path string) (int64, error) {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if err := f.Sync(); err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

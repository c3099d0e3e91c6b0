package queue

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"time"

	"go.etcd.io/bbolt"

	"cloudreel/fetch/buckets"
	"cloudreel/fetch/verify"
)

// The buckets of the shared store that the queue owns.
var (
	jobsBucket       = []byte("jobs")
	downloadedBucket = []byte("downloaded")
)

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
	if err := buckets.Ensure(s.db, jobsBucket, downloadedBucket); err != nil {
		return fmt.Errorf("queue: preparing the store: %w", err)
	}
	return nil
}

// load reads every stored job into a new entry, with the boot of the
// computer that last wrote it (see record).
func (s *store) load() ([]loaded, error) {
	var out []loaded
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
		out = decodeRecords(keys, values)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("queue: reading the saved downloads: %w", err)
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
		b := tx.Bucket(jobsBucket)
		b.FillPercent = JobsFillPercent
		for _, r := range recs {
			v, err := json.Marshal(r)
			if err != nil {
				return err
			}
			if err := b.Put([]byte(r.ID), v); err != nil {
				return err
			}
		}
		for _, id := range gone {
			if err := b.Delete([]byte(id)); err != nil {
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

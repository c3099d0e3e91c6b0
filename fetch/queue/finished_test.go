package queue

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// bucketKeys are the job ids in a bucket of the store (the briefs'
// marker left out).
func bucketKeys(t *testing.T, db *bbolt.DB, bucket []byte) []string {
	t.Helper()
	var out []string
	err := db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucket).ForEach(func(k, _ []byte) error {
			if k[0] != 0 {
				out = append(out, string(k))
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// Finished jobs are saved apart from the others and kept as briefs: a
// new queue on the store reads none of their records, yet hands out
// their whole jobs, retries a canceled one, skips a done file asked for
// again, and clears them.
func TestFinishedJobsAreKeptAsBriefs(t *testing.T) {
	t.Parallel()
	s, o, q1 := restartable(t)
	db := o.DB
	fs := files(s, 3)
	folder := t.TempDir()
	var done []Job
	for _, f := range fs[:2] {
		done = append(done, addOne(t, q1, request(s, f, folder)))
	}
	runToEnd(t, q1)
	for i, j := range done {
		done[i] = assertWhole(t, q1, j.ID, fs[i])
	}
	canceled := addOne(t, q1, request(s, fs[2], folder))
	if err := q1.Cancel(canceled.ID); err != nil {
		t.Fatal(err)
	}
	if err := q1.Close(); err != nil {
		t.Fatal(err)
	}
	ids := []string{done[0].ID, done[1].ID, canceled.ID}
	slices.Sort(ids)
	if got := bucketKeys(t, db, jobsBucket); len(got) != 0 {
		t.Fatalf("the jobs bucket still holds %q", got)
	}
	if got := bucketKeys(t, db, finishedBucket); !slices.Equal(got, ids) {
		t.Fatalf("finished holds %q, want %q", got, ids)
	}
	if got := bucketKeys(t, db, briefsBucket); !slices.Equal(got, ids) {
		t.Fatalf("briefs holds %q, want %q", got, ids)
	}

	q2, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = q2.Close() })
	q2.mu.Lock()
	entries, briefs := len(q2.entries), len(q2.fin)
	q2.mu.Unlock()
	if entries != 0 || briefs != 3 {
		t.Fatalf("the queue holds %d entries and %d briefs, want 0 and 3", entries, briefs)
	}
	var order []string
	for sum := range q2.Summaries() {
		order = append(order, sum.ID)
		if sum.ID == done[0].ID && (sum.Path != done[0].Path || sum.State != Done || sum.Size != done[0].Size || !sum.Verified()) {
			t.Fatalf("the summary of a done job is %+v, want it as done: %+v", sum, done[0])
		}
	}
	if !slices.Equal(order, []string{done[0].ID, done[1].ID, canceled.ID}) {
		t.Fatalf("summaries in the order %q, want the order of adding", order)
	}
	if back, ok := q2.Job(done[1].ID); !ok || back.SHA256 != done[1].SHA256 || back.File.ID != fs[1].ID || back.RecordingTitle == "" {
		t.Fatalf("a done job read back as %+v, want its whole record %+v", back, done[1])
	}
	if err := q2.Pause(done[0].ID); err != nil {
		t.Fatalf("pausing a finished job: %v, want nothing to do", err)
	}

	// Asked for again, the done file is the same job, not a new one.
	again := addOne(t, q2, request(s, fs[0], folder))
	if again.ID != done[0].ID || again.State != Done {
		t.Fatalf("the done file asked for again gave %+v, want job %s done", again, done[0].ID)
	}
	// A done file that is gone from disk is downloaded again, under a
	// new name: its finished job still has the old one.
	if err := os.Remove(done[1].Path); err != nil {
		t.Fatal(err)
	}
	anew := addOne(t, q2, request(s, fs[1], folder))
	if anew.ID == done[1].ID || anew.Path == done[1].Path {
		t.Fatalf("the missing file was asked for again as %+v, want a new job with a new name beside %s", anew, done[1].Path)
	}
	if err := q2.Retry(canceled.ID); err != nil {
		t.Fatal(err)
	}
	runToEnd(t, q2)
	assertWhole(t, q2, canceled.ID, fs[2])
	assertWhole(t, q2, anew.ID, fs[1])

	q2.ClearFinished()
	for range q2.Summaries() {
		t.Fatal("a job is left after clearing the finished ones")
	}
	if err := q2.Close(); err != nil {
		t.Fatal(err)
	}
	for _, b := range [][]byte{jobsBucket, finishedBucket, briefsBucket} {
		if got := bucketKeys(t, db, b); len(got) != 0 {
			t.Fatalf("bucket %s still holds %q after clearing", b, got)
		}
	}
}

// A store written before there were briefs has every job in the jobs
// bucket: the first start moves the finished ones, and every job reads
// back as it was, in its order.
func TestOldStoreMovesFinishedJobs(t *testing.T) {
	db := testDB(t, t.TempDir())
	err := db.Update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(jobsBucket)
		if err != nil {
			return err
		}
		for i, state := range []State{Done, Failed, Canceled, Paused} {
			j := fullJob(i)
			j.State = state
			if err := b.Put([]byte(j.ID), mustJSON(t, record{Job: j, Seq: uint64(10 + i)})); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	q, err := New(fastOptions(db, nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = q.Close() })
	if got, want := bucketKeys(t, db, jobsBucket), []string{"job-1", "job-3"}; !slices.Equal(got, want) {
		t.Fatalf("jobs holds %q, want %q", got, want)
	}
	if got, want := bucketKeys(t, db, briefsBucket), []string{"job-0", "job-2"}; !slices.Equal(got, want) {
		t.Fatalf("briefs holds %q, want %q", got, want)
	}
	var got []string
	for _, j := range q.Jobs() {
		got = append(got, j.ID+" "+string(j.State)+" "+j.File.ID)
	}
	want := []string{"job-0 done " + fullJob(0).File.ID, "job-1 failed " + fullJob(1).File.ID,
		"job-2 canceled " + fullJob(2).File.ID, "job-3 paused " + fullJob(3).File.ID}
	if !slices.Equal(got, want) {
		t.Fatalf("read back %q, want %q", got, want)
	}
}

// A brief comes back as it was written; a damaged one is refused.
func TestBriefReadsBackAsWritten(t *testing.T) {
	j := fullJob(4)
	j.State, j.Skipped = Done, true
	w := newWords()
	b, err := decodeBrief([]byte(j.ID), encodeBrief(j, 42), w)
	if err != nil {
		t.Fatal(err)
	}
	want := SummaryOf(j)
	want.Speed, want.ETA = 0, 0 // a finished job has neither
	got := b.summary(w)
	if !got.Updated.Equal(want.Updated) {
		t.Fatalf("updated %v, want %v", got.Updated, want.Updated)
	}
	got.Updated = want.Updated
	if got != want || b.seq != 42 || !b.skipped || b.fileID() != j.File.ID {
		t.Fatalf("read back %+v (seq %d, skipped %v, file %q), want %+v", got, b.seq, b.skipped, b.fileID(), want)
	}
	v := encodeBrief(j, 42)
	if _, err := decodeBrief([]byte(j.ID), v[:len(v)-3], w); err == nil {
		t.Fatal("a cut brief was read back")
	}
	// Cut inside its numbers: the strings after them read as empty, and
	// the brief must still be refused.
	for _, n := range []int{3, 5, 7} {
		if _, err := decodeBrief([]byte(j.ID), v[:n], w); err == nil {
			t.Fatalf("a brief cut to %d bytes was read back", n)
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A finished job's record found in the jobs bucket of a store that was
// already moved (an earlier Cloudreel opened it again) is moved at the
// next save, and reads back whole before and after.
func TestFinishedRecordInJobsIsMovedWhenSaved(t *testing.T) {
	db := testDB(t, t.TempDir())
	o := fastOptions(db, nil, nil)
	q1, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	if err := q1.Close(); err != nil {
		t.Fatal(err)
	}
	j := fullJob(7)
	j.State = Done
	err = db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(jobsBucket).Put([]byte(j.ID), mustJSON(t, record{Job: j, Seq: 3}))
	})
	if err != nil {
		t.Fatal(err)
	}
	q2, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	if back, ok := q2.Job(j.ID); !ok || back.File.ID != j.File.ID {
		t.Fatalf("read back %+v, want the whole job", back)
	}
	if err := q2.Close(); err != nil {
		t.Fatal(err)
	}
	if got := bucketKeys(t, db, jobsBucket); len(got) != 0 {
		t.Fatalf("jobs still holds %q", got)
	}
	q3, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = q3.Close() })
	if back, ok := q3.Job(j.ID); !ok || back.File.ID != j.File.ID || back.State != Done {
		t.Fatalf("after the move read back %+v, want the whole job", back)
	}
}

// The download that finished last is found among the briefs and the
// entries alike, by the time each last changed, not by the order of
// adding, and never a canceled one.
func TestLastDone(t *testing.T) {
	t.Parallel()
	s, o, q1 := restartable(t)
	if got, ok := q1.LastDone(); ok {
		t.Fatalf("an empty queue's last done job is %+v", got)
	}
	fs := files(s, 4)
	root := t.TempDir()
	var done []Job
	for i, f := range fs[:3] {
		done = append(done, addOne(t, q1, request(s, f, filepath.Join(root, fmt.Sprint(i)))))
	}
	runToEnd(t, q1)
	if err := q1.Close(); err != nil {
		t.Fatal(err)
	}

	q2, err := New(o) // every job a brief (see TestFinishedJobsAreKeptAsBriefs)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = q2.Close() })
	// A day ago: the canceled job below changes now, after every done one.
	at := time.Now().Add(-24 * time.Hour)
	q2.mu.Lock()
	for i, hours := range []int{0, 2, 1} {
		q2.fin[done[i].ID].updated = at.Add(time.Duration(hours) * time.Hour).UnixNano()
	}
	q2.mu.Unlock()
	if got, ok := q2.LastDone(); !ok || got.ID != done[1].ID || got.Folder != done[1].Folder {
		t.Fatalf("the last done job is %+v, want the second added, which changed last: %+v", got, done[1])
	}

	canceled := addOne(t, q2, request(s, fs[3], root))
	if err := q2.Cancel(canceled.ID); err != nil {
		t.Fatal(err)
	}
	q2.mu.Lock()
	e := q2.promoteLocked(done[2].ID)
	if e != nil {
		e.job.Updated = at.Add(3 * time.Hour)
	}
	q2.mu.Unlock()
	if e == nil {
		t.Fatal("a done job could not be read back from the store")
	}
	if got, ok := q2.LastDone(); !ok || got.ID != done[2].ID || got.Folder != done[2].Folder {
		t.Fatalf("the last done job is %+v, want the one held whole, which changed last of the done ones: %+v", got, done[2])
	}
}

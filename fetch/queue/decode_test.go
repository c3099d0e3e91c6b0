package queue

import (
	"fmt"
	"io"
	"reflect"
	"slices"
	"testing"
	"time"
	"unsafe"

	"go.etcd.io/bbolt"

	"cloudreel/fetch"
	"cloudreel/fetch/verify"
)

// fullJob is a job with every field set, as encoding/json writes it.
func fullJob(i int) Job {
	at := time.Date(2026, 3, 4, 5, 6, 7, 8, time.FixedZone("", 3600)) // JSON keeps the offset, not a zone name
	return Job{
		ID: fmt.Sprintf("job-%d", i), AccountID: "acc-1", AccountName: "School", Platform: fetch.Huawei,
		RecordingID: "rec-1", RecordingTitle: "Staff meeting", RecordingStart: at,
		File: fetch.File{ID: fmt.Sprintf("f-%d", i), RecordingID: "rec-1", Kind: "video", Ext: "mp4", Size: 1234,
			SizeEstimated: true, SHA256: "ab12", Ref: `{"url":"x"}`},
		Folder: "/videos", Path: fmt.Sprintf("/videos/School/%d.mp4", i),
		State: Failed, Done: 99, Size: 1234, Speed: 1.5, ETA: 90 * time.Second,
		Attempts: 3, Err: "The server could not be reached.", NextTry: at.Add(time.Minute), Skipped: true,
		SHA256: "cd34", Proof: verify.SHA256, Unproven: "no digest", ServerSize: 1234,
		Created: at, Updated: at.Add(time.Hour),
	}
}

// The queue writes records with encoding/json and reads them with
// go-json-experiment's engine: every field must come back as it was.
func TestStoredJobsReadBackAsWritten(t *testing.T) {
	st := &store{db: testDB(t, t.TempDir())}
	if err := st.init(); err != nil {
		t.Fatal(err)
	}
	want := []record{{Job: fullJob(1), Seq: 7, Durable: 55, Boot: "boot-a"}, {Job: fullJob(2), Seq: 8}}
	if err := st.put(want, nil, nil); err != nil {
		t.Fatal(err)
	}
	got, _, err := st.load(newWords())
	if err != nil || len(got) != len(want) {
		t.Fatalf("load: %v, %d jobs, want %d", err, len(got), len(want))
	}
	for i, l := range got {
		back := record{Job: l.e.job, Seq: l.e.seq, Durable: l.e.durable, Boot: l.boot}
		if !reflect.DeepEqual(back, want[i]) {
			t.Errorf("record %d read back as\n%+v\nwant\n%+v", i, back, want[i])
		}
	}
	// The strings the two jobs share are held once.
	a, b := got[0].e.job, got[1].e.job
	for name, pair := range map[string][2]string{
		"account": {a.AccountName, b.AccountName}, "folder": {a.Folder, b.Folder},
		"error": {a.Err, b.Err}, "title": {a.RecordingTitle, b.RecordingTitle}, "kind": {a.File.Kind, b.File.Kind},
	} {
		if unsafe.StringData(pair[0]) != unsafe.StringData(pair[1]) {
			t.Errorf("the %s %q is held twice", name, pair[0])
		}
	}
}

// A damaged record costs only itself; a record without its id takes the
// key's.
func TestDamagedRecordIsLeftOut(t *testing.T) {
	st := &store{db: testDB(t, t.TempDir())}
	if err := st.init(); err != nil {
		t.Fatal(err)
	}
	if err := st.put([]record{{Job: fullJob(1), Seq: 1}}, nil, nil); err != nil {
		t.Fatal(err)
	}
	err := st.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(jobsBucket)
		if err := b.Put([]byte("broken"), []byte(`{"ID":"broken","State":`)); err != nil {
			return err
		}
		return b.Put([]byte("no-id"), []byte(`{"State":"done","Seq":2}`))
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := st.load(newWords())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, l := range got {
		ids = append(ids, l.e.job.ID)
	}
	if !reflect.DeepEqual(ids, []string{"job-1", "no-id"}) {
		t.Fatalf("read back %q, want job-1 and no-id", ids)
	}
}

// All yields every job once, in the order they were added, across its
// chunks, and the loop body may call the queue.
func TestAllYieldsEveryJobInOrder(t *testing.T) {
	db := testDB(t, t.TempDir())
	st := &store{db: db}
	if err := st.init(); err != nil {
		t.Fatal(err)
	}
	n := 2*allChunk + 7
	var recs []record
	for i := range n {
		j := fullJob(i)
		j.State = Done
		recs = append(recs, record{Job: j, Seq: uint64(n - i)}) // added last to first
	}
	if err := st.put(recs, nil, nil); err != nil {
		t.Fatal(err)
	}
	q, err := New(fastOptions(db, nil, io.Discard))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = q.Close() })
	var got []string
	for j := range q.All() {
		if _, ok := q.Job(j.ID); !ok { // the queue is not locked here
			t.Fatalf("job %s is not in the queue", j.ID)
		}
		got = append(got, j.ID)
	}
	var want []string
	for _, j := range q.Jobs() {
		want = append(want, j.ID)
	}
	if len(want) != n || !slices.Equal(got, want) {
		t.Fatalf("All yielded %d jobs, Jobs %d (of %d), or in another order", len(got), len(want), n)
	}
	if want[0] != fmt.Sprintf("job-%d", n-1) {
		t.Fatalf("the first job is %s, want the one added first", want[0])
	}
	stopped := 0
	for range q.All() {
		if stopped++; stopped == 3 {
			break
		}
	}
	if stopped != 3 {
		t.Fatalf("a loop broken at 3 ran %d times", stopped)
	}
}

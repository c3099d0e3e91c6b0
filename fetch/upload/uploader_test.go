package upload

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"cloudreel/fetch"
	"cloudreel/fetch/sim"
	"cloudreel/fetch/valt"
)

// bench is a simulated Valt, a store and a way to make Uploaders on them.
type bench struct {
	sim  *sim.Server
	db   *bbolt.DB
	dir  string
	opts Options
	// logins counts connectors made, so a test can see the stored
	// reading reach a fresh one.
	mu         sync.Mutex
	connectors []*valt.Connector
}

func newBench(t testing.TB) *bench {
	t.Helper()
	s := sim.New(sim.Config{Recordings: 2, MinSize: 1 << 10, MaxSize: 2 << 10})
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	s.SetURL(hs.URL)
	dir := t.TempDir()
	db, err := bbolt.Open(filepath.Join(dir, "cloudreel.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	b := &bench{sim: s, db: db, dir: dir}
	creds := s.Config().Credentials
	b.opts = Options{DB: db, Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond,
		Target: func(context.Context, string) (Target, error) {
			c, err := valt.New(valt.Config{Server: s.BaseURL(fetch.Valt), Username: creds.ValtUser, Password: creds.ValtPassword,
				HTTP: &http.Client{}, RateLimit: 1000, Backoff: time.Millisecond})
			b.mu.Lock()
			b.connectors = append(b.connectors, c)
			b.mu.Unlock()
			return c, err
		}}
	return b
}

func (b *bench) uploader(t testing.TB, change func(*Options)) *Uploader {
	t.Helper()
	o := b.opts
	if change != nil {
		change(&o)
	}
	u, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// file writes n bytes to a new file and returns its path and SHA-256.
func (b *bench) file(t testing.TB, name string, n int) (string, string) {
	t.Helper()
	data := make([]byte, n)
	for i := range data {
		data[i] = byte(i ^ i>>9)
	}
	path := filepath.Join(b.dir, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return path, hex.EncodeToString(sum[:])
}

func (b *bench) only(t *testing.T) sim.ValtUploadRecord {
	t.Helper()
	recs := b.sim.ValtUploadRecords()
	if len(recs) != 1 {
		t.Fatalf("the simulated Valt has %d records, want exactly 1: %+v", len(recs), recs)
	}
	return recs[0]
}

func addAndRun(t *testing.T, u *Uploader, req Request) Job {
	t.Helper()
	jobs, err := u.Add(req)
	if err != nil {
		t.Fatal(err)
	}
	rep := u.Run(context.Background(), []string{jobs[0].ID})
	return rep.Jobs[0]
}

func TestUploadInEachReadingRemembersIt(t *testing.T) {
	for _, reading := range valt.Readings {
		t.Run(string(reading), func(t *testing.T) {
			b := newBench(t)
			b.sim.Faults().Update(func(f *sim.FaultSet) { f.ValtUploadReading = string(reading) })
			path, sum := b.file(t, "interview.mp4", 200<<10)
			j := addAndRun(t, b.uploader(t, nil), Request{AccountID: "valt1", AccountName: "School Valt", Path: path})
			if j.State != Done || j.Reading != reading || j.SHA256 != sum {
				t.Fatalf("job %+v", j)
			}
			rec := b.only(t)
			if rec.Name != "interview" || rec.Videos[0].SHA256 != sum {
				t.Fatalf("the server has %+v", rec)
			}
			// A new process (a new Uploader and connector on the same
			// store) sends straight in the reading the account's server took.
			before := b.sim.Requests("POST /valt/api/v3/records/{rec}/videos/{video}") + b.sim.Requests("PUT /valt/api/v3/records/{rec}/videos/{video}")
			other, _ := b.file(t, "second.mp4", 10<<10)
			if j := addAndRun(t, b.uploader(t, nil), Request{AccountID: "valt1", Path: other}); j.State != Done {
				t.Fatalf("second upload: %+v", j)
			}
			after := b.sim.Requests("POST /valt/api/v3/records/{rec}/videos/{video}") + b.sim.Requests("PUT /valt/api/v3/records/{rec}/videos/{video}")
			if after-before != 1 {
				t.Fatalf("the second upload took %d requests: the stored reading was not used", after-before)
			}
		})
	}
}

// A connection cut mid-file is tried again from the first byte into the
// same record: one record in Valt, whole.
func TestCutConnectionRetriedIntoSameRecord(t *testing.T) {
	b := newBench(t)
	b.sim.Faults().Update(func(f *sim.FaultSet) { f.ValtUploadCuts = 2 })
	path, sum := b.file(t, "lesson.mp4", 300<<10)
	var notes []string
	var mu sync.Mutex
	u := b.uploader(t, func(o *Options) {
		o.OnChange = func(j Job) { mu.Lock(); notes = append(notes, j.Err); mu.Unlock() }
	})
	j := addAndRun(t, u, Request{AccountID: "valt1", Path: path, Name: "Lesson 4"})
	if j.State != Done || j.Restarts != 2 || j.SHA256 != sum {
		t.Fatalf("job %+v", j)
	}
	rec := b.only(t)
	if rec.ID != j.RecordID || rec.Videos[0].SHA256 != sum || rec.Videos[0].Uploads != 1 {
		t.Fatalf("the server has %+v, the job %+v", rec, j)
	}
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(strings.Join(notes, "\n"), "starts again from the beginning") {
		t.Fatalf("the restart from zero was never said: %q", notes)
	}
}

// An upload that finally fails names its empty record in plain words; the
// same file sent again fills that record and leaves no empty one.
func TestFailedUploadNamesRecordAndRetryFillsIt(t *testing.T) {
	b := newBench(t)
	b.sim.Faults().Update(func(f *sim.FaultSet) { f.ValtUploadCuts = 100 })
	path, sum := b.file(t, "visit.mp4", 100<<10)
	u := b.uploader(t, func(o *Options) { o.Tries = 2 })
	j := addAndRun(t, u, Request{AccountID: "valt1", AccountName: "Clinic Valt", Path: path, Name: "Visit"})
	rec := b.only(t)
	if j.State != Failed || !rec.Empty() || !strings.Contains(j.Err, rec.ID) || !strings.Contains(j.Err, `"Visit"`) ||
		!strings.Contains(j.Err, "remove that record in Valt") || j.EmptyRecord() == "" {
		t.Fatalf("failed job %+v", j)
	}
	b.sim.Faults().Update(func(f *sim.FaultSet) { f.ValtUploadCuts = 0 })
	again := addAndRun(t, b.uploader(t, nil), Request{AccountID: "valt1", AccountName: "Clinic Valt", Path: path, Name: "Visit"})
	if again.ID != j.ID || again.RecordID != j.RecordID || again.State != Done || again.EmptyRecord() != "" {
		t.Fatalf("retried job %+v, first %+v", again, j)
	}
	if rec := b.only(t); rec.Empty() || rec.Videos[0].SHA256 != sum {
		t.Fatalf("after the retry: %+v", rec)
	}
}

// A run stopped mid-file (a kill, Ctrl+C) leaves the job queued with its
// record; the next process sends the file again from zero into it.
func TestStoppedUploadResumesIntoSameRecord(t *testing.T) {
	b := newBench(t)
	path, sum := b.file(t, "long.mp4", 256<<10)
	ctx, cancel := context.WithCancel(context.Background())
	u := b.uploader(t, func(o *Options) {
		o.SpeedLimit = 128 << 10
		o.OnChange = func(j Job) {
			if j.State == Uploading && j.Sent > 0 {
				cancel()
			}
		}
	})
	jobs, err := u.Add(Request{AccountID: "valt1", Path: path})
	if err != nil {
		t.Fatal(err)
	}
	rep := u.Run(ctx, []string{jobs[0].ID})
	stopped := rep.Jobs[0]
	if stopped.State != Queued || stopped.RecordID == "" || !strings.Contains(stopped.Err, "starts again from the beginning") {
		t.Fatalf("stopped job %+v", stopped)
	}
	u2 := b.uploader(t, nil)
	rep = u2.Run(context.Background(), []string{stopped.ID})
	if j := rep.Jobs[0]; j.State != Done || j.RecordID != stopped.RecordID || j.SHA256 != sum {
		t.Fatalf("resumed job %+v", j)
	}
	if rec := b.only(t); rec.Videos[0].SHA256 != sum {
		t.Fatalf("the server has %+v", rec)
	}
}

func TestUnreadableFileIsSaidPlainly(t *testing.T) {
	b := newBench(t)
	path, _ := b.file(t, "gone.mp4", 1<<10)
	u := b.uploader(t, nil)
	jobs, err := u.Add(Request{AccountID: "valt1", Path: path})
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(path)
	j := u.Run(context.Background(), []string{jobs[0].ID}).Jobs[0]
	if j.State != Failed || !strings.Contains(j.Err, "could not open") || len(b.sim.ValtUploadRecords()) != 0 {
		t.Fatalf("job %+v", j)
	}
	if _, err := u.Add(Request{AccountID: "valt1", Path: b.dir}); err == nil || !strings.Contains(fetch.Plain(err), "is a folder") {
		t.Fatalf("a folder: %v", err)
	}
}

// Several files sent at once to one Valt account go through one connector:
// each Valt sign-in cancels the account's previous token, so a connector
// per file would sign the others out.
func TestFilesSentAtOnceShareTheAccountsSignIn(t *testing.T) {
	b := newBench(t)
	u := b.uploader(t, func(o *Options) { o.Concurrency = 4 })
	var ids []string
	for i := range 4 {
		path, _ := b.file(t, fmt.Sprintf("visit-%d.mp4", i), 64<<10)
		jobs, err := u.Add(Request{AccountID: "valt1", Path: path, Name: fmt.Sprintf("Visit %d", i)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, jobs[0].ID)
	}
	rep := u.Run(context.Background(), ids)
	for _, j := range rep.Jobs {
		if j.State != Done {
			t.Errorf("%s: %s %s", j.Path, j.State, j.Err)
		}
	}
	made := func() int { b.mu.Lock(); defer b.mu.Unlock(); return len(b.connectors) }
	if n := made(); n != 1 {
		t.Fatalf("%d connectors made for one account, want 1", n)
	}
	// An edited account gets a new connector, with what was saved.
	u.ForgetTarget("valt1")
	if _, err := u.target(context.Background(), "valt1"); err != nil || made() != 2 {
		t.Fatalf("after ForgetTarget: %v, %d connectors, want 2", err, made())
	}
}

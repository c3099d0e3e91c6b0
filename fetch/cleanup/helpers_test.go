package cleanup

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"cloudreel/fetch"
	"cloudreel/fetch/huawei"
	"cloudreel/fetch/ibmvideo"
	"cloudreel/fetch/queue"
	"cloudreel/fetch/sim"
	"cloudreel/fetch/verify"
	"cloudreel/fetch/zoomsdk"
)

// rig is a simulator, a connector to one of its platforms, a store and a
// cleaner whose clock the test moves.
type rig struct {
	t       *testing.T
	sim     *sim.Server
	conn    fetch.Connector
	store   *Store
	cleaner *Cleaner
	now     time.Time
	proofs  map[string]verify.Proof // job id → proof; absent: not verified
	dir     string
}

func newRig(t *testing.T, p fetch.Platform) *rig {
	t.Helper()
	n := 6
	if p == fetch.Huawei {
		n = 2 // its connector keeps to 5 calls a second, and lists each meeting's files
	}
	s := sim.New(sim.Config{Recordings: n, MinSize: 1 << 10, MaxSize: 4 << 10})
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	s.SetURL(hs.URL)
	creds := s.Config().Credentials
	hc := &http.Client{Timeout: 10 * time.Second}
	var (
		c   fetch.Connector
		err error
	)
	switch p {
	case fetch.ZoomSDK:
		c, err = zoomsdk.New(zoomsdk.Config{Server: s.BaseURL(p), APIKey: creds.ZoomKey, APISecret: creds.ZoomSecret, HTTP: hc, RateLimit: 1000, Backoff: time.Millisecond})
	case fetch.IBMVideo:
		c, err = ibmvideo.New(ibmvideo.Config{Server: s.BaseURL(p), ClientID: creds.IBMClientID, ClientSecret: creds.IBMSecret, HTTP: hc})
	case fetch.Huawei:
		c, err = huawei.New(huawei.Config{Server: s.BaseURL(p), Account: creds.HuaweiAccount, Password: creds.HuaweiPwd, HTTP: hc})
	}
	if err != nil {
		t.Fatal(err)
	}
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "cloudreel.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	st, err := NewStore(db)
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{t: t, sim: s, conn: c, store: st, now: s.Config().Now, proofs: map[string]verify.Proof{}, dir: t.TempDir()}
	r.cleaner = &Cleaner{Store: st, Now: func() time.Time { return r.now },
		Verified: func(j queue.Job) verify.Proof { return r.proofs[j.ID] }}
	return r
}

// listed is what the platform lists now, by recording id.
func (r *rig) listed() map[string]fetch.Recording {
	r.t.Helper()
	out := map[string]fetch.Recording{}
	q := fetch.Query{From: r.now.AddDate(0, -6, 0), To: r.now}
	for rec, err := range r.conn.List(context.Background(), q) {
		if err != nil {
			r.t.Fatal(err)
		}
		out[rec.ID] = rec
	}
	return out
}

// recording is the platform's i-th recording (newest first), as listed.
func (r *rig) recording(i int) fetch.Recording {
	r.t.Helper()
	id := r.sim.Recordings(r.conn.Platform())[i].ID
	rec, ok := r.listed()[id]
	if !ok {
		r.t.Fatalf("recording %s is not listed", id)
	}
	return rec
}

// downloaded writes every file of rec to disk as a finished job of the
// account "acc", verified by proof (verify.None: not verified).
func (r *rig) downloaded(rec fetch.Recording, proof verify.Proof) []queue.Job {
	r.t.Helper()
	var jobs []queue.Job
	for i, f := range rec.Files {
		size := f.Size
		if size <= 0 {
			size = 1000 + int64(i)
		}
		path := filepath.Join(r.dir, fmt.Sprintf("%s-%d.%s", filepath.Base(rec.ID), i, f.Ext))
		if err := os.WriteFile(path, make([]byte, size), 0o600); err != nil {
			r.t.Fatal(err)
		}
		j := queue.Job{ID: fmt.Sprintf("job-%s-%d", rec.ID, i), AccountID: "acc", AccountName: "Office", Platform: r.conn.Platform(),
			RecordingID: rec.ID, RecordingTitle: rec.Title, File: f, Path: path, State: queue.Done, Done: size, Size: size}
		if proof.Holds() {
			r.proofs[j.ID] = proof
		}
		jobs = append(jobs, j)
	}
	return jobs
}

func (r *rig) account(p Policy) Account {
	return Account{ID: "acc", Name: "Office", Platform: r.conn.Platform(), Policy: p}
}

// run plans and runs a clean-up of jobs.
func (r *rig) run(p Policy, jobs []queue.Job) (Plan, Result) {
	r.t.Helper()
	plan, err := r.cleaner.Plan(r.account(p), jobs, r.listed())
	if err != nil {
		r.t.Fatal(err)
	}
	res, err := r.cleaner.Run(context.Background(), plan, r.conn.(fetch.Deleter))
	if err != nil {
		r.t.Fatal(err)
	}
	return plan, res
}

func (r *rig) fate(id string) sim.Fate { return r.sim.FateOf(r.conn.Platform(), id) }

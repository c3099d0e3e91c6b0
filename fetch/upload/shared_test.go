package upload

import (
	"context"
	"fmt"
	"io"
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
	"cloudreel/fetch/limits"
	"cloudreel/fetch/queue"
	"cloudreel/fetch/sim"
	"cloudreel/fetch/valt"
	"cloudreel/fetch/zoomsdk"
)

// inFlight counts the transfers under way through its transport, from the
// call until the answer's body is closed, by what they carry. Only the
// transfers take a slot: sign-ins, listings and Valt's create-upload calls
// are not counted.
type inFlight struct {
	mu                      sync.Mutex
	up, down, peak          int
	peakMixed, maxUp, maxDn int
}

func (f *inFlight) change(upload bool, d int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if upload {
		f.up += d
	} else {
		f.down += d
	}
	f.peak = max(f.peak, f.up+f.down)
	f.maxUp, f.maxDn = max(f.maxUp, f.up), max(f.maxDn, f.down)
	if f.up > 0 && f.down > 0 {
		f.peakMixed = max(f.peakMixed, f.up+f.down)
	}
}

type countingTransport struct {
	f      *inFlight
	upload bool
}

// transfer tells a file's bytes going up (Valt's video upload) or coming
// down (the simulated Zoom's download link) from the API calls around them.
func (t countingTransport) transfer(r *http.Request) bool {
	if t.upload {
		return strings.Contains(r.URL.Path, "/videos/")
	}
	return strings.Contains(r.URL.Path, "/rec/download/")
}

func (t countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if !t.transfer(r) {
		return http.DefaultTransport.RoundTrip(r)
	}
	t.f.change(t.upload, 1)
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil {
		t.f.change(t.upload, -1)
		return nil, err
	}
	resp.Body = &countedBody{ReadCloser: resp.Body, done: func() { t.f.change(t.upload, -1) }}
	return resp, nil
}

type countedBody struct {
	io.ReadCloser
	once sync.Once
	done func()
}

func (b *countedBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.done)
	return err
}

// Uploads and downloads running together never hold more transfers at once
// than the one concurrency limit they share, and both do run side by side.
func TestUploadsAndDownloadsShareTheConcurrencyLimit(t *testing.T) {
	const slots = 3
	s := sim.New(sim.Config{Recordings: 4, MinSize: 150 << 10, MaxSize: 200 << 10})
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	s.SetURL(hs.URL)
	creds := s.Config().Credentials
	dir := t.TempDir()
	db, err := bbolt.Open(filepath.Join(dir, "cloudreel.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })

	shared := limits.New(slots)
	counts := &inFlight{}
	downHTTP := &http.Client{Transport: countingTransport{f: counts}}
	upHTTP := &http.Client{Transport: countingTransport{f: counts, upload: true}}

	zoom, err := zoomsdk.New(zoomsdk.Config{Server: s.BaseURL(fetch.ZoomSDK), APIKey: creds.ZoomKey, APISecret: creds.ZoomSecret, HTTP: downHTTP, RateLimit: 1000, Backoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	qo := queue.NewOptions(db, func(context.Context, string) (fetch.Connector, error) { return zoom, nil })
	qo.Shared, qo.Concurrency, qo.HTTPClient, qo.DiskReserve = shared, slots, downHTTP, 1<<20
	q, err := queue.New(qo)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Close() })
	u, err := New(Options{DB: db, Shared: shared, Backoff: time.Millisecond,
		Target: func(context.Context, string) (Target, error) {
			return valt.New(valt.Config{Server: s.BaseURL(fetch.Valt), Username: creds.ValtUser, Password: creds.ValtPassword,
				HTTP: upHTTP, RateLimit: 1000, Backoff: time.Millisecond})
		}})
	if err != nil {
		t.Fatal(err)
	}
	// Slow enough, together, that the transfers overlap.
	q.SetSpeedLimit(1 << 20)

	var adds []queue.AddRequest
	all := fetch.Query{From: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Now().UTC().AddDate(0, 0, 1)}
	for r, err := range zoom.List(context.Background(), all) {
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range r.Files {
			adds = append(adds, queue.AddRequest{AccountID: "zoom", AccountName: "Zoom", Platform: fetch.ZoomSDK, Recording: r, File: f, Folder: filepath.Join(dir, "down")})
		}
	}
	if _, err := q.Add(adds...); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 6 {
		p := filepath.Join(dir, fmt.Sprintf("up%d.mp4", i))
		if err := os.WriteFile(p, []byte(strings.Repeat("v", 180<<10)), 0o600); err != nil {
			t.Fatal(err)
		}
		jobs, err := u.Add(Request{AccountID: "valt", AccountName: "Valt", Path: p})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, jobs[0].ID)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	q.Start(ctx)
	var rep Report
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); rep = u.Run(ctx, ids) }()
	if err := q.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if !rep.OK() {
		t.Fatalf("uploads failed: %+v", rep.Jobs)
	}
	for _, j := range q.Jobs() {
		if j.State != queue.Done {
			t.Fatalf("download %s ended %s: %s", j.Path, j.State, j.Err)
		}
	}
	q.Close() // its workers give their slots back as they return
	counts.mu.Lock()
	defer counts.mu.Unlock()
	if counts.peak > slots || shared.Peak() > slots {
		t.Fatalf("%d requests (%d slots) were under way at once; the limit is %d", counts.peak, shared.Peak(), slots)
	}
	if counts.peakMixed < 2 || counts.maxUp == 0 || counts.maxDn == 0 {
		t.Fatalf("uploads and downloads never ran side by side (peak together %d, uploads %d, downloads %d): the test proves nothing", counts.peakMixed, counts.maxUp, counts.maxDn)
	}
	if shared.InUse() != 0 {
		t.Fatalf("%d slots still taken after everything ended", shared.InUse())
	}
}

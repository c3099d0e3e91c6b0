package queue

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"iter"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

// spy sits in front of the simulator and records what reaches the media
// route: the Range of every GET, HEADs, and how many GETs run at once. It
// can also answer the next GETs with 429 or with a body of its own.
type spy struct {
	next http.Handler

	mu          sync.Mutex
	ranges      []string // Range of each media GET ("" when none)
	heads       int
	inflight    int
	maxInflight int
	tooMany     int                                           // next N media GETs answer 429
	answer      func(w http.ResponseWriter, f *sim.File) bool // answers a GET itself when it returns true
	files       func(id string) (*sim.File, bool)
}

func (s *spy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, "/files/") {
		s.next.ServeHTTP(w, r)
		return
	}
	s.mu.Lock()
	if r.Method == http.MethodHead {
		s.heads++
	}
	if r.Method != http.MethodGet {
		s.mu.Unlock()
		s.next.ServeHTTP(w, r)
		return
	}
	s.ranges = append(s.ranges, r.Header.Get("Range"))
	if s.tooMany > 0 {
		s.tooMany--
		s.mu.Unlock()
		w.Header().Set("Retry-After", "0")
		http.Error(w, `{"code":429,"message":"Too many requests"}`, http.StatusTooManyRequests)
		return
	}
	answer := s.answer
	s.inflight++
	s.maxInflight = max(s.maxInflight, s.inflight)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inflight--
		s.mu.Unlock()
	}()
	if answer != nil {
		if f, ok := s.files(strings.TrimPrefix(r.URL.Path, "/files/")); ok && answer(w, f) {
			return
		}
	}
	s.next.ServeHTTP(w, r)
}

func (s *spy) Ranges() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.ranges...)
}

// newSim starts a simulator behind a spy. throttle (bytes a second per
// response) makes transfers last long enough to pause or stop them.
func newSim(t *testing.T, throttle int64) (*sim.Server, *spy) {
	t.Helper()
	s := sim.New(sim.Config{Recordings: 8, MinSize: 256 << 10, MaxSize: 320 << 10, Throttle: throttle})
	sp := &spy{next: s.Handler(), files: s.File}
	hs := httptest.NewServer(sp)
	t.Cleanup(hs.Close)
	s.SetURL(hs.URL)
	return s, sp
}

// fakeConn is a connector that resolves files to simulator links and
// counts what it is asked.
type fakeConn struct {
	s *sim.Server

	mu        sync.Mutex
	resolves  map[string]int
	prepares  map[string]int
	preparing map[string]int // file id → how many more times Resolve says "preparing"
	oneTime   bool           // links die after one use (Huawei)
	expired   int            // the next N links are already expired
	ttl       time.Duration  // how long the other links live (default an hour)
	links     []string       // every link handed out
	resolve   func(f fetch.File) (fetch.Source, error, bool)
}

func newConn(s *sim.Server) *fakeConn {
	return &fakeConn{s: s, resolves: map[string]int{}, prepares: map[string]int{}, preparing: map[string]int{}}
}

func (c *fakeConn) Platform() fetch.Platform { return fetch.Valt }

func (c *fakeConn) Check(context.Context) error { return nil }

func (c *fakeConn) List(context.Context, fetch.Query) iter.Seq2[fetch.Recording, error] {
	return func(func(fetch.Recording, error) bool) {}
}

func (c *fakeConn) Prepare(_ context.Context, f fetch.File) error {
	c.mu.Lock()
	c.prepares[f.ID]++
	c.mu.Unlock()
	return nil
}

func (c *fakeConn) Resolve(_ context.Context, f fetch.File) (fetch.Source, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.resolves[f.ID]++
	if c.resolve != nil {
		if src, err, ok := c.resolve(f); ok {
			c.links = append(c.links, src.URL)
			return src, err
		}
	}
	if c.preparing[f.ID] > 0 {
		c.preparing[f.ID]--
		return fetch.Source{}, &fetch.Error{Kind: fetch.KindPreparing, Message: "The platform is still preparing this file.", Retry: 20 * time.Millisecond}
	}
	sf, ok := c.s.File(f.ID)
	if !ok {
		return fetch.Source{}, &fetch.Error{Kind: fetch.KindNotFound}
	}
	ttl := time.Hour
	if c.ttl > 0 {
		ttl = c.ttl
	}
	if c.expired > 0 {
		c.expired--
		ttl = time.Nanosecond
	}
	src := fetch.Source{URL: c.s.FileURL(sf, ttl, c.oneTime), Size: sf.Size, SingleUse: c.oneTime}
	c.links = append(c.links, src.URL)
	if ttl == time.Nanosecond {
		time.Sleep(time.Millisecond)
	}
	return src, nil
}

func (c *fakeConn) Resolves(id string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.resolves[id]
}

func (c *fakeConn) Prepares(id string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.prepares[id]
}

// testDB opens the shared store in dir as the application does.
func testDB(t testing.TB, dir string) *bbolt.DB {
	t.Helper()
	db, err := accounts.OpenDB(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// restartable is a first queue over a new store, with the simulator it
// downloads from and the options that open the store again, for tests of
// what a second queue (a restart) finds. The test closes the first queue.
func restartable(t *testing.T) (*sim.Server, Options, *Queue) {
	t.Helper()
	s, _ := newSim(t, 0)
	o := fastOptions(testDB(t, t.TempDir()), newConn(s), nil)
	q, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = q.Close() })
	return s, o, q
}

// logBuffer collects the queue's log for assertions.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// fastOptions are Options with short pauses so that tests run quickly.
func fastOptions(db *bbolt.DB, conn fetch.Connector, log io.Writer) Options {
	o := NewOptions(db, func(context.Context, string) (fetch.Connector, error) { return conn, nil })
	o.Backoff = 5 * time.Millisecond
	o.MaxBackoff = 20 * time.Millisecond
	o.PreparePoll = 10 * time.Millisecond
	o.MaxPreparePoll = 50 * time.Millisecond
	o.PersistInterval = 50 * time.Millisecond
	o.Headless = true
	o.FreeSpace = func(string) (uint64, error) { return 1 << 40, nil }
	if log != nil {
		o.Log = slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return o
}

// newQueue builds a queue over a new store, closed at the end of the test.
func newQueue(t *testing.T, conn fetch.Connector, change func(*Options)) (*Queue, *logBuffer) {
	t.Helper()
	logs := &logBuffer{}
	o := fastOptions(testDB(t, t.TempDir()), conn, logs)
	if change != nil {
		change(&o)
	}
	q, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = q.Close() })
	return q, logs
}

// request asks for a simulator file into folder.
func request(s *sim.Server, f *sim.File, folder string) AddRequest {
	var rec *sim.Recording
	for _, r := range s.Recordings(f.Platform) {
		if r.ID == f.RecordingID {
			rec = r
		}
	}
	return AddRequest{
		AccountID: "acc-1", AccountName: "Office", Platform: f.Platform,
		Recording: fetch.Recording{ID: rec.ID, Title: rec.Title, Start: rec.Start},
		File:      fetch.File{ID: f.ID, RecordingID: f.RecordingID, Kind: f.Kind, Ext: f.Ext, Size: f.Size},
		Folder:    folder,
	}
}

// files returns n simulator files of Valt.
func files(s *sim.Server, n int) []*sim.File {
	var out []*sim.File
	for _, r := range s.Recordings(fetch.Valt) {
		out = append(out, r.Files[0])
		if len(out) == n {
			break
		}
	}
	return out
}

func addOne(t *testing.T, q *Queue, req AddRequest) Job {
	t.Helper()
	jobs, err := q.Add(req)
	if err != nil {
		t.Fatal(err)
	}
	return jobs[0]
}

// waitFor polls a job until cond holds, failing the test after a while.
func waitFor(t *testing.T, q *Queue, id string, what string, cond func(Job) bool) Job {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		j, ok := q.Job(id)
		if ok && cond(j) {
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("job never %s; it is %+v", what, j)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func waitState(t *testing.T, q *Queue, id string, s State) Job {
	t.Helper()
	return waitFor(t, q, id, "became "+string(s), func(j Job) bool { return j.State == s })
}

// runToEnd starts the queue and waits until nothing is left to do.
func runToEnd(t *testing.T, q *Queue) {
	t.Helper()
	q.Start(context.Background()) // stopped by Close at the end of the test
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := q.Wait(ctx); err != nil {
		t.Fatalf("the queue did not finish: %v; jobs: %+v", err, q.Jobs())
	}
}

func sha256File(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// assertWhole checks that a job is done and its file is byte for byte the
// simulator's, with no partial file left.
func assertWhole(t *testing.T, q *Queue, id string, f *sim.File) Job {
	t.Helper()
	j, _ := q.Job(id)
	if j.State != Done {
		t.Fatalf("job is %s (%s), want done", j.State, j.Err)
	}
	if got, want := sha256File(t, j.Path), sim.ContentSHA256(f); got != want {
		t.Fatalf("SHA-256 of %s is %s, want %s", j.Path, got, want)
	}
	if _, err := os.Stat(j.Path + partSuffix); !os.IsNotExist(err) {
		t.Fatalf("partial file left behind: %v", err)
	}
	return j
}

func assertNoFinalFile(t *testing.T, j Job) {
	t.Helper()
	if _, err := os.Stat(j.Path); !os.IsNotExist(err) {
		t.Fatalf("a file exists under the final name %s (err %v)", j.Path, err)
	}
}

package queue

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

func TestDownloadsWholeFileResolvingOnlyWhenItRuns(t *testing.T) {
	t.Parallel()
	s, sp := newSim(t, 0)
	conn := newConn(s)
	q, _ := newQueue(t, conn, nil)
	f := files(s, 1)[0]
	j := addOne(t, q, request(s, f, t.TempDir()))
	if n := conn.Resolves(f.ID); n != 0 {
		t.Fatalf("Add resolved the link %d times; links must be resolved right before each attempt", n)
	}
	runToEnd(t, q)
	done := assertWhole(t, q, j.ID, f)
	if done.Size != f.Size || done.Done != f.Size || done.Attempts != 1 {
		t.Fatalf("done job reports size %d, done %d, attempts %d; want %d, %d, 1", done.Size, done.Done, done.Attempts, f.Size, f.Size)
	}
	if n := conn.Resolves(f.ID); n != 1 {
		t.Fatalf("resolved %d times, want 1", n)
	}
	if sp.heads != 0 {
		t.Fatalf("%d HEAD requests were sent", sp.heads)
	}
}

func TestCutConnectionResumesWithRange(t *testing.T) {
	t.Parallel()
	s, sp := newSim(t, 0)
	s.Faults().Update(func(fs *sim.FaultSet) { fs.CutMidBody = 1 })
	conn := newConn(s)
	q, _ := newQueue(t, conn, nil)
	f := files(s, 1)[0]
	j := addOne(t, q, request(s, f, t.TempDir()))
	runToEnd(t, q)
	assertWhole(t, q, j.ID, f)
	ranges := sp.Ranges()
	if len(ranges) != 2 || ranges[0] != "" {
		t.Fatalf("media GETs had ranges %q, want a plain GET then one resume", ranges)
	}
	from := rangeStart(t, ranges[1])
	if from <= 0 || from >= f.Size {
		t.Fatalf("resume asked for %q: want a start past zero and before the end (%d)", ranges[1], f.Size)
	}
	if n := conn.Resolves(f.ID); n != 2 {
		t.Fatalf("resolved %d times, want a fresh link for the resume (2)", n)
	}
}

func rangeStart(t *testing.T, r string) int64 {
	t.Helper()
	v, ok := strings.CutPrefix(r, "bytes=")
	if !ok || !strings.HasSuffix(v, "-") {
		t.Fatalf("unexpected Range %q", r)
	}
	n, err := strconv.ParseInt(strings.TrimSuffix(v, "-"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRangeIgnoredOnResumeStartsOverCleanly(t *testing.T) {
	t.Parallel()
	s, sp := newSim(t, 0)
	s.Faults().Update(func(fs *sim.FaultSet) { fs.CutMidBody = 1; fs.IgnoreRange = true })
	conn := newConn(s)
	q, logs := newQueue(t, conn, nil)
	f := files(s, 1)[0]
	j := addOne(t, q, request(s, f, t.TempDir()))
	runToEnd(t, q)
	// A whole body appended to the partial file would make the file too
	// long and its hash wrong.
	assertWhole(t, q, j.ID, f)
	ranges := sp.Ranges()
	if len(ranges) != 3 || ranges[0] != "" || rangeStart(t, ranges[1]) <= 0 || ranges[2] != "" {
		t.Fatalf("media GETs had ranges %q, want: plain, resume (ignored), plain again", ranges)
	}
	if !strings.Contains(logs.String(), "starting the file over") {
		t.Fatalf("the clean restart was not logged:\n%s", logs)
	}
}

func TestErrorBodyWithStatus200IsRejected(t *testing.T) {
	t.Parallel()
	s, _ := newSim(t, 0)
	s.Faults().Update(func(fs *sim.FaultSet) { fs.ErrorBody200 = 100 })
	conn := newConn(s)
	q, _ := newQueue(t, conn, nil)
	f := files(s, 1)[0]
	j := addOne(t, q, request(s, f, t.TempDir()))
	runToEnd(t, q)
	got, _ := q.Job(j.ID)
	if got.State != Failed || got.Err == "" {
		t.Fatalf("job is %s with error %q, want failed with a plain error", got.State, got.Err)
	}
	assertNoFinalFile(t, got)
	if _, err := os.Stat(got.Path + partSuffix); !os.IsNotExist(err) {
		t.Fatalf("the error body was kept as a partial file (%v)", err)
	}
	if n := conn.Resolves(f.ID); n != 2 {
		t.Fatalf("resolved %d times, want one fresh link after the bad body (2)", n)
	}
}

func TestErrorBodyOnceThenTheFile(t *testing.T) {
	t.Parallel()
	s, _ := newSim(t, 0)
	s.Faults().Update(func(fs *sim.FaultSet) { fs.ErrorBody200 = 1 })
	conn := newConn(s)
	q, _ := newQueue(t, conn, nil)
	f := files(s, 1)[0]
	j := addOne(t, q, request(s, f, t.TempDir()))
	runToEnd(t, q)
	assertWhole(t, q, j.ID, f)
}

// An error page of exactly the listed length, served as a binary type, is
// caught by sniffing the bytes before the rename.
func TestErrorBodyOfTheRightLengthIsSniffed(t *testing.T) {
	t.Parallel()
	s, sp := newSim(t, 0)
	sp.answer = func(w http.ResponseWriter, f *sim.File) bool {
		body := `{"status":false,"errorCode":124,"errorMessage":"Forbidden"}`
		body += strings.Repeat(" ", int(f.Size)-len(body))
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write([]byte(body))
		return true
	}
	conn := newConn(s)
	q, _ := newQueue(t, conn, nil)
	f := files(s, 1)[0]
	j := addOne(t, q, request(s, f, t.TempDir()))
	runToEnd(t, q)
	got, _ := q.Job(j.ID)
	if got.State != Failed {
		t.Fatalf("job is %s, want failed", got.State)
	}
	assertNoFinalFile(t, got)
	if n := fileSize(got.Path + partSuffix); n != 0 {
		t.Fatalf("%d bytes of the error page kept in the partial file", n)
	}
}

func TestOneTimeLinkIsNeverSpentOnHEAD(t *testing.T) {
	t.Parallel()
	s, sp := newSim(t, 0)
	s.Faults().Update(func(fs *sim.FaultSet) { fs.HeadSpendsToken = true; fs.CutMidBody = 1 })
	conn := newConn(s)
	conn.oneTime = true
	q, _ := newQueue(t, conn, nil)
	f := files(s, 1)[0]
	j := addOne(t, q, request(s, f, t.TempDir()))
	runToEnd(t, q)
	assertWhole(t, q, j.ID, f)
	if sp.heads != 0 || s.Requests("HEAD media") != 0 {
		t.Fatalf("%d HEAD requests reached the server", sp.heads)
	}
	if ranges := sp.Ranges(); len(ranges) != 2 || rangeStart(t, ranges[1]) <= 0 {
		t.Fatalf("ranges %q: want the resume to use a new one-time link with a Range", ranges)
	}
}

func TestExpiredLinkIsResolvedAgain(t *testing.T) {
	t.Parallel()
	s, _ := newSim(t, 0)
	conn := newConn(s)
	conn.expired = 1
	q, _ := newQueue(t, conn, nil)
	f := files(s, 1)[0]
	j := addOne(t, q, request(s, f, t.TempDir()))
	runToEnd(t, q)
	assertWhole(t, q, j.ID, f)
	if n := conn.Resolves(f.ID); n != 2 {
		t.Fatalf("resolved %d times, want 2 (the expired link, then a fresh one)", n)
	}
}

// While the platform keeps handing out links the server refuses, the
// job keeps asking, after the usual pauses, and gives up only when the
// tries are used. Each link is resolved after its pause, not before: the
// good link lives far less than a pause and must still work.
func TestRefusedLinksAreAskedForAgainAfterEachPause(t *testing.T) {
	t.Parallel()
	s, sp := newSim(t, 0)
	conn := newConn(s)
	conn.expired = 3
	conn.ttl = 150 * time.Millisecond
	q, _ := newQueue(t, conn, func(o *Options) { o.Backoff, o.MaxBackoff = 600*time.Millisecond, 600*time.Millisecond })
	f := files(s, 1)[0]
	j := addOne(t, q, request(s, f, t.TempDir()))
	runToEnd(t, q)
	got := assertWhole(t, q, j.ID, f)
	if n := conn.Resolves(f.ID); n != 4 || got.Attempts != 4 || len(sp.Ranges()) != 4 {
		t.Fatalf("%d resolves, %d attempts, %d GETs; want 4 of each (3 refused links, then a good one)", n, got.Attempts, len(sp.Ranges()))
	}
}

func TestRefusedLinksFailAfterTheTries(t *testing.T) {
	t.Parallel()
	s, _ := newSim(t, 0)
	conn := newConn(s)
	conn.expired = 100
	q, _ := newQueue(t, conn, nil)
	f := files(s, 1)[0]
	j := addOne(t, q, request(s, f, t.TempDir()))
	runToEnd(t, q)
	got, _ := q.Job(j.ID)
	if got.State != Failed || !strings.Contains(got.Err, "refused 5 fresh download links") || strings.Contains(got.Err, "by itself") {
		t.Fatalf("job is %s (%q), want failed saying 5 links were refused, without promising a new one", got.State, got.Err)
	}
	if n := conn.Resolves(f.ID); n != 5 {
		t.Fatalf("resolved %d times, want one link per try (5)", n)
	}
}

func TestRateLimitAndServerErrorsAreRetried(t *testing.T) {
	t.Parallel()
	s, sp := newSim(t, 0)
	sp.tooMany = 1
	s.Faults().Update(func(fs *sim.FaultSet) { fs.MediaErrors = 2 })
	conn := newConn(s)
	q, _ := newQueue(t, conn, nil)
	f := files(s, 1)[0]
	j := addOne(t, q, request(s, f, t.TempDir()))
	runToEnd(t, q)
	got := assertWhole(t, q, j.ID, f)
	if got.Attempts != 4 {
		t.Fatalf("%d attempts, want 4 (429, 503, 503, success)", got.Attempts)
	}
}

func TestServerErrorsGiveUpAfterTries(t *testing.T) {
	t.Parallel()
	s, _ := newSim(t, 0)
	s.Faults().Update(func(fs *sim.FaultSet) { fs.MediaErrors = 100 })
	conn := newConn(s)
	q, _ := newQueue(t, conn, nil)
	f := files(s, 1)[0]
	j := addOne(t, q, request(s, f, t.TempDir()))
	runToEnd(t, q)
	got, _ := q.Job(j.ID)
	if got.State != Failed || got.Attempts != 5 || !strings.Contains(got.Err, "503") {
		t.Fatalf("job is %s after %d attempts (%q), want failed after 5 saying 503", got.State, got.Attempts, got.Err)
	}
}

func TestNotFoundIsNotRetried(t *testing.T) {
	t.Parallel()
	s, _ := newSim(t, 0)
	conn := newConn(s)
	conn.resolve = func(f fetch.File) (fetch.Source, error, bool) {
		return fetch.Source{URL: s.URL() + "/files/gone", Size: f.Size}, nil, true
	}
	q, _ := newQueue(t, conn, nil)
	f := files(s, 1)[0]
	j := addOne(t, q, request(s, f, t.TempDir()))
	runToEnd(t, q)
	got, _ := q.Job(j.ID)
	if got.State != Failed || got.Attempts != 1 {
		t.Fatalf("job is %s after %d attempts, want failed after 1", got.State, got.Attempts)
	}
	// Retry starts it again: now the link works.
	conn.mu.Lock()
	conn.resolve = nil
	conn.mu.Unlock()
	if err := q.Retry(j.ID); err != nil {
		t.Fatal(err)
	}
	runToEnd(t, q)
	assertWhole(t, q, j.ID, f)
}

func TestFullDiskPausesTheQueueAndLosesNothing(t *testing.T) {
	t.Parallel()
	s, sp := newSim(t, 0)
	conn := newConn(s)
	var full atomic.Bool
	q, _ := newQueue(t, conn, func(o *Options) {
		o.FreeSpace = func(string) (uint64, error) {
			if full.Load() {
				return 10 << 20, nil
			}
			return 1 << 40, nil
		}
	})
	fl := files(s, 2)
	dir := t.TempDir()
	j, err := q.Add(request(s, fl[0], dir))
	if err != nil {
		t.Fatal(err)
	}
	id := j[0].ID
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events, stop := q.Subscribe()
	defer stop()
	full.Store(true)
	q.Start(ctx)
	// Free space is checked before a transfer: nothing is fetched.
	got := waitState(t, q, id, Paused)
	if q.Halted() == "" || !strings.Contains(got.Err, "free space") {
		t.Fatalf("halted %q, job error %q: want the queue stopped with a plain message about free space", q.Halted(), got.Err)
	}
	if len(sp.Ranges()) != 0 {
		t.Fatal("a transfer started although the disk is full")
	}
	// A job added now waits too.
	more, err := q.Add(request(s, fl[1], dir))
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	if j, _ := q.Job(more[0].ID); j.State != Queued || len(sp.Ranges()) != 0 {
		t.Fatalf("a job added to a stopped queue is %s", j.State)
	}
	sawHalt := false
	for !sawHalt {
		select {
		case ev := <-events:
			sawHalt = ev.Kind == Halted && ev.Message != ""
		case <-time.After(5 * time.Second):
			t.Fatal("no Halted event")
		}
	}
	full.Store(false)
	q.ResumeAll()
	if err := q.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	assertWhole(t, q, id, fl[0])
	assertWhole(t, q, more[0].ID, fl[1])
}

// A write that fails with ENOSPC (here: a partial file that is
// /dev/full) pauses the queue with a plain message instead of failing.
func TestWriteOnFullDiskPausesTheQueue(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full on this system")
	}
	s, _ := newSim(t, 0)
	conn := newConn(s)
	q, _ := newQueue(t, conn, nil)
	f := files(s, 1)[0]
	j := addOne(t, q, request(s, f, t.TempDir()))
	if err := os.MkdirAll(filepath.Dir(j.Path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/full", j.Path+partSuffix); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	q.Start(ctx)
	got := waitState(t, q, j.ID, Paused)
	if !strings.Contains(q.Halted(), "is full") || got.Err == "" {
		t.Fatalf("halted %q, job error %q: want the queue stopped because the disk is full", q.Halted(), got.Err)
	}
	assertNoFinalFile(t, got)
	// Room again: the job completes.
	_ = os.Remove(j.Path + partSuffix)
	q.ResumeAll()
	if err := q.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	assertWhole(t, q, j.ID, f)
}

func TestLogsAndErrorsCarryNoLinkToken(t *testing.T) {
	t.Parallel()
	s, _ := newSim(t, 0)
	s.Faults().Update(func(fs *sim.FaultSet) { fs.CutMidBody = 1; fs.MediaErrors = 1 })
	conn := newConn(s)
	conn.expired = 1
	q, logs := newQueue(t, conn, nil)
	f := files(s, 1)[0]
	j := addOne(t, q, request(s, f, t.TempDir()))
	runToEnd(t, q)
	assertWhole(t, q, j.ID, f)
	conn.mu.Lock()
	links := append([]string(nil), conn.links...)
	conn.mu.Unlock()
	for _, l := range links {
		u, err := url.Parse(l)
		if err != nil {
			t.Fatal(err)
		}
		if tok := u.Query().Get("t"); tok != "" && strings.Contains(logs.String(), tok) {
			t.Fatalf("the log shows a link token:\n%s", logs)
		}
	}
}

// countingTransport counts the requests that go through it.
type countingTransport struct {
	next http.RoundTripper
	n    atomic.Int32
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

// A platform that needs its own client (Valt's pinned certificate) gets
// it, without the short overall timeout API clients have.
func TestSourceClientIsUsedWithoutItsTimeout(t *testing.T) {
	t.Parallel()
	s, _ := newSim(t, slow)
	ct := &countingTransport{next: http.DefaultTransport}
	conn := newConn(s)
	conn.resolve = func(f fetch.File) (fetch.Source, error, bool) {
		sf, _ := s.File(f.ID)
		return fetch.Source{URL: s.FileURL(sf, 0, false), Size: sf.Size, HTTP: &http.Client{Transport: ct, Timeout: 200 * time.Millisecond}}, nil, true
	}
	q, _ := newQueue(t, conn, nil)
	f := files(s, 1)[0]
	j := addOne(t, q, request(s, f, t.TempDir()))
	runToEnd(t, q)
	got := assertWhole(t, q, j.ID, f)
	if ct.n.Load() != 1 || got.Attempts != 1 {
		t.Fatalf("%d requests through the platform's client in %d attempts, want 1 in 1", ct.n.Load(), got.Attempts)
	}
}

// Two files nearly done fit in what is left of the disk, though not with
// the reserve on top: both finish.
func TestNearlyDoneFilesFinishOnANearlyFullDisk(t *testing.T) {
	t.Parallel()
	s, sp := newSim(t, 0)
	conn := newConn(s)
	const left = 40 << 10
	q, _ := newQueue(t, conn, func(o *Options) {
		o.FreeSpace = func(string) (uint64, error) { return 3 * left, nil } // room for both rests, far less than the reserve
	})
	dir := t.TempDir()
	var ids []string
	fl := files(s, 2)
	for _, f := range fl {
		j := addOne(t, q, request(s, f, dir))
		ids = append(ids, j.ID)
		if err := os.MkdirAll(filepath.Dir(j.Path), 0o755); err != nil {
			t.Fatal(err)
		}
		part, err := os.Create(j.Path + partSuffix)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.CopyN(part, sim.Content(f), f.Size-left); err != nil {
			t.Fatal(err)
		}
		part.Close()
	}
	runToEnd(t, q)
	if h := q.Halted(); h != "" {
		t.Fatalf("the queue stopped: %s", h)
	}
	for i, f := range fl {
		assertWhole(t, q, ids[i], f)
	}
	for _, r := range sp.Ranges() {
		if rangeStart(t, r) != fl[0].Size-left && rangeStart(t, r) != fl[1].Size-left {
			t.Fatalf("ranges %q: want each file continued from its partial bytes", sp.Ranges())
		}
	}
}

// A full disk tells a person what to do next in the words of where they
// are: the window's button, or the command run again.
func TestFullDiskSaysWhatToDoNext(t *testing.T) {
	t.Parallel()
	for _, headless := range []bool{false, true} {
		s, _ := newSim(t, 0)
		conn := newConn(s)
		q, _ := newQueue(t, conn, func(o *Options) {
			o.Headless = headless
			o.FreeSpace = func(string) (uint64, error) { return 1 << 20, nil }
		})
		j := addOne(t, q, request(s, files(s, 1)[0], t.TempDir()))
		q.Start(context.Background())
		got := waitState(t, q, j.ID, Paused)
		want, wrong := "press Resume", "run the same command again"
		if headless {
			want, wrong = wrong, want
		}
		if h := q.Halted(); !strings.Contains(h, want) || strings.Contains(h, wrong) || !strings.Contains(got.Err, want) {
			t.Errorf("headless %v: halted %q, job error %q; want %q", headless, h, got.Err, want)
		}
	}
}

package syncer

import (
	"context"
	"errors"
	"iter"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"cloudreel/fetch"
	"cloudreel/fetch/queue"
)

// platform is a fake listing: the recordings it holds now, and the
// ranges it was asked for.
type platform struct {
	mu      sync.Mutex
	recs    []fetch.Recording
	queries []fetch.Query
	fail    error
}

func (p *platform) list(_ context.Context, _ string, q fetch.Query) iter.Seq2[fetch.Recording, error] {
	p.mu.Lock()
	p.queries = append(p.queries, q)
	recs, fail := slices.Clone(p.recs), p.fail
	p.mu.Unlock()
	return func(yield func(fetch.Recording, error) bool) {
		if fail != nil {
			yield(fetch.Recording{}, fail)
			return
		}
		for _, r := range recs {
			if q.Contains(r.Start) && !yield(r, nil) {
				return
			}
		}
	}
}

func (p *platform) put(r fetch.Recording) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.recs = slices.DeleteFunc(p.recs, func(o fetch.Recording) bool { return o.ID == r.ID })
	p.recs = append(p.recs, r)
}

func (p *platform) lastQuery() fetch.Query {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.queries[len(p.queries)-1]
}

// clock is a settable present.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// recording is a Zoom-like session with a video, an audio and a
// transcript file.
func recording(id string, start time.Time) fetch.Recording {
	return fetch.Recording{ID: id, Title: "Session " + id, Start: start, Files: []fetch.File{
		{ID: id + "-v", RecordingID: id, Kind: "screen and speaker", Ext: "mp4", Size: 100},
		{ID: id + "-a", RecordingID: id, Kind: "audio", Ext: "m4a", Size: 50},
		{ID: id + "-t", RecordingID: id, Kind: "transcript", Ext: "vtt", Size: 10},
	}}
}

type fixture struct {
	db    *bbolt.DB
	queue *queue.Queue
	sync  *Syncer
	plat  *platform
	clock *clock
	acct  Account
}

var t0 = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "store.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	q, err := queue.New(queue.NewOptions(db, func(context.Context, string) (fetch.Connector, error) {
		return nil, errors.New("this test downloads nothing")
	}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Close() })
	f := &fixture{db: db, queue: q, plat: &platform{}, clock: &clock{now: t0},
		acct: Account{ID: "acct1", Name: "Office", Platform: fetch.ZoomSDK}}
	f.sync, err = New(Options{DB: db, Downloads: q, List: f.plat.list, Now: f.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.sync.Set(f.acct.ID, Settings{Folder: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) look(t *testing.T) Look {
	t.Helper()
	l, err := f.sync.Look(context.Background(), f.acct)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func fileIDs(jobs []queue.Job) []string {
	var ids []string
	for _, j := range jobs {
		ids = append(ids, j.File.ID)
	}
	slices.Sort(ids)
	return ids
}

// pageWrites is how many pages the store's committed write transactions
// wrote; every commit writes at least its meta page.
func pageWrites(db *bbolt.DB) int64 {
	st := db.Stats()
	return st.TxStats.GetWrite()
}

func day(t time.Time) time.Time { return t.UTC().Truncate(24 * time.Hour) }

// The first look reaches Since back; the next only to the last look less
// the overlap, and queues only what is new: a recording made since, and
// one that started before the last look but was listed only after it.
func TestLookPicksUpOnlyNewRecordings(t *testing.T) {
	f := newFixture(t)
	f.plat.put(recording("old", t0.Add(-40*24*time.Hour))) // before Since: never
	f.plat.put(recording("a", t0.Add(-30*time.Hour)))      // listed again in the overlap

	l := f.look(t)
	if want := (fetch.Query{From: day(t0.Add(-DefaultSince)), To: day(t0)}); l.Query != want {
		t.Fatalf("the first look listed %v, want %v", l.Query, want)
	}
	if got := fileIDs(l.New); !slices.Equal(got, []string{"a-a", "a-t", "a-v"}) {
		t.Fatalf("the first look queued %v", got)
	}

	f.clock.advance(6 * time.Hour)
	f.plat.put(recording("b", t0.Add(time.Hour)))        // recorded since the last look
	f.plat.put(recording("late", t0.Add(-20*time.Hour))) // listed only now: processed late
	l = f.look(t)
	if want := (fetch.Query{From: day(t0.Add(-DefaultOverlap)), To: day(t0.Add(6 * time.Hour))}); l.Query != want {
		t.Fatalf("the second look listed %v, want %v (the last look less the overlap)", l.Query, want)
	}
	if got := fileIDs(l.New); !slices.Equal(got, []string{"b-a", "b-t", "b-v", "late-a", "late-t", "late-v"}) {
		t.Fatalf("the second look queued %v, want only b's and late's files", got)
	}
	if l.Listed != 3 {
		t.Fatalf("the second look listed %d recordings, want 3 (a, b, late)", l.Listed)
	}
	if n := len(f.queue.Jobs()); n != 9 {
		t.Fatalf("%d jobs in the queue, want 9: no file twice", n)
	}
}

// A recording the platform is still processing (Huawei's transcoding)
// keeps the looks reaching back to it; once its files are listed they
// are queued, even though it started long before the overlap.
func TestLookPicksUpARecordingThatFinishedProcessingLate(t *testing.T) {
	f := newFixture(t)
	start := t0.Add(-5 * 24 * time.Hour)
	f.plat.put(fetch.Recording{ID: "p", Title: "Governors", Start: start, Pending: true, ReadyAt: t0.Add(72 * time.Hour)})
	l := f.look(t)
	if len(l.New) != 0 || l.Pending != 1 {
		t.Fatalf("a recording being processed: %d files queued, %d pending", len(l.New), l.Pending)
	}

	f.clock.advance(3 * 24 * time.Hour) // the last look less the overlap is after its start now
	ready := recording("p", start)
	f.plat.put(ready)
	l = f.look(t)
	if l.Query.From.After(start) {
		t.Fatalf("the look listed from %v, after the pending recording's start %v", l.Query.From, start)
	}
	if got := fileIDs(l.New); !slices.Equal(got, []string{"p-a", "p-t", "p-v"}) {
		t.Fatalf("the look after processing queued %v", got)
	}

	// Nothing waits any more: the next look reaches back only the overlap.
	f.clock.advance(time.Hour)
	l = f.look(t)
	if want := day(f.clock.Now().Add(-time.Hour - DefaultOverlap)); l.Query.From != want {
		t.Fatalf("after the wait the look listed from %v, want %v", l.Query.From, want)
	}
}

// A look that finds nothing new costs one listing and no write to the
// store; the next look of the same process still reaches back only from
// it.
func TestLookWithNothingNewWritesNothing(t *testing.T) {
	f := newFixture(t)
	f.plat.put(recording("a", t0.Add(-24*time.Hour)))
	f.plat.put(fetch.Recording{ID: "p", Start: t0.Add(-2 * time.Hour), Pending: true})
	f.look(t)

	f.clock.advance(10 * 24 * time.Hour)
	writes := pageWrites(f.db)
	calls := len(f.plat.queries)
	l := f.look(t)
	if got := pageWrites(f.db) - writes; got != 0 {
		t.Fatalf("a look with nothing new wrote %d pages to the store", got)
	}
	if got := len(f.plat.queries) - calls; got != 1 {
		t.Fatalf("a look with nothing new listed %d times, want 1", got)
	}
	if len(l.New) != 0 || l.Pending != 1 {
		t.Fatalf("nothing new: %d queued, %d pending", len(l.New), l.Pending)
	}
	// The jobs handed over earlier are not downloaded (the queue does not
	// run here), so they are this look's work again.
	if len(l.Again) != 3 {
		t.Fatalf("%d earlier jobs are the look's work again, want 3", len(l.Again))
	}
}

// downloadsThatDie is a queue whose Add takes the jobs but whose caller
// dies before it can save what it queued, as a sync killed right then.
type downloadsThatDie struct{ *queue.Queue }

func (d downloadsThatDie) Add(reqs ...queue.AddRequest) ([]queue.Job, error) {
	if _, err := d.Queue.Add(reqs...); err != nil {
		return nil, err
	}
	return nil, errors.New("killed")
}

// A sync killed between queueing and saving what it queued loses
// nothing and queues nothing twice: the next look hands the same files
// to the queue, which gives back the same jobs. Opening the store again
// writes nothing either.
func TestLookAfterAKillBetweenQueueAndSave(t *testing.T) {
	f := newFixture(t)
	f.plat.put(recording("a", t0.Add(-time.Hour)))
	dying, err := New(Options{DB: f.db, Downloads: downloadsThatDie{f.queue}, List: f.plat.list, Now: f.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dying.Look(context.Background(), f.acct); err == nil {
		t.Fatal("the dying look gave no error")
	}
	if last, _ := f.sync.LastLook(f.acct.ID); !last.IsZero() {
		t.Fatalf("the dying look was saved: %v", last)
	}
	queued := fileIDs(f.queue.Jobs())
	l := f.look(t)
	if got := fileIDs(l.New); !slices.Equal(got, queued) || len(got) != 3 {
		t.Fatalf("the next look queued %v, the dying one %v", got, queued)
	}
	if n := len(f.queue.Jobs()); n != 3 {
		t.Fatalf("%d jobs, want 3: a file was queued twice", n)
	}
	writes := pageWrites(f.db)
	if _, err := New(Options{DB: f.db, Downloads: f.queue, List: f.plat.list}); err != nil {
		t.Fatal(err)
	}
	if n := pageWrites(f.db) - writes; n != 0 {
		t.Fatalf("opening the syncer on a store that has its buckets wrote %d pages", n)
	}
}

// Only the kinds chosen are queued; a kind added later is picked up by
// the next look for the recordings in its reach.
func TestLookKeepsOnlyTheKindsChosen(t *testing.T) {
	f := newFixture(t)
	if err := f.sync.Set(f.acct.ID, Settings{Folder: t.TempDir(), Kinds: []Kind{Video}}); err != nil {
		t.Fatal(err)
	}
	f.plat.put(recording("a", t0.Add(-time.Hour)))
	if got := fileIDs(f.look(t).New); !slices.Equal(got, []string{"a-v"}) {
		t.Fatalf("video only queued %v", got)
	}
	if err := f.sync.Set(f.acct.ID, Settings{Folder: t.TempDir(), Kinds: []Kind{Video, Transcript}}); err != nil {
		t.Fatal(err)
	}
	if got := fileIDs(f.look(t).New); !slices.Equal(got, []string{"a-t"}) {
		t.Fatalf("adding transcripts queued %v", got)
	}
}

// A listing that fails writes nothing: the next look reaches back as far.
func TestLookThatFailsKeepsItsReach(t *testing.T) {
	f := newFixture(t)
	f.plat.put(recording("a", t0.Add(-time.Hour)))
	f.look(t)
	f.clock.advance(5 * 24 * time.Hour)
	f.plat.fail = &fetch.Error{Kind: fetch.KindUnreachable, Message: "The server cannot be reached."}
	if _, err := f.sync.Look(context.Background(), f.acct); err == nil {
		t.Fatal("a failed listing gave no error")
	}
	f.plat.fail = nil
	f.look(t)
	if want := day(t0.Add(-DefaultOverlap)); f.plat.lastQuery().From != want {
		t.Fatalf("after a failed look the next listed from %v, want %v", f.plat.lastQuery().From, want)
	}
}

// A longer Since starts the looks over; Stop forgets the account.
func TestSetAndStop(t *testing.T) {
	f := newFixture(t)
	f.look(t)
	if err := f.sync.Set(f.acct.ID, Settings{Folder: t.TempDir(), Since: 90 * 24 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	if l := f.look(t); l.Query.From != day(t0.Add(-90*24*time.Hour)) {
		t.Fatalf("after a longer Since the look listed from %v", l.Query.From)
	}
	if err := f.sync.Set(f.acct.ID, Settings{Folder: t.TempDir(), Every: time.Second}); err == nil {
		t.Fatal("looking every second was accepted")
	}
	if err := f.sync.Stop(f.acct.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.sync.Look(context.Background(), f.acct); !errors.Is(err, ErrNotSet) {
		t.Fatalf("a look at a stopped account: %v", err)
	}
	if err := f.sync.Stop(f.acct.ID); !errors.Is(err, ErrNotSet) {
		t.Fatalf("stopping twice: %v", err)
	}
}

func TestKindOf(t *testing.T) {
	for _, c := range []struct {
		kind, ext string
		want      Kind
	}{
		{"video", "mp4", Video}, {"video 2", "mp4", Video}, // Valt
		{"mp4", "mp4", Video},                             // IBM
		{"Hd", "mp4", Video}, {"Sd part 2", "mp4", Video}, // Huawei
		{"Aux", "mp4", Screen}, {"Aux part 3", "mp4", Screen}, // Huawei's shared screen
		{"screen and speaker", "mp4", Video}, {"screen", "mp4", Screen}, // Zoom
		{"audio", "m4a", Audio}, {"transcript", "vtt", Transcript}, // Zoom
		{"captions", "vtt", Transcript}, {"chat", "txt", Transcript}, // Zoom
		{"audio (Elisa L)", "m4a", Participant}, {"video (Sam)", "mp4", Participant}, // Zoom's participant files
		{"screen (Sam)", "mp4", Participant}, {"recording", "m4a", Audio},
	} {
		if got := KindOf(fetch.File{Kind: c.kind, Ext: c.ext}); got != c.want {
			t.Errorf("KindOf(%q, %q) = %s, want %s", c.kind, c.ext, got, c.want)
		}
	}
}

func TestParseKindsAndSpans(t *testing.T) {
	if k, err := ParseKinds("video, shared screen,participants"); err != nil || !slices.Equal(k, []Kind{Video, Screen, Participant}) {
		t.Fatalf("ParseKinds: %v %v", k, err)
	}
	if k, _ := ParseKinds(""); !slices.Equal(k, Kinds) {
		t.Fatalf("no kinds is every kind, got %v", k)
	}
	if _, err := ParseKinds("videos"); err == nil {
		t.Fatal("an unknown kind was accepted")
	}
	for in, want := range map[string]time.Duration{"30d": 30 * 24 * time.Hour, "2w": 14 * 24 * time.Hour, "1h": time.Hour, "90m": 90 * time.Minute} {
		if got, err := ParseSpan(in); err != nil || got != want {
			t.Errorf("ParseSpan(%q) = %v, %v", in, got, err)
		}
		if back, err := ParseSpan(FormatSpan(want)); err != nil || back != want {
			t.Errorf("FormatSpan(%v) = %q, read back as %v, %v", want, FormatSpan(want), back, err)
		}
	}
	for _, bad := range []string{"", "0d", "-1h", "soon", "d"} {
		if _, err := ParseSpan(bad); err == nil {
			t.Errorf("ParseSpan(%q) was accepted", bad)
		}
	}
}

package queue

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

// The simulator's throttle: its first 128 KiB come at once, the rest at
// 128 KiB a second, so a file of 256-320 KiB takes one to two seconds.
const slow = 128 << 10

func TestPauseResumeContinuesFromTheBytesOnDisk(t *testing.T) {
	t.Parallel()
	s, sp := newSim(t, slow)
	conn := newConn(s)
	q, _ := newQueue(t, conn, nil)
	f := files(s, 1)[0]
	j := addOne(t, q, request(s, f, t.TempDir()))
	q.Start(context.Background())
	waitFor(t, q, j.ID, "received bytes", func(j Job) bool { return j.Done > 0 })
	if err := q.Pause(j.ID); err != nil {
		t.Fatal(err)
	}
	paused := waitState(t, q, j.ID, Paused)
	time.Sleep(100 * time.Millisecond) // let the transfer let go of the file
	have := fileSize(paused.Path + partSuffix)
	if have <= 0 || have >= f.Size {
		t.Fatalf("paused with %d bytes in the partial file, want some but not all of %d", have, f.Size)
	}
	if err := q.Resume(j.ID); err != nil {
		t.Fatal(err)
	}
	runToEnd(t, q)
	assertWhole(t, q, j.ID, f)
	ranges := sp.Ranges()
	if got := rangeStart(t, ranges[len(ranges)-1]); got != have {
		t.Fatalf("resumed from byte %d, want %d (the partial file's size)", got, have)
	}
	if n := conn.Resolves(f.ID); n != 2 {
		t.Fatalf("resolved %d times, want a fresh link for the resume (2)", n)
	}
}

func TestCancelRemovesThePartialFile(t *testing.T) {
	t.Parallel()
	s, _ := newSim(t, slow)
	conn := newConn(s)
	q, _ := newQueue(t, conn, nil)
	fl := files(s, 2)
	dir := t.TempDir()
	jobs, err := q.Add(request(s, fl[0], dir), request(s, fl[1], dir))
	if err != nil {
		t.Fatal(err)
	}
	q.Start(context.Background())
	waitFor(t, q, jobs[0].ID, "received bytes", func(j Job) bool { return j.Done > 0 })
	if err := q.Cancel(jobs[0].ID); err != nil {
		t.Fatal(err)
	}
	runToEnd(t, q)
	got, _ := q.Job(jobs[0].ID)
	if got.State != Canceled {
		t.Fatalf("job is %s, want canceled", got.State)
	}
	assertNoFinalFile(t, got)
	if _, err := os.Stat(got.Path + partSuffix); !os.IsNotExist(err) {
		t.Fatalf("the partial file of a canceled job is still there (%v)", err)
	}
	assertWhole(t, q, jobs[1].ID, fl[1])
	// Retry brings a canceled job back; ClearFinished then empties the list.
	if err := q.Retry(jobs[0].ID); err != nil {
		t.Fatal(err)
	}
	runToEnd(t, q)
	assertWhole(t, q, jobs[0].ID, fl[0])
	q.ClearFinished()
	if n := len(q.Jobs()); n != 0 {
		t.Fatalf("%d jobs left after ClearFinished", n)
	}
}

// A queue closed mid-download (the window quitting, or a kill: the store
// is written the same way) comes back from the store with the job paused
// and its bytes; resuming continues with a Range from those bytes.
func TestRestartFromTheStoreResumesFromThePartialFile(t *testing.T) {
	t.Parallel()
	for _, headless := range []bool{false, true} {
		name := "window"
		if headless {
			name = "headless"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s, sp := newSim(t, slow)
			conn := newConn(s)
			dbDir, folder := t.TempDir(), t.TempDir()
			db := testDB(t, dbDir)
			o := fastOptions(db, conn, nil)
			o.Headless = headless
			q1, err := New(o)
			if err != nil {
				t.Fatal(err)
			}
			f := files(s, 1)[0]
			j := addOne(t, q1, request(s, f, folder))
			q1.Start(context.Background())
			waitFor(t, q1, j.ID, "received bytes", func(j Job) bool { return j.Done > 0 })
			if err := q1.Close(); err != nil {
				t.Fatal(err)
			}
			have := fileSize(j.Path + partSuffix)
			if have <= 0 || have >= f.Size {
				t.Fatalf("%d bytes on disk after closing, want some but not all of %d", have, f.Size)
			}

			q2, err := New(o)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = q2.Close() })
			back, ok := q2.Job(j.ID)
			want := Paused
			if headless {
				want = Queued
			}
			if !ok || back.State != want || back.Done != have || back.Path != j.Path {
				t.Fatalf("restored job %+v, want %s with %d bytes at %s", back, want, have, j.Path)
			}
			if !headless {
				if err := q2.Resume(j.ID); err != nil {
					t.Fatal(err)
				}
			}
			runToEnd(t, q2)
			assertWhole(t, q2, j.ID, f)
			ranges := sp.Ranges()
			if got := rangeStart(t, ranges[len(ranges)-1]); got != have {
				t.Fatalf("resumed from byte %d, want %d", got, have)
			}
		})
	}
}

// After a power cut (another boot of the computer), bytes past the last
// flush are not trusted.
func TestRestartAfterAPowerCutKeepsOnlyFlushedBytes(t *testing.T) {
	t.Parallel()
	s, o, q1 := restartable(t)
	db := o.DB
	f := files(s, 1)[0]
	j := addOne(t, q1, request(s, f, t.TempDir()))
	if err := q1.Close(); err != nil {
		t.Fatal(err)
	}
	// The state a power cut leaves: the record says 1000 bytes were flushed
	// under another boot, the file holds more.
	if err := os.MkdirAll(filepath.Dir(j.Path), 0o755); err != nil {
		t.Fatal(err)
	}
	content, _ := readAllSim(f)
	if err := os.WriteFile(j.Path+partSuffix, content[:5000], 0o644); err != nil {
		t.Fatal(err)
	}
	st := &store{db: db}
	recs, _, err := st.load(newWords())
	if err != nil || len(recs) != 1 {
		t.Fatalf("load: %v, %d records", err, len(recs))
	}
	r := record{Job: recs[0].e.job, Seq: recs[0].e.seq}
	r.State, r.Durable, r.Boot = Downloading, 1000, "another-boot"
	if err := st.put([]record{r}, nil, nil); err != nil {
		t.Fatal(err)
	}
	q2, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = q2.Close() })
	if back, _ := q2.Job(j.ID); back.Done != 1000 || fileSize(j.Path+partSuffix) != 1000 {
		t.Fatalf("after a power cut the job has %d bytes and the file %d, want both 1000", back.Done, fileSize(j.Path+partSuffix))
	}
	runToEnd(t, q2)
	assertWhole(t, q2, j.ID, f)
}

func readAllSim(f *sim.File) ([]byte, error) {
	var b bytes.Buffer
	_, err := b.ReadFrom(sim.Content(f))
	return b.Bytes(), err
}

func TestAlreadyDownloadedFileIsSkipped(t *testing.T) {
	t.Parallel()
	s, sp := newSim(t, 0)
	conn := newConn(s)
	q, _ := newQueue(t, conn, nil)
	f := files(s, 1)[0]
	dir := t.TempDir()
	first := addOne(t, q, request(s, f, dir))
	runToEnd(t, q)
	assertWhole(t, q, first.ID, f)
	q.ClearFinished()

	again := addOne(t, q, request(s, f, dir))
	if again.State != Done || !again.Skipped || again.Path != first.Path {
		t.Fatalf("adding a downloaded file again gave %+v, want a skipped done job at %s", again, first.Path)
	}
	runToEnd(t, q)
	if n := len(sp.Ranges()); n != 1 {
		t.Fatalf("%d media GETs, want the file fetched once", n)
	}

	// Gone from disk: fetched again, under its name.
	if err := os.Remove(first.Path); err != nil {
		t.Fatal(err)
	}
	q.ClearFinished()
	third := addOne(t, q, request(s, f, dir))
	if third.State != Queued || third.Path != first.Path {
		t.Fatalf("a downloaded file removed from disk gave %+v, want queued again at %s", third, first.Path)
	}
	runToEnd(t, q)
	assertWhole(t, q, third.ID, f)
}

func TestWithoutSkipExistingTheFileGetsANewName(t *testing.T) {
	t.Parallel()
	s, _ := newSim(t, 0)
	conn := newConn(s)
	q, _ := newQueue(t, conn, func(o *Options) { o.SkipExisting = false })
	f := files(s, 1)[0]
	dir := t.TempDir()
	first := addOne(t, q, request(s, f, dir))
	runToEnd(t, q)
	q.ClearFinished()
	second := addOne(t, q, request(s, f, dir))
	want := strings.TrimSuffix(first.Path, ".mp4") + " (2).mp4"
	if second.Path != want || second.State != Queued {
		t.Fatalf("second download is %s at %s, want queued at %s", second.State, second.Path, want)
	}
	runToEnd(t, q)
	assertWhole(t, q, second.ID, f)
	if sha256File(t, first.Path) != sim.ContentSHA256(f) {
		t.Fatal("the first download was changed")
	}
}

func TestAddingTheSameFileTwiceGivesOneJob(t *testing.T) {
	t.Parallel()
	s, _ := newSim(t, 0)
	q, _ := newQueue(t, newConn(s), nil)
	f := files(s, 1)[0]
	dir := t.TempDir()
	jobs, err := q.Add(request(s, f, dir), request(s, f, dir))
	if err != nil {
		t.Fatal(err)
	}
	if jobs[0].ID != jobs[1].ID || len(q.Jobs()) != 1 {
		t.Fatalf("two jobs for one file: %s and %s", jobs[0].ID, jobs[1].ID)
	}
}

func TestNamesAreDeduplicatedAgainstJobsAndFiles(t *testing.T) {
	t.Parallel()
	s, _ := newSim(t, 0)
	q, _ := newQueue(t, newConn(s), func(o *Options) { o.Template = "{title}.{ext}" })
	fl := files(s, 3)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Same.mp4"), []byte("someone else's"), 0o644); err != nil {
		t.Fatal(err)
	}
	var reqs []AddRequest
	for _, f := range fl {
		r := request(s, f, dir)
		r.Recording.Title = "Same"
		reqs = append(reqs, r)
	}
	jobs, err := q.Add(reqs...)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"Same (2).mp4", "Same (3).mp4", "Same (4).mp4"} {
		if got := filepath.Base(jobs[i].Path); got != want {
			t.Errorf("job %d is named %q, want %q", i, got, want)
		}
	}
	runToEnd(t, q)
	if b, _ := os.ReadFile(filepath.Join(dir, "Same.mp4")); string(b) != "someone else's" {
		t.Fatal("an existing file was overwritten")
	}
}

func TestConcurrencyIsCapped(t *testing.T) {
	t.Parallel()
	s, sp := newSim(t, slow)
	q, _ := newQueue(t, newConn(s), func(o *Options) { o.Concurrency = 2 })
	dir := t.TempDir()
	var reqs []AddRequest
	for _, f := range files(s, 5) {
		reqs = append(reqs, request(s, f, dir))
	}
	jobs, err := q.Add(reqs...)
	if err != nil {
		t.Fatal(err)
	}
	runToEnd(t, q)
	for _, j := range jobs {
		if got, _ := q.Job(j.ID); got.State != Done {
			t.Fatalf("job %s is %s", j.ID, got.State)
		}
	}
	sp.mu.Lock()
	peak := sp.maxInflight
	sp.mu.Unlock()
	if peak != 2 {
		t.Fatalf("at most %d transfers ran at once, want exactly 2", peak)
	}
}

// A file the platform is still preparing waits without a slot: with one
// slot, the next file downloads meanwhile. Generation is asked for every
// added file at once, before any slot is free.
func TestPreparingFileDoesNotHoldASlot(t *testing.T) {
	t.Parallel()
	s, _ := newSim(t, 0)
	conn := newConn(s)
	fl := files(s, 2)
	conn.preparing[fl[0].ID] = 3
	q, _ := newQueue(t, conn, func(o *Options) {
		o.Concurrency = 1
		o.PreparePoll = 100 * time.Millisecond
		o.MaxPreparePoll = 100 * time.Millisecond
	})
	events, stop := q.Subscribe()
	defer stop()
	dir := t.TempDir()
	jobs, err := q.Add(request(s, fl[0], dir), request(s, fl[1], dir))
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for conn.Prepares(fl[0].ID) != 1 || conn.Prepares(fl[1].ID) != 1 {
		if time.Now().After(deadline) {
			t.Fatal("Prepare was not called for every added file before the queue started")
		}
		time.Sleep(time.Millisecond)
	}
	runToEnd(t, q)
	assertWhole(t, q, jobs[0].ID, fl[0])
	assertWhole(t, q, jobs[1].ID, fl[1])
	var order []string
	preparing := false
	doneCount := 0
	all := eventsUntil(t, events, func(ev Event) bool {
		if ev.Kind == StateChanged && ev.Job.State == Done {
			doneCount++
		}
		return doneCount == 2
	})
	for _, ev := range all {
		if ev.Kind != StateChanged {
			continue
		}
		if ev.Job.ID == jobs[0].ID && ev.Job.State == Preparing {
			preparing = true
		}
		if ev.Job.State == Done {
			order = append(order, ev.Job.ID)
		}
	}
	if !preparing {
		t.Fatal("the first job never showed as preparing")
	}
	if len(order) != 2 || order[0] != jobs[1].ID {
		t.Fatalf("finished in order %v, want the second file first (%s)", order, jobs[1].ID)
	}
	if n := conn.Resolves(fl[0].ID); n != 4 {
		t.Fatalf("the preparing file was asked for %d times, want 4 (3 preparing, then ready)", n)
	}
}

// A subscriber that does not read loses no state change; progress events
// come at most four times a second per job.
func TestEventsKeepStateChangesAndLimitProgress(t *testing.T) {
	t.Parallel()
	s, _ := newSim(t, slow)
	q, _ := newQueue(t, newConn(s), nil)
	events, stop := q.Subscribe()
	f := files(s, 1)[0]
	start := time.Now()
	j := addOne(t, q, request(s, f, t.TempDir()))
	runToEnd(t, q)
	elapsed := time.Since(start)
	defer stop()
	var states []State
	progress := 0
	for _, ev := range eventsUntil(t, events, func(ev Event) bool { return ev.Job.State == Done }) {
		switch ev.Kind {
		case StateChanged:
			states = append(states, ev.Job.State)
		case Progress:
			progress++
			if ev.Job.ID != j.ID || ev.Job.Done <= 0 {
				t.Fatalf("odd progress event %+v", ev.Job)
			}
		}
	}
	want := []State{Queued, Resolving, Downloading, Done}
	if strings.Join(stateNames(states), ",") != strings.Join(stateNames(want), ",") {
		t.Fatalf("state changes %v, want %v", states, want)
	}
	if most := int(elapsed/(250*time.Millisecond)) + 1; progress == 0 || progress > most {
		t.Fatalf("%d progress events in %v, want between 1 and %d", progress, elapsed, most)
	}
}

// eventsUntil reads events until last says one is the last wanted.
func eventsUntil(t *testing.T, events <-chan Event, last func(Event) bool) []Event {
	t.Helper()
	var out []Event
	for {
		select {
		case ev := <-events:
			out = append(out, ev)
			if last(ev) {
				return out
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("the expected event never came; got %d events", len(out))
		}
	}
}

func stateNames(ss []State) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}

func TestRunHeadlessPrintsStatesAndReports(t *testing.T) {
	t.Parallel()
	s, _ := newSim(t, 0)
	conn := newConn(s)
	conn.resolve = func(f fetch.File) (fetch.Source, error, bool) {
		if f.ID == files(s, 2)[1].ID {
			return fetch.Source{}, &fetch.Error{Kind: fetch.KindPermission, Message: "Only administrators may download recordings."}, true
		}
		return fetch.Source{}, nil, false
	}
	q, _ := newQueue(t, conn, nil)
	fl := files(s, 2)
	dir := t.TempDir()
	jobs, err := q.Add(request(s, fl[0], dir), request(s, fl[1], dir))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	rep, err := RunHeadless(ctx, q, []string{jobs[0].ID, jobs[1].ID}, &out, false)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Done != 1 || rep.Failed != 1 || rep.OK() {
		t.Fatalf("report %+v, want one done, one failed, not OK", rep)
	}
	text := out.String()
	rel, _ := filepath.Rel(dir, jobs[0].Path)
	for _, want := range []string{"done", rel, "failed", "Only administrators may download recordings."} {
		if !strings.Contains(text, want) {
			t.Fatalf("output lacks %q:\n%s", want, text)
		}
	}
}

// Every job's final state is written once, however fast the jobs end, and
// a second run that finds everything on disk downloads nothing and says
// so.
func TestRunHeadlessWritesEachFinalStateOnceAndCountsFromTheJobs(t *testing.T) {
	t.Parallel()
	s, _ := newSim(t, 0)
	fl := files(s, 6)
	conn := newConn(s)
	refused := map[string]bool{fl[0].ID: true, fl[2].ID: true, fl[3].ID: true, fl[5].ID: true}
	conn.resolve = func(f fetch.File) (fetch.Source, error, bool) {
		if refused[f.ID] {
			return fetch.Source{}, &fetch.Error{Kind: fetch.KindPermission, Message: "Only administrators may download recordings."}, true
		}
		return fetch.Source{}, nil, false
	}
	q, _ := newQueue(t, conn, nil)
	q.Start(context.Background()) // for both runs; stopped by Close
	dir := t.TempDir()
	var reqs []AddRequest
	for _, f := range fl {
		reqs = append(reqs, request(s, f, dir))
	}
	run := func() (Report, string, []Job) {
		jobs, err := q.Add(reqs...)
		if err != nil {
			t.Fatal(err)
		}
		ids := make([]string, len(jobs))
		for i, j := range jobs {
			ids[i] = j.ID
		}
		var out bytes.Buffer
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		rep, err := RunHeadless(ctx, q, ids, &out, false)
		if err != nil {
			t.Fatal(err)
		}
		return rep, out.String(), jobs
	}
	rep, text, jobs := run()
	if rep.Done != 2 || rep.Failed != 4 || rep.Skipped != 0 || rep.NotWhole() != 4 {
		t.Fatalf("first run: report %+v, want 2 done and 4 failed", rep)
	}
	for _, j := range jobs {
		final := "done"
		if refused[j.File.ID] {
			final = "failed"
		}
		rel, _ := filepath.Rel(dir, j.Path)
		if n := countLines(text, final, rel); n != 1 {
			t.Errorf("%q written %d times for %s, want once:\n%s", final, n, rel, text)
		}
	}

	// Second run: the two files are there, the four fail again.
	rep, text, jobs = run()
	if rep.Done != 0 || rep.Skipped != 2 || rep.Failed != 4 {
		t.Fatalf("second run: report %+v, want 0 downloaded, 2 already there, 4 failed", rep)
	}
	for _, j := range jobs {
		if !refused[j.File.ID] && countLines(text, "skipped", j.Path) != 1 {
			t.Errorf("the file already there is not written once as skipped, by its full path %s:\n%s", j.Path, text)
		}
	}
}

// countLines counts the lines that start with label and hold name.
func countLines(text, label, name string) int {
	n := 0
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, label+" ") && strings.Contains(l, name) {
			n++
		}
	}
	return n
}

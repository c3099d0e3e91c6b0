package gui

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/software"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	bolt "go.etcd.io/bbolt"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/cleanup"
	"cloudreel/fetch/queue"
	"cloudreel/fetch/sim"
)

// The window at scale (issue 14): 10 accounts and 100,000 jobs in the
// store. Measured, never asserted: see docs/benchmarks.md, "At scale".
const (
	scaleAccounts = 10
	scaleJobs     = 100_000
)

// scaleRecord is a job as fetch/queue stores it (its record: the job and
// its place in the order), so that 100,000 of them are written in one
// transaction instead of through Add, whose duplicate-name check would
// compare every new job with every earlier one. Opening the store checks
// that the queue reads them all back.
type scaleRecord struct {
	queue.Job
	Seq uint64
}

// scaleData is a data folder with the accounts and jobs, made once per
// benchmark run.
type scaleData struct {
	dir     string
	secrets *accounts.Secrets
	srv     *simServer
}

// newScaleData writes the store: the accounts on the simulator, and jobs
// spread over them as a year of an office's downloads are: most done,
// some failed, paused, canceled or still to do.
func newScaleData(b *testing.B) *scaleData {
	b.Helper()
	d := &scaleData{dir: b.TempDir(), secrets: accounts.NewSecrets()}
	d.secrets.UseSessionOnly(true)
	d.srv = serveSimB(b, sim.Config{Recordings: 60, MinSize: 1 << 20, MaxSize: 200 << 20})
	db, err := accounts.OpenDB(d.dir)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	store, err := accounts.NewStore(db, d.secrets)
	if err != nil {
		b.Fatal(err)
	}
	c := d.srv.sim.Config().Credentials
	var ids, names []string
	for i := range scaleAccounts {
		a, err := store.Add(context.Background(), accounts.Account{Platform: fetch.ZoomSDK, Name: fmt.Sprintf("School %02d", i+1),
			Server: d.srv.sim.BaseURL(fetch.ZoomSDK), APIKey: c.ZoomKey}, c.ZoomSecret)
		if err != nil {
			b.Fatal(err)
		}
		ids, names = append(ids, a.ID), append(names, a.Name)
	}
	folder := filepath.Join(d.dir, "Videos")
	start := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	words := []string{"Staff meeting", "Year 9 Science", "Parent evening", "Board review", "Interview room", "Lecture", "Assembly", "Case review"}
	kinds := []string{"video", "audio", "transcript"}
	err = db.Update(func(tx *bolt.Tx) error {
		bucket, err := tx.CreateBucketIfNotExists([]byte("jobs"))
		if err != nil {
			return err
		}
		bucket.FillPercent = queue.JobsFillPercent
		for i := range scaleJobs {
			acc := i % scaleAccounts
			rec := i / 3
			kind := kinds[i%3]
			title := fmt.Sprintf("%s %d", words[rec%len(words)], rec)
			at := start.Add(-time.Duration(rec) * 5 * time.Minute)
			j := queue.Job{
				ID: fmt.Sprintf("job%06d", i), AccountID: ids[acc], AccountName: names[acc], Platform: fetch.ZoomSDK,
				RecordingID: fmt.Sprintf("rec%06d", rec), RecordingTitle: title, RecordingStart: at,
				File:   fetch.File{ID: fmt.Sprintf("file%06d", i), RecordingID: fmt.Sprintf("rec%06d", rec), Kind: kind, Ext: "mp4", Size: int64(1+i%200) << 20},
				Folder: folder, Path: filepath.Join(folder, names[acc], fmt.Sprintf("%s %s (%s) %d.mp4", at.Format(time.DateOnly), title, kind, i)),
				Size: int64(1+i%200) << 20, Created: at, Updated: at,
			}
			switch {
			case i%100 < 90:
				j.State, j.Done, j.SHA256 = queue.Done, j.Size, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
			case i%100 < 94:
				j.State, j.Err, j.Attempts = queue.Failed, "The server of Zoom Video SDK answered 503 (it is having trouble) five times in a row. Try again later.", 5
			case i%100 < 97:
				j.State, j.Done = queue.Paused, j.Size/3
			case i%100 < 98:
				j.State = queue.Canceled
			default:
				j.State = queue.Queued
			}
			v, err := json.Marshal(scaleRecord{Job: j, Seq: uint64(i + 1)})
			if err != nil {
				return err
			}
			if err := bucket.Put([]byte(j.ID), v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	// The jobs were written as a store of before the briefs has them (all
	// in the jobs bucket); the first start moves the finished ones out, once.
	// Done here, so that each Open measures a start like every later one.
	began := time.Now()
	q, err := queue.New(queue.NewOptions(db, func(context.Context, string) (fetch.Connector, error) { return nil, fmt.Errorf("not in the benchmark") }))
	if err != nil {
		b.Fatal(err)
	}
	if err := q.Close(); err != nil {
		b.Fatal(err)
	}
	b.Logf("moving the finished jobs of a store written before the briefs: %v", time.Since(began).Round(time.Millisecond))
	return d
}

// serveSimB is serveSim for a benchmark.
func serveSimB(b *testing.B, cfg sim.Config) *simServer {
	s := &simServer{sim: sim.New(cfg)}
	s.srv = httptest.NewServer(s.sim.Handler())
	b.Cleanup(s.srv.Close)
	s.sim.SetURL(s.srv.URL)
	return s
}

// scaleWindow is the window opened on the scale data, as main opens it.
type scaleWindow struct {
	thread *fyneThread
	w      *Window
	queue  *queue.Queue
	close  func()
}

// openScale opens the store, the queue and the window, and waits for the
// window's first frame with the first account's recordings and every job
// in the downloads panel.
func openScale(b *testing.B, d *scaleData) *scaleWindow {
	b.Helper()
	inner := test.NewTempApp(b)
	thread := &fyneThread{}
	app := &serialApp{App: inner, driver: &serialDriver{Driver: inner.Driver(), thread: thread}}
	fyne.SetCurrentApp(app)
	db, err := accounts.OpenDB(d.dir)
	if err != nil {
		b.Fatal(err)
	}
	store, err := accounts.NewStore(db, d.secrets)
	if err != nil {
		b.Fatal(err)
	}
	q, err := queue.New(queue.NewOptions(db, func(ctx context.Context, id string) (fetch.Connector, error) {
		a, err := store.Get(id)
		if err != nil {
			return nil, err
		}
		return store.Connector(ctx, a)
	}))
	if err != nil {
		b.Fatal(err)
	}
	cl, err := cleanup.NewStore(db)
	if err != nil {
		b.Fatal(err)
	}
	s := &scaleWindow{thread: thread, queue: q}
	thread.run(func() {
		s.w = New(app, Deps{Accounts: store, Queue: q, Cleanup: cl, DefaultFolder: filepath.Join(d.dir, "Videos"), Power: &fakePower{}, PowerClock: &testClock{}})
		s.w.win.Resize(fyne.NewSize(1180, 760))
		s.w.Show()
	})
	s.close = func() {
		thread.run(func() { s.w.win.Close(); thread.closed.Store(true) })
		_ = q.Close()
		_ = db.Close()
	}
	ready := func() bool {
		ok := false
		thread.run(func() {
			v := s.w.recordings
			ok = v.account.ID != "" && !v.loading.Visible() && v.model.Len() > 0 && s.w.downloads.shown == scaleJobs
		})
		return ok
	}
	deadline := time.Now().Add(2 * time.Minute)
	for !ready() {
		if time.Now().After(deadline) {
			b.Fatalf("the window did not fill in 2 minutes (%d jobs read back of %d)", len(q.Jobs()), scaleJobs)
		}
		time.Sleep(time.Millisecond)
	}
	thread.run(func() { s.w.win.Canvas().(software.WindowlessCanvas).Capture() })
	return s
}

// peakMemory is the most memory a process held: resident (VmHWM: what
// it mapped of its files too, the store among them) and private (the
// peak of RssAnon, sampled: what a system monitor shows as its memory;
// the mapped pages of a file stay in the page cache, shared, and leave
// under pressure).
type peakMemory struct{ resident, private int64 }

func (m peakMemory) report(b *testing.B) {
	b.ReportMetric(float64(m.resident)/(1<<20), "MiB-peak-rss")
	b.ReportMetric(float64(m.private)/(1<<20), "MiB-peak-private")
}

// BenchmarkScale is issue 14's figures: opening the window on 10
// accounts and 100,000 jobs, scrolling the downloads panel through them,
// and the memory the window then holds.
func BenchmarkScale(b *testing.B) {
	if dir := os.Getenv(scaleWindowEnv); dir != "" {
		scaleWindowProcess(b, dir)
		return
	}
	d := newScaleData(b)
	if st, err := os.Stat(filepath.Join(d.dir, accounts.DBFile)); err == nil {
		b.Logf("store: %d accounts, %d jobs, %.1f MB", scaleAccounts, scaleJobs, float64(st.Size())/1e6)
	}
	// A headless cloudreel on the same store: its peak memory with the
	// 100,000 jobs loaded (sync -list opens the store and the queue).
	b.Run("ProcessPeakRSS", func(b *testing.B) {
		bin := filepath.Join(b.TempDir(), "cloudreel")
		if out, err := exec.Command("go", "build", "-o", bin, "..").CombinedOutput(); err != nil {
			b.Skipf("go build: %v\n%s", err, out)
		}
		for b.Loop() {
			cmd := exec.Command(bin, "sync", "-list")
			cmd.Env = append(os.Environ(), "CLOUDREEL_HOME="+d.dir)
			out, peak, err := runPeakRSS(cmd)
			if err != nil {
				b.Fatalf("cloudreel sync -list: %v\n%s", err, out)
			}
			peak.report(b)
		}
	})
	// Opening the window, and its memory then, are measured in a process
	// of its own that opens the store once: in this one, the windows
	// opened before stay reachable after they close (Fyne caches their
	// renderers), and would be counted and collected again each time.
	b.Run("Open", func(b *testing.B) {
		for b.Loop() {
			cmd := exec.Command(os.Args[0], "-test.run=^$", "-test.bench=^BenchmarkScale$", "-test.benchtime=1x")
			cmd.Env = append(os.Environ(), scaleWindowEnv+"="+d.dir, scaleSecretEnv+"="+d.srv.sim.Config().Credentials.ZoomSecret)
			if os.Getenv("GOGC") == "" {
				// As cloudreel's main sets it (gcPercent): this process is
				// the test binary, not cloudreel.
				cmd.Env = append(cmd.Env, "GOGC=50")
			}
			out, peak, err := runPeakRSS(cmd)
			if err != nil {
				b.Fatalf("the window's process: %v\n%s", err, out)
			}
			var wall, cpu time.Duration
			var heap, sys int64
			at := bytes.Index(out, []byte(scaleWindowLine))
			if at < 0 {
				b.Fatalf("no figures from the window's process:\n%s", out)
			}
			if _, err := fmt.Sscanf(string(out[at:]), scaleWindowLine+" %d %d %d %d", &wall, &cpu, &heap, &sys); err != nil {
				b.Fatalf("the window's process: %v\n%s", err, out)
			}
			b.ReportMetric(float64(wall.Milliseconds()), "ms/open")
			// Both cores' time: the jobs are decoded side by side.
			b.ReportMetric(float64(cpu.Milliseconds()), "cpu-ms/open")
			b.ReportMetric(float64(heap)/(1<<20), "MiB-heap-inuse")
			b.ReportMetric(float64(sys)/(1<<20), "MiB-sys")
			peak.report(b)
		}
	})
	s := openScale(b, d)
	defer s.close()
	// A frame of scrolling as when the scroll bar is dragged fast: the list
	// moved on by about 100 pages and every row on screen filled anew;
	// painted, also drawn as the software driver draws the window. Each op
	// is 100 frames crossing all 100,000 rows, reported per frame.
	const frames = 100
	step := 0
	scroll := func(b *testing.B, paint bool) {
		for b.Loop() {
			for range frames {
				s.thread.run(func() {
					i := (step * 997) % scaleJobs
					step++
					s.w.downloads.list.ScrollTo(i)
					if paint {
						s.w.win.Canvas().(software.WindowlessCanvas).Capture()
					}
				})
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N*frames), "ms/frame")
	}
	b.Run("ScrollFrame", func(b *testing.B) { scroll(b, false) })
	b.Run("ScrollFramePainted", func(b *testing.B) { scroll(b, true) })
	// A frame of scrolling with the mouse wheel in the middle of the list:
	// the list moves on by 40 pixels (Fyne's desktop driver scrolls 25 a
	// wheel step on Linux and Windows), so most rows on screen keep what
	// they show.
	b.Run("WheelFrame", func(b *testing.B) {
		var offset float32
		s.thread.run(func() {
			s.w.downloads.list.ScrollTo(scaleJobs / 2)
			offset = s.w.downloads.list.GetScrollOffset()
		})
		for b.Loop() {
			for range frames {
				s.thread.run(func() {
					offset += 40
					s.w.downloads.list.ScrollToOffset(offset)
				})
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N*frames), "ms/frame")
	})
	// The scroll bar dragged fast as the driver does it: the list's offset
	// moved on by about 100 pages a frame. ScrollTo (ScrollFrame) also
	// refreshes the whole list, which makes a row to measure, fills every
	// row on screen twice and empties the pool of rows, so that each
	// frame makes its rows anew; a drag only moves the offset, and the
	// rows that scroll out are filled with those that scroll in.
	b.Run("DragFrame", func(b *testing.B) {
		var page, height float32
		s.thread.run(func() {
			row := s.w.downloads.rowHeight() + s.w.downloads.list.Theme().Size(theme.SizeNamePadding)
			page, height = 997*row, scaleJobs*row
		})
		var offset float32
		for b.Loop() {
			for range frames {
				s.thread.run(func() {
					offset = float32(math.Mod(float64(offset+page), float64(height)))
					s.w.downloads.list.ScrollToOffset(offset)
				})
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N*frames), "ms/frame")
	})
	b.Run("ScrollEndToEnd", func(b *testing.B) {
		for b.Loop() {
			s.thread.run(func() {
				s.w.downloads.list.ScrollToTop()
				s.w.downloads.list.ScrollToBottom()
			})
		}
	})
	s.thread.run(func() {
		if v := s.w.downloads.shown; v != scaleJobs {
			b.Errorf("the panel shows %d rows, want %d", v, scaleJobs)
		}
	})
}

// The window's process of BenchmarkScale/Open: scaleWindowEnv names the
// data folder, scaleSecretEnv the simulator's Zoom secret (the accounts'
// secrets are kept for the session only), and the figures come back on a
// line that starts with scaleWindowLine.
const (
	scaleWindowEnv  = "CLOUDREEL_SCALE_WINDOW"
	scaleSecretEnv  = "CLOUDREEL_SCALE_SECRET"
	scaleWindowLine = "cloudreel-scale-window"
)

// scaleWindowProcess opens the window on the data in dir, once, and
// prints the time it took to its first full frame (wall clock and
// processor), the heap then in use (after a collection) and the memory
// taken from the system.
func scaleWindowProcess(b *testing.B, dir string) {
	secrets := accounts.NewSecrets()
	secrets.UseSessionOnly(true)
	db, err := accounts.OpenDB(dir)
	if err != nil {
		b.Fatal(err)
	}
	store, err := accounts.NewStore(db, secrets)
	if err != nil {
		b.Fatal(err)
	}
	list, err := store.List()
	if err != nil {
		b.Fatal(err)
	}
	for _, a := range list {
		if err := secrets.Set(context.Background(), a.ID, os.Getenv(scaleSecretEnv)); err != nil {
			b.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		b.Fatal(err)
	}
	began, cpuBefore := time.Now(), processCPU()
	s := openScale(b, &scaleData{dir: dir, secrets: secrets})
	wall, cpu := time.Since(began), processCPU()-cpuBefore
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	fmt.Printf("%s %d %d %d %d\n", scaleWindowLine, wall, cpu, m.HeapInuse, m.Sys)
	s.close()
}

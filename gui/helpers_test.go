package gui

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/cleanup"
	"cloudreel/fetch/limits"
	"cloudreel/fetch/queue"
	"cloudreel/fetch/sim"
	"cloudreel/fetch/upload"
)

// The test driver of Fyne v2.8 runs fyne.Do and fyne.DoAndWait at once on
// the calling goroutine ("tests all run on a single thread"). The window
// calls fyne.Do from its own goroutines (listing, the downloads ticker), so
// without help those calls would touch widgets at the same time as the
// test reads them, and the race detector would rightly complain. The tests
// therefore play the Fyne thread themselves: fyneThread is a lock that
// every fyne.Do takes, and that the test takes (through harness.ui) while
// it taps, types or reads widgets. It is re-entrant for the goroutine that
// holds it, because a tap may run code that calls fyne.Do in turn.
type fyneThread struct {
	mu     sync.Mutex
	owner  atomic.Uint64
	closed atomic.Bool
}

func (f *fyneThread) run(fn func()) {
	id := goroutineID()
	if f.owner.Load() == id {
		fn()
		return
	}
	f.mu.Lock()
	f.owner.Store(id)
	defer func() {
		f.owner.Store(0)
		f.mu.Unlock()
	}()
	fn()
}

// goroutineID reads the running goroutine's number from its stack header
// ("goroutine 42 [running]:"); only the re-entrancy check needs it.
func goroutineID() uint64 {
	var buf [64]byte
	s := strings.TrimPrefix(string(buf[:runtime.Stack(buf[:], false)]), "goroutine ")
	id, _ := strconv.ParseUint(s[:strings.IndexByte(s, ' ')], 10, 64)
	return id
}

// serialDriver is the test driver with fyne.Do going through the fyneThread.
type serialDriver struct {
	fyne.Driver
	thread *fyneThread
}

func (d *serialDriver) DoFromGoroutine(fn func(), _ bool) {
	d.thread.run(func() {
		// Checked once the thread is ours: a call that waited for it
		// while the test ended must not run beside the next test.
		if !d.thread.closed.Load() {
			fn()
		}
	})
}

// serialApp is the test app with the serialDriver, and a record of the
// notifications sent (the test package's own check needs its own app type)
// and of the URLs opened.
type serialApp struct {
	fyne.App
	driver *serialDriver

	mu            sync.Mutex
	notifications []fyne.Notification
	opened        []string
}

func (a *serialApp) Driver() fyne.Driver { return a.driver }

func (a *serialApp) SendNotification(n *fyne.Notification) {
	a.mu.Lock()
	a.notifications = append(a.notifications, *n)
	a.mu.Unlock()
	a.App.SendNotification(n)
}

// OpenURL records what "Show in folder" opens instead of opening it.
func (a *serialApp) OpenURL(u *url.URL) error {
	a.mu.Lock()
	a.opened = append(a.opened, u.String())
	a.mu.Unlock()
	return nil
}

func (a *serialApp) openedURLs() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.opened)
}

func (a *serialApp) sent() []fyne.Notification {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.notifications)
}

// harness is the real window on a real store, queue and simulator.
type harness struct {
	t       *testing.T
	app     *serialApp
	thread  *fyneThread
	sim     *sim.Server
	srv     *httptest.Server
	store   *accounts.Store
	queue   *queue.Queue
	uploads *upload.Uploader
	limits  *limits.Shared // the slots and speed limit the queue and the uploads share
	cleanup *cleanup.Store
	w       *Window
	folder  string    // the default download folder
	shown   *fakeLook // the jobs showJobs handed the panel (not in the queue)
	dataDir string    // Cloudreel's data folder (the bbolt store)
	// connects counts how often the queue asked for an account's connector.
	connects atomic.Int32
	// power and clock stand for the computer's sleep and shut down and
	// for the countdown's clock: no test puts the machine to sleep.
	power *fakePower
	clock *testClock

	closeOnce sync.Once
	closers   []func() // run last to first by close
}

type harnessOptions struct {
	sim       sim.Config
	startDemo func(h *harness) func(context.Context) error
	// demoAccount, when set, is the demo's source of sample accounts.
	demoAccount func(h *harness) func(fetch.Platform) (accounts.Account, string, bool)
	// dataDir, folder and secrets, when set, are those of an earlier
	// harness: the same Cloudreel started again.
	dataDir, folder string
	secrets         *accounts.Secrets
	// server, when set, is a simulator that outlives the harness (see
	// serveSim); sim is then ignored.
	server *simServer
	// title and demoElsewhere are the Deps fields of the same names.
	title         string
	demoElsewhere bool
	// languageFolder gives the window its data folder as Deps.DataDir:
	// it speaks the language saved there, and Settings saves its choice
	// there. Off, the window speaks the tests' English.
	languageFolder bool
}

// simServer is the simulator served by httptest.
type simServer struct {
	sim *sim.Server
	srv *httptest.Server
}

// serveSim serves a simulator until the end of the test: after every
// harness built later has closed, so that no transfer is cut by it.
func serveSim(t *testing.T, cfg sim.Config) *simServer {
	s := &simServer{sim: sim.New(cfg)}
	s.srv = httptest.NewServer(s.sim.Handler())
	t.Cleanup(s.srv.Close)
	s.sim.SetURL(s.srv.URL)
	return s
}

// newHarness builds the window as main does (openBackend), on a temporary
// data folder, with the simulator served by httptest. Secrets stay in
// memory (the session-only keyring).
func newHarness(t *testing.T, opts harnessOptions) *harness {
	t.Helper()
	inner := test.NewTempApp(t) // its cleanup (a fresh app) runs after h.close
	server := opts.server
	if server == nil {
		server = serveSim(t, opts.sim)
	}
	thread := &fyneThread{}
	app := &serialApp{App: inner, driver: &serialDriver{Driver: inner.Driver(), thread: thread}}
	fyne.SetCurrentApp(app)
	h := &harness{t: t, app: app, thread: thread, sim: server.sim, srv: server.srv,
		folder: cmp.Or(opts.folder, t.TempDir()), dataDir: cmp.Or(opts.dataDir, t.TempDir()),
		power: &fakePower{}, clock: &testClock{}}
	t.Cleanup(h.close)

	db, err := accounts.OpenDB(h.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	h.closers = append(h.closers, func() { _ = db.Close() })
	secrets := opts.secrets
	if secrets == nil {
		secrets = accounts.NewSecrets()
		secrets.UseSessionOnly(true)
	}
	h.store, err = accounts.NewStore(db, secrets)
	if err != nil {
		t.Fatal(err)
	}
	// The add-account dialog has no server field for Zoom: its requests to
	// the public API are sent to the simulator instead.
	h.store.SetHTTPClient(&http.Client{Transport: publicAPIToSim{sim: h.srv.URL}, Timeout: 30 * time.Second})

	qo := queue.NewOptions(db, func(ctx context.Context, accountID string) (fetch.Connector, error) {
		h.connects.Add(1)
		a, err := h.store.Get(accountID)
		if err != nil {
			return nil, err
		}
		return h.store.Connector(ctx, a)
	})
	qo.Backoff, qo.MaxBackoff = 50*time.Millisecond, 200*time.Millisecond
	qo.PreparePoll, qo.MaxPreparePoll = 100*time.Millisecond, 300*time.Millisecond
	qo.DiskReserve = 1 << 20
	h.limits = limits.New(0)
	qo.Shared = h.limits
	h.queue, err = queue.New(qo)
	if err != nil {
		t.Fatal(err)
	}
	h.uploads, err = upload.New(upload.Options{DB: db, Shared: h.limits, Backoff: 50 * time.Millisecond, MaxBackoff: 200 * time.Millisecond,
		Target: func(ctx context.Context, accountID string) (upload.Target, error) {
			a, err := h.store.Get(accountID)
			if err != nil {
				return nil, err
			}
			c, err := h.store.Connector(ctx, a)
			if err != nil {
				return nil, err
			}
			return c.(upload.Target), nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h.queue.Start(ctx)
	h.closers = append(h.closers, func() {
		cancel()
		if err := h.queue.Close(); err != nil {
			t.Errorf("closing the queue: %v", err)
		}
	})

	if h.cleanup, err = cleanup.NewStore(db); err != nil {
		t.Fatal(err)
	}
	deps := Deps{
		Accounts:      h.store,
		Queue:         h.queue,
		Uploads:       h.uploads,
		Cleanup:       h.cleanup,
		DefaultFolder: h.folder,
		Power:         h.power,
		PowerClock:    h.clock,
		IsDir: func(p string) bool {
			st, err := os.Stat(p)
			return err == nil && st.IsDir()
		},
	}
	if opts.startDemo != nil {
		deps.StartDemo = opts.startDemo(h)
	}
	if opts.demoAccount != nil {
		deps.DemoAccount = opts.demoAccount(h)
	}
	deps.Title, deps.DemoElsewhere = opts.title, opts.demoElsewhere
	if opts.languageFolder {
		deps.DataDir = h.dataDir
	}
	h.ui(func() {
		h.w = New(app, deps)
		h.w.Show()
	})
	h.closers = append(h.closers, func() {
		h.ui(func() {
			if h.w.ctx.Err() == nil { // not closed by the test (the test driver cannot close twice)
				h.w.win.Close()
			}
			thread.closed.Store(true)
		})
	})
	return h
}

// close quits this Cloudreel: the window, the queue (which keeps its jobs
// in the store), the store and the simulator. It runs at the end of the
// test, or earlier to start Cloudreel again on the same data.
func (h *harness) close() {
	h.closeOnce.Do(func() {
		for i := len(h.closers) - 1; i >= 0; i-- {
			h.closers[i]()
		}
	})
}

// publicAPIToSim sends requests for Zoom's public API to the simulator.
type publicAPIToSim struct{ sim string }

func (p publicAPIToSim) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host == "api.zoom.us" {
		base, _ := url.Parse(p.sim)
		r = r.Clone(r.Context())
		r.URL.Scheme, r.URL.Host, r.Host = base.Scheme, base.Host, ""
		r.URL.Path = "/zoom" + r.URL.Path
		r.URL.RawPath = ""
	}
	return http.DefaultTransport.RoundTrip(r)
}

// ui runs fn as the Fyne thread: every tap, type and read of a widget goes
// through here.
func (h *harness) ui(fn func()) { h.thread.run(fn) }

// eventually polls cond on the Fyne thread until it holds, for up to 20
// seconds (a generous deadline for a loaded machine, not a speed claim).
func (h *harness) eventually(what string, cond func() bool) {
	h.t.Helper()
	eventually(h.t, what, func() bool {
		ok := false
		h.ui(func() { ok = cond() })
		return ok
	})
}

func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// addAccount saves an account on the simulator straight into the store,
// as the demo does, and waits for the window to list its recordings.
func (h *harness) addAccount(p fetch.Platform, name string) accounts.Account {
	h.t.Helper()
	a := h.saveAccount(p, name, "")
	h.waitLoaded(a)
	return a
}

// saveAccount saves an account on the simulator, with its right secret
// unless wrongSecret is set, and waits until the window shows it.
func (h *harness) saveAccount(p fetch.Platform, name, wrongSecret string) accounts.Account {
	h.t.Helper()
	c := h.sim.Config().Credentials
	a := accounts.Account{Platform: p, Name: name, Server: h.sim.BaseURL(p)}
	var secret string
	switch p {
	case fetch.ZoomSDK:
		a.APIKey, secret = c.ZoomKey, c.ZoomSecret
	case fetch.Valt:
		a.Username, secret = c.ValtUser, c.ValtPassword
	case fetch.IBMVideo:
		a.ClientID, secret = c.IBMClientID, c.IBMSecret
	case fetch.Huawei:
		a.HuaweiAccount, secret = c.HuaweiAccount, c.HuaweiPwd
	}
	a, err := h.store.Add(context.Background(), a, cmp.Or(wrongSecret, secret))
	if err != nil {
		h.t.Fatal(err)
	}
	h.ui(func() { h.w.accounts.selectAfterReload(a.ID) })
	// The window's first listing of accounts (none) runs in the background
	// from New; being older, it must never replace this newer one.
	h.eventually(a.Name+" to be shown", func() bool {
		shown := h.w.recordings.account.ID == a.ID
		welcome := len(h.w.centre.Objects) == 1 && h.w.centre.Objects[0] == h.w.welcome
		return shown && !welcome
	})
	return a
}

// waitLoaded waits until the account is shown and its listing is over.
func (h *harness) waitLoaded(a accounts.Account) {
	h.t.Helper()
	h.eventually(a.Name+"'s recordings to load", func() bool {
		v := h.w.recordings
		onScreen := len(h.w.centre.Objects) == 1 && h.w.centre.Objects[0] == v.root
		return onScreen && v.account.ID == a.ID && !v.loading.Visible() && h.w.accounts.state(a.ID).text == lang.L("Ready")
	})
}

// recent are the simulator's recordings of a platform that the window's
// "Last 30 days" shows.
func (h *harness) recent(p fetch.Platform) []*sim.Recording {
	today := time.Now().UTC().Truncate(24 * time.Hour)
	q := fetch.Query{From: today.AddDate(0, 0, -29), To: today}
	var out []*sim.Recording
	for _, r := range h.sim.Recordings(p) {
		if q.Contains(r.Start) {
			out = append(out, r)
		}
	}
	return out
}

// rendered walks what a canvas object draws, through the widgets' live
// renderers, keeping only visible objects.
func rendered(o fyne.CanvasObject) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		out = append(out, o)
		switch c := o.(type) {
		case *fyne.Container:
			for _, child := range c.Objects {
				walk(child)
			}
		case fyne.Widget:
			for _, child := range test.WidgetRenderer(c).Objects() {
				walk(child)
			}
		}
	}
	walk(o)
	return out
}

// find returns the visible objects of type T under o that match.
func find[T fyne.CanvasObject](o fyne.CanvasObject, match func(T) bool) []T {
	var out []T
	for _, c := range rendered(o) {
		if v, ok := c.(T); ok && (match == nil || match(v)) {
			out = append(out, v)
		}
	}
	return out
}

// button finds the one visible button under o whose text is text.
func button(t testing.TB, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	bs := find(o, func(b *widget.Button) bool { return b.Text == text })
	if len(bs) != 1 {
		t.Fatalf("found %d buttons %q, want 1", len(bs), text)
	}
	return bs[0]
}

// hasLabel reports whether a visible label under o says text.
func hasLabel(o fyne.CanvasObject, text string) bool {
	return len(find(o, func(l *widget.Label) bool { return l.Text == text })) > 0
}

// content is the window's content; overlay is the dialog on top, if any.
func (h *harness) content() fyne.CanvasObject { return h.w.win.Canvas().Content() }

func (h *harness) overlay() fyne.CanvasObject { return h.w.win.Canvas().Overlays().Top() }

// tableTitles are the titles the recordings table shows, top to bottom.
func (h *harness) tableTitles() []string {
	type cell struct {
		row  int
		text string
	}
	var cells []cell
	for _, l := range find(h.w.recordings.table, func(l *dragLabel) bool { return l.row >= 0 }) {
		cells = append(cells, cell{l.row, l.Text})
	}
	// Each row has several labels; the title is the one whose column is
	// the title's, found through the model since labels do not know it.
	var out []string
	seen := map[int]bool{}
	slices.SortFunc(cells, func(a, b cell) int { return a.row - b.row })
	for _, c := range cells {
		r, ok := h.w.recordings.model.Row(c.row)
		if ok && !seen[c.row] && c.text == r.rec.Title {
			out = append(out, c.text)
			seen[c.row] = true
		}
	}
	return out
}

// modelTitles are the visible rows' titles in the model, top to bottom.
func modelTitles(m *recordingModel) []string {
	var out []string
	for i := range m.Len() {
		r, _ := m.Row(i)
		out = append(out, r.rec.Title)
	}
	return out
}

// jobRow finds the downloads panel's rendered row for a job.
func (h *harness) jobRow(j queue.Job) *jobRowWidgets {
	for _, v := range find(h.w.downloads.list, (func(*jobRowView) bool)(nil)) {
		if v.w.name.Text == baseName(j.Path) {
			return v.w
		}
	}
	return nil
}

// jobRowDetails are the detail lines of every rendered downloads row.
func (h *harness) jobRowDetails() []string {
	var out []string
	for _, v := range find(h.w.downloads.list, (func(*jobRowView) bool)(nil)) {
		out = append(out, v.w.detail.Text)
	}
	return out
}

func baseName(p string) string { return p[strings.LastIndexAny(p, `/\`)+1:] }

// fileSHA256 is the hex SHA-256 of a file on disk.
func fileSHA256(t testing.TB, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	hash := sha256.New()
	if _, err := io.Copy(hash, f); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(hash.Sum(nil))
}

// simFile is the simulator's file behind a job.
func (h *harness) simFile(j queue.Job) *sim.File {
	h.t.Helper()
	f, ok := h.sim.File(j.File.ID)
	if !ok {
		h.t.Fatalf("the simulator has no file %s (job %s)", j.File.ID, j.Path)
	}
	return f
}

// titleLabel is the table's rendered title cell of visible row r.
func (h *harness) titleLabel(r int) *dragLabel {
	row, ok := h.w.recordings.model.Row(r)
	if !ok {
		return nil
	}
	ls := find(h.w.recordings.table, func(l *dragLabel) bool { return l.row == r && l.Text == row.rec.Title })
	if len(ls) == 0 {
		return nil
	}
	return ls[0]
}

// tick clicks the tick boxes of visible rows of the table.
func (h *harness) tick(rows ...int) {
	h.t.Helper()
	h.ui(func() {
		drv := fyne.CurrentApp().Driver()
		for _, r := range rows {
			title := h.titleLabel(r)
			if title == nil {
				h.t.Fatalf("row %d is not on screen", r)
			}
			y := drv.AbsolutePositionForObject(title).Y
			// The tick box is the check drawn on the same line.
			boxes := find(h.w.recordings.table, func(c *tickBox) bool {
				return drv.AbsolutePositionForObject(c).Y == y
			})
			if len(boxes) != 1 {
				var ys []float32
				for _, c := range find(h.w.recordings.table, (func(*tickBox) bool)(nil)) {
					ys = append(ys, drv.AbsolutePositionForObject(c).Y, c.Size().Height)
				}
				h.t.Fatalf("found %d tick boxes on row %d (y %v), want 1; all: %v", len(boxes), r, y, ys)
			}
			test.Tap(boxes[0])
		}
	})
}

// simSmall is a simulator with small, unthrottled files.
var simSmall = sim.Config{Recordings: 20, MinSize: 64 << 10, MaxSize: 256 << 10}

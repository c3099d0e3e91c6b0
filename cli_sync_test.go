package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

const (
	zoomAccount   = "Demo school (Zoom)"
	huaweiAccount = "Board meetings (Huawei)"
	zoomListCall  = "GET /zoom/v2/videosdk/recordings"
)

// fakeSyncClock makes the sync's present settable for the test.
func fakeSyncClock(t *testing.T) *syncTestClock {
	t.Helper()
	c := &syncTestClock{now: time.Now()}
	prev := syncClock
	syncClock = c.Now
	t.Cleanup(func() { syncClock = prev })
	return c
}

type syncTestClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *syncTestClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *syncTestClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// keepInSync sets an account to keep in sync into a new folder.
func keepInSync(t *testing.T, account string, extra ...string) string {
	t.Helper()
	dir := t.TempDir()
	code, stdout, stderr := runCLI(t, append([]string{"sync", "-account", account, "-set", "-folder", dir}, extra...)...)
	if code != 0 || !strings.Contains(stdout, account+" is kept in sync") {
		t.Fatalf("sync -set: exit %d: %s\n%s", code, stderr, stdout)
	}
	return dir
}

// filesIn lists the files under dir (partial files included) with their
// sizes, by path relative to dir.
func filesIn(t *testing.T, dir string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[rel] = fi.Size()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// wholeFiles checks that dir holds exactly the simulator's files of
// recs (of the kinds kind keeps), each whole, and no partial file.
func wholeFiles(t *testing.T, dir string, recs []*sim.Recording, keep func(*sim.File) bool) {
	t.Helper()
	var want []int64
	for _, r := range recs {
		for _, f := range r.Files {
			if keep(f) {
				want = append(want, f.Size)
			}
		}
	}
	got := filesIn(t, dir)
	var sizes []int64
	for name, n := range got {
		if strings.HasSuffix(name, ".part") {
			t.Errorf("a partial file is left: %s", name)
		}
		sizes = append(sizes, n)
	}
	if len(sizes) != len(want) {
		t.Fatalf("%d files on disk, want %d: %v", len(sizes), len(want), got)
	}
	left := map[int64]int{}
	for _, n := range want {
		left[n]++
	}
	for _, n := range sizes {
		if left[n] == 0 {
			t.Fatalf("a file of %d bytes is not one of the simulator's (%v)", n, got)
		}
		left[n]--
	}
}

func anyFile(*sim.File) bool { return true }

// sync -once downloads an account's recordings of the last 30 days; run
// again with nothing new it lists once, downloads nothing and says so.
func TestSyncOnceDownloadsOnlyWhatIsNew(t *testing.T) {
	s := newCLIHome(t, sim.Config{Recordings: 3, MinSize: 1000, MaxSize: 3000})
	dir := keepInSync(t, zoomAccount)
	code, stdout, stderr := runCLI(t, "sync", "-once")
	if code != 0 {
		t.Fatalf("sync -once: exit %d: %s\n%s", code, stderr, stdout)
	}
	wholeFiles(t, dir, s.Recordings(fetch.ZoomSDK), anyFile)

	media, lists := len(s.MediaRequests()), s.Requests(zoomListCall)
	code, stdout, stderr = runCLI(t, "sync", "-once", "-account", zoomAccount)
	if code != 0 || !strings.Contains(stdout, zoomAccount+": nothing new") {
		t.Fatalf("the second sync -once: exit %d: %s\n%s", code, stderr, stdout)
	}
	if n := len(s.MediaRequests()) - media; n != 0 {
		t.Fatalf("the second sync fetched %d files again", n)
	}
	if n := s.Requests(zoomListCall) - lists; n != 1 {
		t.Fatalf("the second sync made %d listing calls, want 1", n)
	}
}

// A Huawei meeting still being transcoded at one sync is downloaded by a
// later one, days after, when the overlap alone would no longer reach it.
func TestSyncPicksUpAMeetingThatFinishedTranscodingLate(t *testing.T) {
	s := newCLIHome(t, sim.Config{Recordings: 3, MinSize: 1000, MaxSize: 3000})
	clock := fakeSyncClock(t)
	s.Faults().Update(func(f *sim.FaultSet) { f.HuaweiTranscoding = 1 })
	dir := keepInSync(t, huaweiAccount, "-kinds", "screen")
	screen := func(f *sim.File) bool { return f.Kind == "Aux" }
	recs := s.Recordings(fetch.Huawei)

	code, stdout, stderr := runCLI(t, "sync", "-once")
	if code != 0 || !strings.Contains(stdout, "1 still being processed by the platform") {
		t.Fatalf("sync -once while transcoding: exit %d: %s\n%s", code, stderr, stdout)
	}
	wholeFiles(t, dir, recs[1:], screen)

	s.Faults().Update(func(f *sim.FaultSet) { f.HuaweiTranscoding = 0 })
	clock.advance(3 * 24 * time.Hour)
	code, stdout, stderr = runCLI(t, "sync", "-once")
	if code != 0 || !strings.Contains(stdout, huaweiAccount+": 1 new file") {
		t.Fatalf("sync -once after transcoding: exit %d: %s\n%s", code, stderr, stdout)
	}
	wholeFiles(t, dir, recs, screen)
}

// sync -once exits 1 when a file failed (the server sent an error
// message instead of the file, also for the fresh link asked for after
// it), and the next sync tries it again.
func TestSyncOnceFailsWhenAFileFailed(t *testing.T) {
	s := newCLIHome(t, sim.Config{Recordings: 1, MinSize: 1000, MaxSize: 3000})
	dir := keepInSync(t, huaweiAccount, "-kinds", "video")
	s.Faults().Update(func(f *sim.FaultSet) { f.ErrorBody200 = 4 }) // two tries of each of the two files
	code, stdout, stderr := runCLI(t, "sync", "-once")
	if code != 1 || !strings.Contains(stderr, "files are not whole on disk; the next sync tries them again") {
		t.Fatalf("sync -once with a failed file: exit %d: %s\n%s", code, stderr, stdout)
	}
	if !strings.Contains(stdout, "failed") {
		t.Fatalf("the failure is not shown:\n%s", stdout)
	}

	if n := s.Faults().Get().ErrorBody200; n != 0 {
		t.Fatalf("%d error bodies were not sent", n)
	}
	code, stdout, stderr = runCLI(t, "sync", "-once")
	if code != 0 || !strings.Contains(stdout, "2 from an earlier sync not downloaded yet") {
		t.Fatalf("the next sync -once: exit %d: %s\n%s", code, stderr, stdout)
	}
	wholeFiles(t, dir, s.Recordings(fetch.Huawei), func(f *sim.File) bool { return f.Kind == "Hd" || f.Kind == "Sd" })
}

// A sync stopped in the middle of a file loses nothing: the next one
// finishes every file, the partial one from its bytes.
func TestSyncStoppedMidFileResumes(t *testing.T) {
	s := newCLIHome(t, sim.Config{Recordings: 2, MinSize: 1 << 20, MaxSize: 1 << 20, Throttle: 512 << 10})
	dir := keepInSync(t, zoomAccount, "-kinds", "video")
	video := func(f *sim.File) bool { return f.Kind == "shared_screen_with_speaker_view" }

	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		defer cancel()
		for ctx.Err() == nil {
			for name, n := range filesIn(t, dir) {
				if strings.HasSuffix(name, ".part") && n > 0 {
					return
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	var out, errb bytes.Buffer
	code := syncWith(ctx, &cliEnv{stdin: strings.NewReader(""), stdout: &out, stderr: &errb}, []string{"-once"})
	if code != 1 || !strings.Contains(errb.String(), stoppedMessage) {
		t.Fatalf("the stopped sync: exit %d: %s\n%s", code, errb.String(), out.String())
	}

	code, stdout, stderr := runCLI(t, "sync", "-once")
	if code != 0 || !strings.Contains(stdout, "from an earlier sync not downloaded yet") {
		t.Fatalf("the next sync: exit %d: %s\n%s", code, stderr, stdout)
	}
	wholeFiles(t, dir, s.Recordings(fetch.ZoomSDK), video)
	resumed := false
	for _, r := range s.MediaRequests() {
		if strings.Contains(r, "bytes=") && !strings.HasSuffix(r, "bytes=0-") {
			resumed = true
		}
	}
	if !resumed {
		t.Fatalf("no file was resumed from its bytes: %v", s.MediaRequests())
	}
}

// A `sync -once` process killed with SIGKILL in the middle of a file
// loses nothing: the next sync finishes every file, the cut one from its
// bytes. The child process gives its own (in-memory) keyring the
// simulator's secrets, as the keyring would have them.
func TestSyncKilledResumes(t *testing.T) {
	if os.Getenv("CLOUDREEL_SYNC_KILL_CHILD") == "1" {
		keyring.MockInit()
		store, closeStore, err := openAccounts()
		if err != nil {
			t.Fatal(err)
		}
		list, err := store.List()
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range list {
			if secret, ok := simSecret(sim.DefaultCredentials, a); ok {
				if err := store.Secrets().Set(context.Background(), a.ID, secret); err != nil {
					t.Fatal(err)
				}
			}
		}
		closeStore()
		os.Exit(run([]string{"sync", "-once"}, strings.NewReader(""), os.Stdout, os.Stderr))
	}
	s := newCLIHome(t, sim.Config{Recordings: 2, MinSize: 2 << 20, MaxSize: 2 << 20, Throttle: 512 << 10})
	dir := keepInSync(t, zoomAccount, "-kinds", "video")
	child := exec.Command(os.Args[0], "-test.run=^TestSyncKilledResumes$", "-test.count=1")
	child.Env = append(os.Environ(), "CLOUDREEL_SYNC_KILL_CHILD=1")
	var childOut bytes.Buffer
	child.Stdout, child.Stderr = &childOut, &childOut
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	waitForPart(t, dir, 512<<10)
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()
	if strings.Contains(childOut.String(), "0 failed") {
		t.Fatalf("the child finished before it was killed:\n%s", childOut.String())
	}

	code, stdout, stderr := runCLI(t, "sync", "-once")
	if code != 0 || !strings.Contains(stdout, "from an earlier sync not downloaded yet") {
		t.Fatalf("the sync after the kill: exit %d: %s\n%s\nthe killed one said:\n%s", code, stderr, stdout, childOut.String())
	}
	wholeFiles(t, dir, s.Recordings(fetch.ZoomSDK), func(f *sim.File) bool { return f.Kind == "shared_screen_with_speaker_view" })
	resumed := false
	for _, r := range s.MediaRequests() {
		if strings.Contains(r, "bytes=") && !strings.HasSuffix(r, "bytes=0-") {
			resumed = true
		}
	}
	if !resumed {
		t.Fatalf("no file was resumed from its bytes: %v", s.MediaRequests())
	}
}

// Without -once sync looks at each account on its interval until it is
// stopped, and then says that it stopped.
func TestSyncLoopLooksOnEachInterval(t *testing.T) {
	newCLIHome(t, sim.Config{Recordings: 2, MinSize: 1000, MaxSize: 3000})
	clock := fakeSyncClock(t)
	keepInSync(t, zoomAccount, "-every", "2h")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var waits []time.Duration
	prev := syncWait
	syncWait = func(_ context.Context, d time.Duration) bool {
		waits = append(waits, d)
		if len(waits) == 2 {
			cancel()
			return false
		}
		clock.advance(d)
		return true
	}
	t.Cleanup(func() { syncWait = prev })

	var out, errb bytes.Buffer
	code := syncWith(ctx, &cliEnv{stdin: strings.NewReader(""), stdout: &out, stderr: &errb}, nil)
	if code != 0 || !strings.Contains(out.String(), "Stopped; what was not downloaded yet continues at the next sync.") {
		t.Fatalf("the loop: exit %d: %s\n%s", code, errb.String(), out.String())
	}
	if len(waits) != 2 || waits[0] != 2*time.Hour || waits[1] != 2*time.Hour {
		t.Fatalf("the loop waited %v, want 2h twice", waits)
	}
	if n := strings.Count(out.String(), zoomAccount+": nothing new"); n != 1 {
		t.Fatalf("want one look with nothing new after the first:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "0 failed") {
		t.Fatalf("the first look's downloads are not reported:\n%s", out.String())
	}
}

// -set, -list and -off, and the mistakes they refuse.
func TestSyncSettings(t *testing.T) {
	newCLIHome(t, sim.Config{Recordings: 1})
	if code, stdout, _ := runCLI(t, "sync", "-list"); code != 0 || !strings.Contains(stdout, "No account is kept in sync") {
		t.Fatalf("-list with none: %d %s", code, stdout)
	}
	if code, _, stderr := runCLI(t, "sync", "-once"); code != 1 || !strings.Contains(stderr, "no account is kept in sync") {
		t.Fatalf("-once with none: %d %s", code, stderr)
	}
	dir := keepInSync(t, zoomAccount, "-kinds", "video,transcript", "-since", "2w", "-every", "30m")
	code, stdout, _ := runCLI(t, "sync", "-account", zoomAccount, "-set", "-every", "6h")
	if code != 0 || !strings.Contains(stdout, "video, transcript into "+dir+", looking every 6h, the first look reaching back 14d") {
		t.Fatalf("-set -every kept the rest? %d %s", code, stdout)
	}
	if code, stdout, _ := runCLI(t, "sync", "-list"); code != 0 || !strings.Contains(stdout, zoomAccount+" (Zoom Video SDK): video, transcript into "+dir) {
		t.Fatalf("-list: %d %s", code, stdout)
	}
	// A relative folder is kept as the absolute one it names now: a
	// scheduled sync runs from another folder.
	t.Chdir(dir)
	if code, stdout, _ := runCLI(t, "sync", "-account", zoomAccount, "-set", "-folder", "archive"); code != 0 || !strings.Contains(stdout, "into "+filepath.Join(dir, "archive")+",") {
		t.Fatalf("-set -folder archive: %d %s", code, stdout)
	}
	for _, bad := range [][]string{
		{"-account", zoomAccount, "-set", "-every", "1s"},
		{"-account", zoomAccount, "-set", "-kinds", "videos"},
		{"-account", zoomAccount, "-set", "-since", "soon"},
		{"-account", "Nobody", "-set"},
		{"-set"},
		{"-once", "-folder", dir},
		{"-install", "-kinds", "video"},
		{"-once", "-list"},
		{"-once", "-account", huaweiAccount},
	} {
		code, _, stderr := runCLI(t, append([]string{"sync"}, bad...)...)
		if code == 0 || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.HasPrefix(stderr, "cloudreel: ") {
			t.Errorf("sync %v: exit %d, %q: want one plain line", bad, code, stderr)
		}
	}
	if code, _, stderr := runCLI(t, "sync", "-help"); code != 2 || !strings.Contains(stderr, "-install") || !strings.Contains(stderr, "-kinds") {
		t.Fatalf("sync -help: %d %s", code, stderr)
	}
	if code, stdout, _ := runCLI(t, "sync", "-account", zoomAccount, "-off"); code != 0 || !strings.Contains(stdout, "no longer kept in sync") {
		t.Fatalf("-off: %d %s", code, stdout)
	}
	if code, _, stderr := runCLI(t, "sync", "-account", zoomAccount, "-off"); code != 1 || !strings.Contains(stderr, "was not kept in sync") {
		t.Fatalf("-off twice: %d %s", code, stderr)
	}
}

// -install writes a systemd user timer that systemd-analyze verify
// accepts, running this very program; -uninstall removes it.
func TestSyncInstallWritesAUnitSystemdAccepts(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the systemd timer is for Linux")
	}
	newCLIHome(t, sim.Config{Recordings: 1})
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	keepInSync(t, zoomAccount, "-every", "3h")
	code, stdout, stderr := runCLI(t, "sync", "-install", "-no-activate")
	if code != 0 || !strings.Contains(stdout, "systemctl --user enable --now cloudreel-sync.timer") {
		t.Fatalf("-install: exit %d: %s\n%s", code, stderr, stdout)
	}
	units := filepath.Join(config, "systemd", "user")
	service, timer := filepath.Join(units, "cloudreel-sync.service"), filepath.Join(units, "cloudreel-sync.timer")
	text, err := os.ReadFile(service)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), `"sync" "-once"`) || !strings.Contains(string(text), "CLOUDREEL_HOME="+os.Getenv("CLOUDREEL_HOME")) {
		t.Fatalf("the service:\n%s", text)
	}
	if text, _ := os.ReadFile(timer); !strings.Contains(string(text), "OnUnitActiveSec=3h") {
		t.Fatalf("the timer does not run every 3h (the account's interval):\n%s", text)
	}
	if analyze, err := exec.LookPath("systemd-analyze"); err != nil {
		t.Log("systemd-analyze is not installed (Debian package systemd): the units are written but not verified")
	} else if out, err := exec.Command(analyze, "verify", service, timer).CombinedOutput(); err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}

	code, stdout, stderr = runCLI(t, "sync", "-uninstall", "-no-activate")
	if code != 0 || !strings.Contains(stdout, "Removed "+timer) {
		t.Fatalf("-uninstall: exit %d: %s\n%s", code, stderr, stdout)
	}
	if _, err := os.Stat(service); !os.IsNotExist(err) {
		t.Fatalf("the service is still there: %v", err)
	}
}

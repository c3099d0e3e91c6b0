package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

// buildCloudreel builds the real program once per test run.
func buildCloudreel(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "cloudreel")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestKeyringDownloadSurvivesKill runs the real `cloudreel download`
// process against the simulator, kills it with SIGKILL mid-file, runs it
// again, and checks that the second run resumed with a Range past zero
// and ended with the simulator's exact bytes. It needs the real keyring
// (make keyring-test), since the two processes share the secret only there.
func TestKeyringDownloadSurvivesKill(t *testing.T) {
	if os.Getenv("CLOUDREEL_REAL_KEYRING") != "1" {
		t.Skip("needs a real keyring: run through make keyring-test")
	}
	bin := buildCloudreel(t)
	s := sim.New(sim.Config{Recordings: 4, MinSize: 3 << 20, MaxSize: 4 << 20, Throttle: 768 << 10})
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	s.SetURL(hs.URL)
	home, dest := t.TempDir(), t.TempDir()
	env := append(os.Environ(), "CLOUDREEL_HOME="+home)
	name := fmt.Sprintf("Kill test %d", time.Now().UnixNano())

	add := exec.Command(bin, "accounts", "add", "-platform", "zoom", "-name", name,
		"-server", s.BaseURL(fetch.ZoomSDK), "-api-key", s.Config().Credentials.ZoomKey)
	add.Env, add.Stdin = env, strings.NewReader(s.Config().Credentials.ZoomSecret+"\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("accounts add: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		rm := exec.Command(bin, "accounts", "remove", name)
		rm.Env = env
		_ = rm.Run()
	})

	rec := s.Recordings(fetch.ZoomSDK)[0]
	file := rec.Files[0]
	args := []string{"download", "-account", name, "-id", rec.ID, "-kind", "mp4", "-dest", dest}

	// First run: killed once the partial file holds a third of the bytes.
	first := exec.Command(bin, args...)
	var firstOut bytes.Buffer
	first.Env, first.Stdout, first.Stderr = env, &firstOut, &firstOut
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	part := waitForPart(t, dest, file.Size/3)
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()
	st, err := os.Stat(part)
	if err != nil {
		t.Fatalf("the partial file is gone after the kill: %v\n%s", err, firstOut.String())
	}
	if final := strings.TrimSuffix(part, ".part"); fileExists(final) {
		t.Fatalf("a final file exists after a kill mid-download: %s", final)
	}
	t.Logf("killed with %d of %d bytes on disk", st.Size(), file.Size)

	// Second run: resumes and finishes.
	second := exec.Command(bin, args...)
	second.Env = env
	out, err := second.CombinedOutput()
	if err != nil {
		t.Fatalf("second run: %v\n%s", err, out)
	}
	final := strings.TrimSuffix(part, ".part")
	got, err := fileSHA256(final)
	if err != nil {
		t.Fatalf("no final file: %v\n%s", err, out)
	}
	if want := sim.ContentSHA256(file); got != want {
		t.Fatalf("SHA-256 %s, want %s", got, want)
	}
	if fileExists(part) {
		t.Fatal("the .part file is still there")
	}
	var resumedFrom int64
	for _, r := range s.MediaRequests() {
		if f := strings.Fields(r); len(f) == 3 && f[1] == file.ID {
			if n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(f[2], "bytes="), "-"), 10, 64); err == nil && n > resumedFrom {
				resumedFrom = n
			}
		}
	}
	if resumedFrom <= 0 {
		t.Fatalf("the second run did not ask for a Range past zero: %v", s.MediaRequests())
	}
	t.Logf("resumed from byte %d", resumedFrom)

	// A third run finds the file whole and fetches nothing.
	before := len(s.MediaRequests())
	third := exec.Command(bin, args...)
	third.Env = env
	if out, err := third.CombinedOutput(); err != nil {
		t.Fatalf("third run: %v\n%s", err, out)
	}
	if after := len(s.MediaRequests()); after != before {
		t.Fatalf("the finished file was fetched again (%d media requests)", after-before)
	}
}

// waitForPart waits for a .part file in dir holding at least n bytes.
func waitForPart(t *testing.T, dir string, n int64) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		var found string
		_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".part") {
				if st, err := os.Stat(p); err == nil && st.Size() >= n {
					found = p
				}
			}
			return nil
		})
		if found != "" {
			return found
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no .part file of %d bytes appeared in %s", n, dir)
	return ""
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

func fileSHA256(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// TestDownloadHuaweiEveryWayOfSigningIn downloads a split Huawei meeting
// (six files) with each way of signing in and checks every file's bytes.
func TestDownloadHuaweiEveryWayOfSigningIn(t *testing.T) {
	s := newCLIHome(t, sim.Config{Recordings: 3, MinSize: 1000, MaxSize: 2000})
	split := s.Recordings(fetch.Huawei)[1] // 3½ hours: two parts of Hd, Sd and Aux
	want := map[string]bool{}
	for _, f := range split.Files {
		want[sim.ContentSHA256(f)] = true
	}
	for _, name := range huaweiCLIAccounts(t, s) {
		t.Run(name, func(t *testing.T) {
			dest := t.TempDir()
			code, stdout, stderr := runCLI(t, "download", "-account", name, "-id", split.ID, "-dest", dest)
			if code != 0 {
				t.Fatalf("exit %d: %s%s", code, stdout, stderr)
			}
			got := map[string]bool{}
			err := filepath.WalkDir(dest, func(p string, d os.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				sum, err := fileSHA256(p)
				got[sum] = true
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%d distinct files on disk, want %d", len(got), len(want))
			}
			for sum := range want {
				if !got[sum] {
					t.Fatal("a file's bytes are not the simulator's")
				}
			}
		})
	}
}

// Ctrl+C or SIGTERM the moment `download` prints its first line stops it
// with a plain sentence, not Go's "context canceled".
func TestDownloadStopsPlainlyOnCtrlCAndSIGTERM(t *testing.T) {
	if sig := childSignal(); sig != nil {
		s := newCLIHome(t, sim.Config{Recordings: 4, MinSize: 2 << 20, MaxSize: 3 << 20, Throttle: 256 << 10})
		rec := s.Recordings(fetch.ZoomSDK)[0]
		w := &interruptOnFirstWrite{sig: sig}
		os.Exit(run([]string{"download", "-account", demoAccounts(s)[0].account.Name, "-id", rec.ID, "-dest", t.TempDir()},
			strings.NewReader(""), w, os.Stderr))
	}
	if !canSignalSelf() {
		t.Skip("no signals to a process on this system")
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		code, stdout, stderr := signalChild(t, "TestDownloadStopsPlainlyOnCtrlCAndSIGTERM", sig)
		if code != 1 || !strings.Contains(stderr, "cloudreel: "+stoppedMessage) || strings.Contains(stderr+stdout, "context canceled") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q: want exit 1 and %q", sig, code, stdout, stderr, stoppedMessage)
		}
	}
}

// A second run into another folder says the file is already there, where
// it really is, and counts it as such; a -dest that is a file is refused.
func TestDownloadSaysWhereFilesReallyAre(t *testing.T) {
	s := newCLIHome(t, sim.Config{Recordings: 4, MinSize: 100 << 10, MaxSize: 200 << 10})
	rec := s.Recordings(fetch.ZoomSDK)[0]
	name := demoAccounts(s)[0].account.Name
	a, b := t.TempDir(), t.TempDir()
	args := func(dest string) []string {
		return []string{"download", "-account", name, "-id", rec.ID, "-kind", "mp4", "-dest", dest}
	}
	code, stdout, stderr := runCLI(t, args(a)...)
	if code != 0 || !strings.Contains(stdout, "1 downloaded, 0 already there, 0 failed") {
		t.Fatalf("first run: exit %d\n%s%s", code, stdout, stderr)
	}
	var path string
	_ = filepath.WalkDir(a, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			path = p
		}
		return nil
	})
	code, stdout, stderr = runCLI(t, args(b)...)
	if code != 0 || !strings.Contains(stdout, "0 downloaded, 1 already there, 0 failed") {
		t.Fatalf("second run: exit %d\n%s%s", code, stdout, stderr)
	}
	if path == "" || !strings.Contains(stdout, "skipped      "+path+" (already downloaded)") {
		t.Fatalf("second run does not say the file is at %s:\n%s", path, stdout)
	}

	file := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runCLI(t, args(file)...)
	wantOnePlainLine(t, code, stderr, "is a file, not a folder")
}

package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

// silentAPI accepts connections and never answers.
func silentAPI(t *testing.T) string {
	t.Helper()
	s, err := sim.NewSilentServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s.URL()
}

// A silent API server ends `accounts add`, `recordings` and `download`
// with one plain line saying it did not answer, after the store's Silence
// (a minute in the real program, shortened here), not after every retry.
func TestCommandsGiveUpOnASilentServer(t *testing.T) {
	accountsHome(t)
	old := storeTimeouts
	// One call alone would wait longer than the test may: the Silence
	// must end each command.
	storeTimeouts = accounts.Timeouts{Answer: 20 * time.Second, Silence: 300 * time.Millisecond}
	t.Cleanup(func() { storeTimeouts = old })
	server := silentAPI(t)

	done := make(chan struct{})
	go func() {
		defer close(done)
		code, _, stderr := runWithStdin("valt-secret-1\n", "accounts", "add", "-platform", "valt", "-name", "Silent",
			"-server", server, "-username", "office")
		wantOnePlainLine(t, code, stderr, "did not answer")
		if code, _, stderr := runWithStdin("valt-secret-1\n", "accounts", "add", "-platform", "valt", "-name", "Silent",
			"-server", server, "-username", "office", "-no-check"); code != 0 {
			t.Errorf("accounts add -no-check: %s", stderr)
			return
		}
		for _, args := range [][]string{{"recordings", "-account", "Silent"}, {"download", "-account", "Silent", "-dest", t.TempDir()}} {
			code, _, stderr := runWithStdin("", args...)
			wantOnePlainLine(t, code, stderr, "did not answer")
		}
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("a command still waits for the silent server after 30 s")
	}
}

// storeWithAccount adds a Zoom account to the store in CLOUDREEL_HOME and
// fills the store past its first pages, as a used one is.
func storeWithAccount(t *testing.T) {
	t.Helper()
	store, closeStore, err := openAccounts()
	if err != nil {
		t.Fatal(err)
	}
	defer closeStore()
	if _, err := store.Add(context.Background(), accounts.Account{Platform: fetch.ZoomSDK, Name: "Training", APIKey: "k"}, "zoom-s"); err != nil {
		t.Fatal(err)
	}
	for i := range 30 {
		a := accounts.Account{Platform: fetch.ZoomSDK, Name: "Filler " + strings.Repeat("x", i), APIKey: strings.Repeat("k", 900)}
		if _, err := store.Add(context.Background(), a, "zoom-s"); err != nil {
			t.Fatal(err)
		}
	}
}

// `truncate -s 10000 cloudreel.db; cloudreel accounts list` panicked, and
// a store cut to 0 bytes silently listed no accounts. Now the list says
// what happened and what was lost, keeps the damaged file aside, and
// lists the accounts of the last good copy.
func TestAccountsListOnADamagedStore(t *testing.T) {
	for _, size := range []int64{10000, 0} {
		t.Run(fmt.Sprintf("cut to %d bytes", size), func(t *testing.T) {
			dir := accountsHome(t)
			storeWithAccount(t)
			if err := os.Truncate(filepath.Join(dir, accounts.DBFile), size); err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr := runWithStdin("", "accounts", "list")
			if code != 0 || !strings.Contains(stdout, "Training") {
				t.Errorf("accounts list: exit %d, %q; want the accounts of the last good copy", code, stdout)
			}
			if !strings.Contains(stderr, "was damaged") || !strings.Contains(stderr, "went back to its copy") || strings.Contains(stderr, "goroutine") {
				t.Errorf("accounts list said %q; want a plain report of the repair", stderr)
			}
			if m, _ := filepath.Glob(filepath.Join(dir, accounts.DBFile+".damaged-*")); len(m) != 1 {
				t.Errorf("damaged files kept: %v", m)
			}
			// Told once.
			if _, _, stderr := runWithStdin("", "accounts", "list"); stderr != "" {
				t.Errorf("the second list said %q", stderr)
			}
		})
	}
}

// `recordings` and `download` tell of the repair too.
func TestListingCommandsTellOfADamagedStore(t *testing.T) {
	for _, cmd := range [][]string{{"recordings"}, {"download", "-dest", t.TempDir()}} {
		t.Run(cmd[0], func(t *testing.T) {
			dir := accountsHome(t)
			storeWithAccount(t)
			if err := os.Truncate(filepath.Join(dir, accounts.DBFile), 10000); err != nil {
				t.Fatal(err)
			}
			_, _, stderr := runWithStdin("", append(cmd, "-account", "No such account")...)
			if !strings.Contains(stderr, "was damaged") || !strings.Contains(stderr, "Accounts now: ") {
				t.Errorf("%s said %q; want the repair told", cmd, stderr)
			}
		})
	}
}

// The real program, on a store cut short: no panic, a plain report.
func TestAccountsListOnADamagedStoreRealProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the program")
	}
	bin := buildCloudreel(t)
	dir := accountsHome(t)
	storeWithAccount(t)
	if err := os.Truncate(filepath.Join(dir, accounts.DBFile), 10000); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "accounts", "list")
	cmd.Env = append(os.Environ(), "CLOUDREEL_HOME="+dir)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil || strings.Contains(stderr.String(), "panic") || !strings.Contains(stderr.String(), "was damaged") ||
		!strings.Contains(stdout.String(), "Training") {
		t.Errorf("cloudreel accounts list: %v\nstdout: %s\nstderr: %s", err, stdout.String(), stderr.String())
	}
}

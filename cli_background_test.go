package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"cloudreel/accounts"
	"cloudreel/fetch/instance"
	"cloudreel/fetch/sim"
)

// A second start of the window, while a Cloudreel runs on the same data,
// asks the first to show itself and exits 0, instead of failing on the
// store the first holds.
func TestInstanceSecondWindowStartShowsTheFirst(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("CLOUDREEL_HOME", dir)
	// The first Cloudreel: its store open (locked) and its endpoint up.
	_, db, err := openStore(dir, accounts.NewSecrets())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	shown := make(chan struct{}, 1)
	first, err := instance.Start(dir, func() { shown <- struct{}{} })
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()

	var stderr bytes.Buffer
	if code := runWindow(&stderr, false); code != 0 {
		t.Fatalf("the second start exited %d: %s", code, stderr.String())
	}
	select {
	case <-shown:
	case <-time.After(10 * time.Second):
		t.Fatal("the first Cloudreel was not asked to show itself")
	}
	if !strings.Contains(stderr.String(), "already open") {
		t.Errorf("the second start did not say why it went: %q", stderr.String())
	}
}

// The window's Sync now looks at every account kept in sync and hands
// what is new to the window's queue, into the account's sync folder; the
// accounts not kept in sync get nothing.
func TestSyncNowLooksAtEveryAccountKeptInSync(t *testing.T) {
	s := newCLIHome(t, sim.Config{Recordings: 3, MinSize: 1000, MaxSize: 3000})
	folder := keepInSync(t, zoomAccount)
	dir, err := configDir()
	if err != nil {
		t.Fatal(err)
	}
	b, err := openBackend(dir, accounts.NewSecrets(), false)
	if err != nil {
		t.Fatal(err)
	}
	defer b.closeAll()
	if err := syncAllNow(b)(context.Background()); err != nil {
		t.Fatalf("Sync now: %v", err)
	}
	jobs := b.queue.Jobs()
	if len(jobs) == 0 {
		t.Fatal("Sync now queued nothing")
	}
	for _, j := range jobs {
		if j.AccountName != zoomAccount || j.Folder != folder {
			t.Errorf("Sync now queued %s's file into %s, want only %s's into %s", j.AccountName, j.Folder, zoomAccount, folder)
		}
	}
	if s.Requests(zoomListCall) == 0 {
		t.Error("Sync now did not list the account kept in sync")
	}
}

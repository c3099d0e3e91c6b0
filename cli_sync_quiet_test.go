package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"cloudreel/accounts"
	"cloudreel/fetch/sim"
)

// listCalls is each demo account's listing call in the simulator.
var listCalls = map[string]string{
	zoomAccount:              zoomListCall,
	huaweiAccount:            "GET /huawei/v1/mmc/management/record/files",
	"Lectures (IBM)":         "GET /ibm/users/self/videos.json",
	"Interview suite (Valt)": "POST /valt/api/v3/records",
}

// storeFile is what the test compares of the store file: its bytes, its
// modification time and the id of its last write transaction.
type storeFile struct {
	data []byte
	mod  time.Time
	txid int
}

func readStoreFile(t *testing.T) storeFile {
	t.Helper()
	path := filepath.Join(os.Getenv("CLOUDREEL_HOME"), accounts.DBFile)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin(false)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	return storeFile{data: data, mod: fi.ModTime(), txid: tx.ID()}
}

// A sync that finds nothing new at any account makes one listing call per
// account and leaves the store file exactly as it was: same bytes, same
// modification time, same last transaction.
func TestSyncWithNothingNewListsOnceAndWritesNothing(t *testing.T) {
	s := newCLIHome(t, sim.Config{Recordings: 3, MinSize: 1000, MaxSize: 3000})
	clock := fakeSyncClock(t)
	for name := range listCalls {
		keepInSync(t, name)
	}
	code, stdout, stderr := runCLI(t, "sync", "-once")
	if code != 0 {
		t.Fatalf("the first sync -once: exit %d: %s\n%s", code, stderr, stdout)
	}
	clock.advance(time.Hour)
	before := readStoreFile(t)
	calls := map[string]int{}
	for name, call := range listCalls {
		calls[name] = s.Requests(call)
	}
	// The file's time has a resolution the two runs could share; a pause
	// makes a write between them show in it too.
	time.Sleep(20 * time.Millisecond)

	code, stdout, stderr = runCLI(t, "sync", "-once")
	if code != 0 {
		t.Fatalf("the second sync -once: exit %d: %s\n%s", code, stderr, stdout)
	}
	for name, call := range listCalls {
		if !strings.Contains(stdout, name+": nothing new") {
			t.Errorf("the second sync does not say %s has nothing new:\n%s", name, stdout)
		}
		if n := s.Requests(call) - calls[name]; n != 1 {
			t.Errorf("the second sync made %d listing calls for %s, want 1", n, name)
		}
	}
	after := readStoreFile(t)
	if after.txid != before.txid {
		t.Errorf("the second sync wrote to the store: transaction %d, then %d", before.txid, after.txid)
	}
	if !after.mod.Equal(before.mod) {
		t.Errorf("the second sync changed the store file's time: %v, then %v", before.mod, after.mod)
	}
	if !bytes.Equal(after.data, before.data) {
		t.Error("the second sync changed the store file's bytes")
	}
}

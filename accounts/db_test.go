package accounts

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"cloudreel/fetch"
)

// storeWithTwoAccounts makes a store in dir with two accounts added (so
// its last good copy has them) and a third written after that copy, and
// closes it.
func storeWithTwoAccounts(t *testing.T, dir string) (kept []Account, after Account) {
	t.Helper()
	db, err := OpenDB(dir)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewStore(db, NewSecrets())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i, a := range []Account{
		{Platform: fetch.ZoomSDK, Name: "Training", APIKey: "key-1"},
		{Platform: fetch.IBMVideo, Name: "Lectures", ClientID: "client-1"},
	} {
		saved, err := s.Add(ctx, a, "secret-"+string(rune('a'+i)))
		if err != nil {
			t.Fatal(err)
		}
		kept = append(kept, saved)
	}
	// Written without a copy, as a change since the copy would be.
	after = Account{ID: "AFTER", Platform: fetch.ZoomSDK, Name: "Added later", APIKey: "key-3"}
	if err := db.Update(func(tx *bolt.Tx) error { return put(tx, after) }); err != nil {
		t.Fatal(err)
	}
	// Jobs and the rest fill the store past its first pages, as a used
	// one is.
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte("jobs"))
		if err != nil {
			return err
		}
		for i := range 200 {
			if err := b.Put([]byte{byte(i)}, []byte(strings.Repeat("job ", 100))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return kept, after
}

// damagedFiles are the damaged stores kept aside in dir.
func damagedFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, DBFile+".damaged-*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// A store cut short (the `truncate -s 10000` of the report, which made
// every command panic) or emptied is detected, kept aside under a dated
// name, and replaced by the last good copy: the accounts in it come back
// with their secrets, what was added since is gone, and the Repair says
// so in plain words, once.
func TestOpenDBRestoresTheLastGoodCopyOfADamagedStore(t *testing.T) {
	damages := map[string]func(path string) error{
		"cut to 10000 bytes": func(p string) error { return os.Truncate(p, 10000) },
		"cut to 0 bytes":     func(p string) error { return os.Truncate(p, 0) },
		"pages overwritten": func(p string) error {
			f, err := os.OpenFile(p, os.O_WRONLY, 0)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = f.WriteAt([]byte(strings.Repeat("\xff", 3*4096)), 4096*2)
			return err
		},
	}
	for name, damage := range damages {
		t.Run(name, func(t *testing.T) {
			mockKeyring(t)
			dir := t.TempDir()
			kept, after := storeWithTwoAccounts(t, dir)
			if err := damage(filepath.Join(dir, DBFile)); err != nil {
				t.Fatal(err)
			}

			s := openStore(t, dir, NewSecrets())
			aside := damagedFiles(t, dir)
			if len(aside) != 1 || !strings.HasSuffix(aside[0], time.Now().Format(time.DateOnly)) {
				t.Fatalf("damaged files kept: %v, want one cloudreel.db.damaged-<today>", aside)
			}
			list, err := s.List()
			if err != nil || len(list) != 2 {
				t.Fatalf("after the repair: %v, %v; want the two accounts of the last good copy", list, err)
			}
			for _, a := range kept {
				if got, err := s.Secret(context.Background(), a.ID); err != nil || got == "" {
					t.Errorf("%s: its secret in the keyring is not found again: %v", a.Name, err)
				}
			}
			r := s.Repair()
			if r == nil || r.CopyOf.IsZero() {
				t.Fatalf("Repair = %+v, want one that restored a copy", r)
			}
			msg := r.Plain()
			for _, want := range []string{"damaged", filepath.Base(aside[0]), "went back to its copy", "are lost", "Lectures, Training", "add it again"} {
				if !strings.Contains(msg, want) {
					t.Errorf("Repair says %q; want it to contain %q", msg, want)
				}
			}
			if strings.Contains(msg, after.Name) {
				t.Errorf("Repair lists %q, which was lost: %q", after.Name, msg)
			}
			if err := s.ClearRepair(); err != nil || s.Repair() != nil {
				t.Errorf("after ClearRepair: %v, %+v", err, s.Repair())
			}
		})
	}
}

// Without a good copy a damaged store starts empty, and the Repair says
// that the accounts must be added again.
func TestOpenDBStartsEmptyWithoutAGoodCopy(t *testing.T) {
	for name, copyState := range map[string]string{"no copy": "none", "damaged copy": "damaged"} {
		t.Run(name, func(t *testing.T) {
			mockKeyring(t)
			dir := t.TempDir()
			storeWithTwoAccounts(t, dir)
			path := filepath.Join(dir, DBFile)
			switch copyState {
			case "none":
				if err := os.Remove(path + CopySuffix); err != nil {
					t.Fatal(err)
				}
			case "damaged":
				if err := os.Truncate(path+CopySuffix, 10000); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Truncate(path, 10000); err != nil {
				t.Fatal(err)
			}
			s := openStore(t, dir, NewSecrets())
			if list, err := s.List(); err != nil || len(list) != 0 {
				t.Errorf("after the repair: %v, %v; want an empty store", list, err)
			}
			r := s.Repair()
			if r == nil || !r.CopyOf.IsZero() || len(damagedFiles(t, dir)) != 1 {
				t.Fatalf("Repair = %+v, damaged files %v", r, damagedFiles(t, dir))
			}
			if msg := r.Plain(); !strings.Contains(msg, "no good copy") || !strings.Contains(msg, "Add your accounts again") {
				t.Errorf("Repair says %q", msg)
			}
		})
	}
}

// A good store is left where it is, with no Repair, and opening it keeps
// a copy of it.
func TestOpenDBKeepsAGoodStoreAndCopiesIt(t *testing.T) {
	mockKeyring(t)
	dir := t.TempDir()
	s := openStore(t, dir, NewSecrets())
	if s.Repair() != nil || len(damagedFiles(t, dir)) != 0 {
		t.Errorf("a new store was repaired: %+v", s.Repair())
	}
	if _, err := os.Stat(filepath.Join(dir, DBFile+CopySuffix)); err != nil {
		t.Errorf("opening the store kept no copy of it: %v", err)
	}
	if _, err := s.Add(context.Background(), Account{Platform: fetch.ZoomSDK, Name: "Z", APIKey: "k"}, "s"); err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(dir, DBFile+CopySuffix)
	if damage, err := checkBolt(copyPath); damage != nil || err != nil {
		t.Fatalf("the last good copy does not check out: %v, %v", damage, err)
	}
	db, err := bolt.Open(copyPath, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		_, err := byName(tx, "Z")
		return err
	})
	if err != nil {
		t.Errorf("the copy lacks the account just added: %v", err)
	}
}

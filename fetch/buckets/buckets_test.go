package buckets

import (
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// lastWrite is the id of db's last write transaction.
func lastWrite(t *testing.T, db *bolt.DB) int {
	t.Helper()
	tx, err := db.Begin(false)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	return tx.ID()
}

// Ensure creates what is missing, and on a store that has every bucket it
// only reads: no write transaction, so the file stays as it was.
func TestEnsureWritesOnlyWhatIsMissing(t *testing.T) {
	db, err := bolt.Open(filepath.Join(t.TempDir(), "test.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a, b := []byte("a"), []byte("b")
	if err := Ensure(db, a); err != nil {
		t.Fatal(err)
	}
	first := lastWrite(t, db)
	if err := Ensure(db, a); err != nil {
		t.Fatal(err)
	}
	if got := lastWrite(t, db); got != first {
		t.Errorf("Ensure of a bucket that exists wrote: transaction %d, then %d", first, got)
	}
	if err := Ensure(db, a, b); err != nil {
		t.Fatal(err)
	}
	if got := lastWrite(t, db); got != first+1 {
		t.Errorf("Ensure of a missing bucket: transaction %d, then %d; want one write", first, got)
	}
	if err := db.View(func(tx *bolt.Tx) error {
		if tx.Bucket(a) == nil || tx.Bucket(b) == nil {
			t.Error("a bucket is missing after Ensure")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

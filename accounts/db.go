package accounts

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// ErrLocked says another Cloudreel process holds the store.
var ErrLocked = errors.New("another Cloudreel window or command is using its data; close it and try again")

// DBFile is the name of the store inside the config dir.
const DBFile = "cloudreel.db"

// OpenDB opens (creating when needed) the crash-safe store that accounts
// and download jobs share, in dir. bbolt takes an exclusive file lock: a
// second process waits a moment and then gets ErrLocked instead of hanging.
func OpenDB(dir string) (*bolt.DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating the data folder %s: %w", dir, err)
	}
	db, err := bolt.Open(filepath.Join(dir, DBFile), 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, ErrLocked
	}
	if err != nil {
		return nil, fmt.Errorf("opening Cloudreel's data in %s: %w", dir, err)
	}
	return db, nil
}

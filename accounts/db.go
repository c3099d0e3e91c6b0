package accounts

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"cloudreel/fetch/buckets"
)

// ErrLocked says another Cloudreel process holds the store.
var ErrLocked = errors.New("another Cloudreel window or command is using its data; close it and try again")

// DBFile is the name of the store inside the config dir.
const DBFile = "cloudreel.db"

// CopySuffix ends the name of the last good copy of the store, beside it
// (cloudreel.db.last-good).
const CopySuffix = ".last-good"

// copyEvery is how old the last good copy may grow before opening the
// store takes a new one.
const copyEvery = 24 * time.Hour

// dropEvery is how often the check of the store lets go of the pages it
// has read (buckets.DropResident).
const dropEvery = 2 * time.Millisecond

// lockWait is how long opening waits for another process's lock.
const lockWait = 2 * time.Second

// OpenDB opens (creating when needed) the crash-safe store that accounts
// and download jobs share, in dir. bbolt takes an exclusive file lock: a
// second process waits a moment and then gets ErrLocked instead of hanging.
//
// The store is checked before it is used. A damaged one (empty, cut
// short, its pages broken) is moved aside as cloudreel.db.damaged-<date>
// and replaced by the last good copy when there is one, else by an empty
// store; a Repair saying so in plain words waits in the new store for
// Store.Repair to tell. A good store is copied once a day (KeepCopy).
func OpenDB(dir string) (*bolt.DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating the data folder %s: %w", dir, err)
	}
	path := filepath.Join(dir, DBFile)
	damage, err := checkFile(path)
	if err != nil {
		return nil, err
	}
	var repair *Repair
	if damage != nil {
		if repair, err = setAside(path, damage); err != nil {
			return nil, err
		}
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: lockWait})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, ErrLocked
	}
	if err != nil {
		return nil, fmt.Errorf("opening Cloudreel's data in %s: %w", dir, err)
	}
	if repair != nil {
		if err := saveRepair(db, *repair); err != nil {
			db.Close()
			return nil, err
		}
	}
	if fi, err := os.Stat(path + CopySuffix); repair == nil && (err != nil || time.Since(fi.ModTime()) > copyEvery) {
		// A copy that cannot be made leaves the store as good as it was:
		// the next open tries again.
		_ = KeepCopy(db)
	}
	return db, nil
}

// damageError says why a store file cannot be trusted.
type damageError struct{ cause error }

func (e *damageError) Error() string { return "the data file is damaged: " + e.cause.Error() }
func (e *damageError) Unwrap() error { return e.cause }

// checkFile opens the store at path read-only and checks every page. It
// returns a *damageError when the file is damaged, an error when it cannot
// be read at all (locked, no permission), and nil, nil when it is good or
// absent.
func checkFile(path string) (damage *damageError, err error) {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("reading Cloudreel's data %s: %w", path, err)
	case fi.Size() == 0:
		// bbolt would make a new store of it, silently "no accounts".
		return &damageError{errors.New("the file is empty")}, nil
	}
	cause, err := checkBolt(path)
	if cause != nil {
		return &damageError{cause}, nil
	}
	return nil, err
}

// checkBolt opens path read-only and reads every page of it: the free
// list, every bucket and key, then bbolt's consistency check. It returns
// the damage found, or an error that is not about the file's content.
//
// A damaged file makes bbolt panic, or read past the end of a file cut
// short, which is a fault of the memory it maps: both are turned into
// damage here (SetPanicOnFault, on this goroutine), and the file is
// closed so that it can be moved aside.
func checkBolt(path string) (damage, err error) {
	var file *os.File
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			if file != nil {
				_ = file.Close()
			}
			damage, err = fmt.Errorf("reading it failed: %v", r), nil
		}
	}()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: lockWait, ReadOnly: true, PreLoadFreelist: true,
		OpenFile: func(name string, flag int, mode os.FileMode) (*os.File, error) {
			f, err := os.OpenFile(name, flag, mode)
			file = f
			return f, err
		}})
	var pathErr *fs.PathError
	var errno syscall.Errno
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, ErrLocked
	case errors.As(err, &pathErr) || errors.As(err, &errno):
		return nil, fmt.Errorf("opening Cloudreel's data %s: %w", path, err)
	case err != nil:
		return err, nil
	}
	defer db.Close()
	return db.View(func(tx *bolt.Tx) error {
		fi, err := os.Stat(path)
		if err == nil && fi.Size() < tx.Size() {
			return fmt.Errorf("the file has %d bytes of its %d", fi.Size(), tx.Size())
		}
		// What has been read is let go of as the check goes on, so that
		// the check never holds the whole store in memory.
		// The goroutine has ended before the mapping goes (db.Close):
		// another mapping may take its addresses.
		stop, stopped := make(chan struct{}), make(chan struct{})
		defer func() { close(stop); <-stopped }()
		go func() {
			defer close(stopped)
			t := time.NewTicker(dropEvery)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					buckets.DropResident(db, tx.Size())
				}
			}
		}()
		// Every page, read here, where a fault is a panic; bbolt's check
		// reads them again on a goroutine of its own.
		if err := tx.ForEach(func(_ []byte, b *bolt.Bucket) error { return walk(b) }); err != nil {
			return err
		}
		var problems []error
		for p := range tx.Check() {
			problems = append(problems, p)
		}
		return errors.Join(problems...)
	}), nil
}

// walk reads every key and value of b and of the buckets in it.
func walk(b *bolt.Bucket) error {
	return b.ForEach(func(k, v []byte) error {
		if v == nil {
			if nested := b.Bucket(k); nested != nil {
				return walk(nested)
			}
		}
		return nil
	})
}

// KeepCopy writes a consistent copy of the store beside it, as the last
// good copy that OpenDB restores from when the store is damaged. It
// replaces the previous copy only once the new one is whole on disk. Call
// it before changing the shape of what the store holds (a schema change).
func KeepCopy(db *bolt.DB) error {
	path := db.Path() + CopySuffix
	tmp := path + ".tmp"
	err := db.View(func(tx *bolt.Tx) error {
		// Tx.WriteTo (what Tx.CopyFile does) to a file of our own, so that
		// the copy is synced before it takes the good copy's name.
		f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
		if err != nil {
			return err
		}
		if _, err := tx.WriteTo(f); err != nil {
			f.Close()
			return err
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	})
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("keeping a copy of Cloudreel's data: %w", err)
	}
	return nil
}

// setAside moves the damaged store at path aside and puts the last good
// copy, when it is whole, in its place. It says what it did.
func setAside(path string, damage *damageError) (*Repair, error) {
	r := &Repair{At: time.Now().UTC(), Cause: damage.Error(), Damaged: damagedName(path, time.Now())}
	if err := os.Rename(path, r.Damaged); err != nil {
		return nil, fmt.Errorf("the data file %s is damaged and could not be moved aside: %w", path, err)
	}
	good := path + CopySuffix
	fi, err := os.Stat(good)
	if err != nil || fi.Size() == 0 {
		return r, nil
	}
	if cause, err := checkBolt(good); cause != nil || err != nil {
		r.Cause += fmt.Sprintf("; its last copy is damaged too (%v)", errors.Join(cause, err))
		return r, nil
	}
	if err := copyFile(good, path); err != nil {
		return nil, fmt.Errorf("restoring Cloudreel's data from its copy %s: %w", good, err)
	}
	r.CopyOf = fi.ModTime().UTC()
	return r, nil
}

// damagedName is where a damaged store goes: cloudreel.db.damaged-<date>,
// with the time added when that is taken already.
func damagedName(path string, now time.Time) string {
	name := path + ".damaged-" + now.Format(time.DateOnly)
	if _, err := os.Lstat(name); errors.Is(err, fs.ErrNotExist) {
		return name
	}
	return path + ".damaged-" + now.Format("2006-01-02-150405.000000000")
}

// copyFile copies src to dst through a synced temporary file, so that
// dst is either absent or whole.
func copyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	tmp := dst + ".tmp"
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, dst)
	}
	if err != nil {
		_ = os.Remove(tmp)
	}
	return err
}

package accounts

import (
	bolt "go.etcd.io/bbolt"
	"golang.org/x/sys/unix"
)

// dropResident tells Linux that the pages of db's file mapped in so far
// are not needed any more: they leave this process's resident memory
// and stay in the page cache, from where a later read maps them again.
// The check of a store reads the whole of it, which on a year's store
// (over 100 MB) would otherwise all count towards the process's memory
// at once (docs/benchmarks.md, "At scale"). The mapping is bbolt's, read
// only; nothing in it is lost.
func dropResident(db *bolt.DB, size int64) {
	// A raw syscall on bbolt's address: a []byte over the mapping would
	// need unsafe, and x/sys's Madvise wants one.
	_, _, _ = unix.Syscall(unix.SYS_MADVISE, db.Info().Data, uintptr(size), unix.MADV_DONTNEED)
}

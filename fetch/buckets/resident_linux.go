package buckets

import (
	bolt "go.etcd.io/bbolt"
	"golang.org/x/sys/unix"
)

// DropResident tells Linux that the pages of db's file mapped in so far
// are not needed any more: they leave this process's resident memory
// and stay in the page cache, from where a later read maps them again.
// Reading a whole store (OpenDB's check, the queue's start) would
// otherwise count a year's store, over 100 MB, towards the process's
// memory, and Linux maps a cached file in large folios: a few scattered
// reads map most of it (docs/benchmarks.md, "At scale"). The mapping is
// bbolt's, read only; nothing in it is lost. Call it inside a
// transaction of db, size its Tx.Size: bbolt does not move its mapping
// while one is open.
func DropResident(db *bolt.DB, size int64) {
	// A raw syscall on bbolt's address: a []byte over the mapping would
	// need unsafe, and x/sys's Madvise wants one.
	_, _, _ = unix.Syscall(unix.SYS_MADVISE, db.Info().Data, uintptr(size), unix.MADV_DONTNEED)
}

//go:build !linux

package buckets

import bolt "go.etcd.io/bbolt"

// DropResident does nothing here: only Linux is measured (see
// resident_linux.go).
func DropResident(*bolt.DB, int64) {}

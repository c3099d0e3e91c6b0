//go:build !linux

package accounts

import bolt "go.etcd.io/bbolt"

// dropResident does nothing here: only Linux is measured (see
// resident_linux.go).
func dropResident(*bolt.DB, int64) {}

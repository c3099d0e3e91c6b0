//go:build !(linux || darwin || freebsd || netbsd || openbsd || windows)

package queue

import (
	"errors"
	"syscall"
)

// freeSpace cannot be told here; the check is skipped and a full disk is
// caught when a write fails.
func freeSpace(string) (uint64, error) {
	return 0, errors.New("free space is not known on this system")
}

func isDiskFull(err error) bool { return errors.Is(err, syscall.ENOSPC) }

//go:build linux || darwin || freebsd || netbsd || openbsd

package queue

import (
	"errors"
	"syscall"

	"golang.org/x/sys/unix"
)

// freeSpace is the space an unprivileged user may still use in dir.
func freeSpace(dir string) (uint64, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return 0, err
	}
	// The fields' types differ between systems, hence the conversions.
	return uint64(st.Bavail) * uint64(st.Bsize), nil
}

// isDiskFull reports whether err says the disk (or the user's quota) is
// full.
func isDiskFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}

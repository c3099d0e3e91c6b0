package queue

import (
	"os"

	"golang.org/x/sys/unix"
)

// startWriteback asks the kernel to start writing a range of a file's
// dirty pages to the disk, without waiting for it. Done as a download
// goes, it leaves the fsync before the rename little to wait for.
func startWriteback(path string, off, n int64) {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return
	}
	defer f.Close()
	_ = unix.SyncFileRange(int(f.Fd()), off, n, unix.SYNC_FILE_RANGE_WRITE)
}

//go:build linux || darwin

package upload

import (
	"runtime"
	"syscall"
)

// peakRSS is the most memory the process has held (its maximum resident
// set size), in bytes.
func peakRSS() (int64, bool) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, false
	}
	if runtime.GOOS == "darwin" {
		return ru.Maxrss, true // bytes on macOS
	}
	return ru.Maxrss << 10, true // KiB on Linux
}

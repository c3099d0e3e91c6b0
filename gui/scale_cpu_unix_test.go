//go:build unix

package gui

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// processCPU is the processor time this process used so far (user and
// system): on a shared machine it says more than the wall clock.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// runPeakRSS runs cmd and returns its output and the most memory it held,
// read from /proc while it runs (zero where there is no /proc). The rusage
// of a finished child is no good here: Go starts it with vfork, so its
// maxrss counts this process's own peak.
func runPeakRSS(cmd *exec.Cmd) ([]byte, peakMemory, error) {
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return nil, peakMemory{}, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
	var peak peakMemory
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			return out.Bytes(), peak, err
		case <-tick.C:
			now := readMemory(status)
			peak.resident, peak.private = max(peak.resident, now.resident), max(peak.private, now.private)
		}
	}
}

// readMemory reads a /proc status file: the peak resident memory the
// kernel recorded (VmHWM) and the private memory now (RssAnon).
func readMemory(status string) peakMemory {
	var m peakMemory
	b, err := os.ReadFile(status)
	if err != nil {
		return m
	}
	for line := range strings.Lines(string(b)) {
		for prefix, to := range map[string]*int64{"VmHWM:": &m.resident, "RssAnon:": &m.private} {
			if kb, ok := strings.CutPrefix(line, prefix); ok {
				n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(kb), " kB"), 10, 64)
				*to = n << 10
			}
		}
	}
	return m
}

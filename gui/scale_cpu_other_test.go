//go:build !unix

package gui

import (
	"os/exec"
	"time"
)

// processCPU is not measured here: the scale benchmark reports 0.
func processCPU() time.Duration { return 0 }

// runPeakRSS runs cmd; its peak memory is not measured here (0).
func runPeakRSS(cmd *exec.Cmd) ([]byte, peakMemory, error) {
	out, err := cmd.CombinedOutput()
	return out, peakMemory{}, err
}

//go:build !unix

package gui

import (
	"os/exec"
	"time"
)

// processCPU is not measured here: the scale benchmark reports 0.
func processCPU() time.Duration { return 0 }

// peakRSS is not measured here.
func peakRSS(*exec.Cmd) int64 { return 0 }

//go:build !linux && !windows

package schedule

import "errors"

// ErrNoScheduler says Cloudreel cannot install the schedule itself on
// this system (macOS: launchd, see the README).
var ErrNoScheduler = errors.New("Cloudreel cannot install a schedule on this system by itself: the README's \"Using it without the window\" shows how (launchd on macOS)")

// Install is not offered here: see ErrNoScheduler.
func Install(Job) (Result, error) { return Result{}, ErrNoScheduler }

// Uninstall is not offered here: see ErrNoScheduler.
func Uninstall(Job) (Result, error) { return Result{}, ErrNoScheduler }

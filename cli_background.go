package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"

	"cloudreel/fetch"
	"cloudreel/fetch/autostart"
	"cloudreel/fetch/instance"
	"cloudreel/gui"
)

// windowClaim makes the window's process the user's one Cloudreel: a later
// start brings this window to the front instead of failing on the store.
type windowClaim struct {
	inst *instance.Instance // nil when the check could not be set up
	win  atomic.Pointer[gui.Window]
}

// claimWindow claims dir for this window. It returns false when another
// Cloudreel already runs there and was asked to show itself: this one has
// nothing to do. When the check itself fails, the window still opens (the
// store lets only one Cloudreel in anyway) and the reason is said.
func claimWindow(dir string, stderr io.Writer) (*windowClaim, bool) {
	c := &windowClaim{}
	inst, err := instance.Start(dir, func() {
		if w := c.win.Load(); w != nil {
			fyne.Do(w.Raise)
		}
	})
	if errors.Is(err, instance.ErrRunning) {
		fmt.Fprintln(stderr, "cloudreel:", err)
		return nil, false
	}
	if err != nil {
		fmt.Fprintln(stderr, "cloudreel:", fetch.Plain(err))
	}
	c.inst = inst
	return c, true
}

// shows is the window a later start brings to the front.
func (c *windowClaim) shows(w *gui.Window) { c.win.Store(w) }

// release lets the next start be the one Cloudreel.
func (c *windowClaim) release() {
	if c.inst != nil {
		c.inst.Close()
	}
}

// syncAllNow is the window's Sync now: one look at every account kept in
// sync, its new files handed to the window's queue.
func syncAllNow(b *backend) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		s, err := newSyncer(b, time.Now)
		if err != nil {
			return err
		}
		all, err := s.All()
		if err != nil || len(all) == 0 {
			return err
		}
		targets, err := syncTargets(b, s, nil)
		if err != nil {
			return err
		}
		var errs []error
		for _, t := range targets {
			if _, err := s.Look(ctx, t.ref()); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", t.account.Name, err))
			}
		}
		return errors.Join(errs...)
	}
}

// startAtLogin is the OS's start at login of this program, nil where
// Cloudreel does not set one (macOS) or its own path is unknown.
func startAtLogin() gui.LoginStart {
	if !autostart.Supported() {
		return nil
	}
	exe, err := os.Executable()
	if err != nil {
		return nil
	}
	return autostart.LoginItem{Program: exe}
}

// Package power is what Cloudreel does once the download queue is done:
// nothing, a notification, or putting the computer to sleep or shutting
// it down after a countdown that the person can cancel. It holds the
// logic only; the window and the command line show the countdown.
package power

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// Action is what happens when the queue is done.
type Action string

// The actions, as kept in the settings.
const (
	Nothing  Action = "nothing"
	Notify   Action = "notify"
	Sleep    Action = "sleep"
	ShutDown Action = "shutdown"
)

// Actions are every action, in the order a settings list shows them.
var Actions = []Action{Nothing, Notify, Sleep, ShutDown}

// ParseAction reads an action as the settings or a command-line flag
// give it; "" is Nothing.
func ParseAction(s string) (Action, error) {
	switch a := Action(strings.ToLower(strings.TrimSpace(s))); a {
	case "", "none":
		return Nothing, nil
	case Nothing, Notify, Sleep, ShutDown:
		return a, nil
	case "shut-down", "poweroff":
		return ShutDown, nil
	}
	return Nothing, fmt.Errorf("%q is not something Cloudreel can do when the downloads are done: say nothing, notify, sleep or shutdown", s)
}

// CountsDown reports whether the action turns the computer off or puts
// it to sleep, so that it waits for a countdown the person can cancel.
func (a Action) CountsDown() bool { return a == Sleep || a == ShutDown }

// Outcome counts the files of the batch that just ended.
type Outcome struct {
	Done, Failed, Paused, Canceled int
	// Unfinished files are still waiting or downloading.
	Unfinished int
}

// Finished reports whether the queue drained with every file finished:
// something was downloaded and nothing failed, was paused, canceled or
// left to do. Only then does the action run: a person who paused or
// canceled is still at the computer, and a failure needs them to look.
func (o Outcome) Finished() bool {
	return o.Done > 0 && o.Failed == 0 && o.Paused == 0 && o.Canceled == 0 && o.Unfinished == 0
}

// OS puts the computer to sleep or shuts it down. System is the real one;
// tests use a fake.
type OS interface {
	Sleep(ctx context.Context) error
	ShutDown(ctx context.Context) error
}

// System is the operating system's own power commands (see the
// power_*.go files for which ones).
type System struct{}

// Sleep puts the computer to sleep.
func (System) Sleep(ctx context.Context) error {
	return run(ctx, "put the computer to sleep", sleepCommand())
}

// ShutDown shuts the computer down.
func (System) ShutDown(ctx context.Context) error {
	return run(ctx, "shut the computer down", shutDownCommand())
}

// errUnsupported is a system Cloudreel knows no power command for.
var errUnsupported = errors.New("this system has no command Cloudreel knows for that")

func run(ctx context.Context, what string, argv []string) error {
	if len(argv) == 0 {
		return fmt.Errorf("could not %s: %w", what, errUnsupported)
	}
	out, err := exec.CommandContext(ctx, argv[0], argv[1:]...).CombinedOutput()
	if err != nil {
		msg := strings.TrimSpace(string(out))
		if msg != "" {
			return fmt.Errorf("could not %s (%s said: %s): %w", what, argv[0], msg, err)
		}
		return fmt.Errorf("could not %s: %w", what, err)
	}
	return nil
}

// Do runs a drastic action at once (Sleep or ShutDown); the others do
// nothing here (the window sends the notification itself).
func Do(ctx context.Context, os OS, a Action) error {
	switch a {
	case Sleep:
		return os.Sleep(ctx)
	case ShutDown:
		return os.ShutDown(ctx)
	}
	return nil
}

// Clock is the countdown's clock; tests inject a fake one.
type Clock interface {
	After(d time.Duration) <-chan time.Time
}

// RealClock is the wall clock.
type RealClock struct{}

// After is time.After.
func (RealClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// CountdownLength is how long a person has to cancel before the computer
// sleeps or shuts down.
const CountdownLength = 60 * time.Second

// Countdown is the wait before a drastic action.
type Countdown struct {
	Action Action
	OS     OS
	// Clock nil is the real clock; Length 0 is CountdownLength.
	Clock  Clock
	Length time.Duration
	// Tick, when set, is told the time left at the start and after every
	// second (60 s, 59 s, ... 1 s), for the dialog or the terminal.
	Tick func(left time.Duration)
}

// ErrCanceled is a countdown that was canceled: the action did not run.
var ErrCanceled = errors.New("canceled: the computer stays on")

// Run counts down and then runs the action once. When ctx ends first
// (Cancel in the dialog, Ctrl+C in a terminal) the action does not run
// and Run returns ErrCanceled.
func (c Countdown) Run(ctx context.Context) error {
	if !c.Action.CountsDown() {
		return nil
	}
	clock := c.Clock
	if clock == nil {
		clock = RealClock{}
	}
	length := c.Length
	if length <= 0 {
		length = CountdownLength
	}
	for left := length; left > 0; left -= time.Second {
		if c.Tick != nil {
			c.Tick(left)
		}
		select {
		case <-ctx.Done():
			return ErrCanceled
		case <-clock.After(min(time.Second, left)):
		}
	}
	// A cancel that came with the last second still counts.
	if ctx.Err() != nil {
		return ErrCanceled
	}
	return Do(ctx, c.OS, c.Action)
}

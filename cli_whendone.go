package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"fyne.io/fyne/v2/lang"

	"cloudreel/fetch/locale"
	"cloudreel/fetch/power"
	"cloudreel/fetch/queue"
)

// powerOS and powerClock are what -when-done uses; tests replace them so
// that no test puts the machine to sleep.
var (
	powerOS    power.OS    = power.System{}
	powerClock power.Clock = power.RealClock{}
)

const whenDoneUsage = "when every file is downloaded: nothing, notify, sleep or shutdown (sleep and shutdown after a 60-second countdown that Ctrl+C cancels)"

// whenDoneFlag is -when-done: what to do once the downloads are done.
type whenDoneFlag struct{ action power.Action }

func (f *whenDoneFlag) String() string { return string(f.action) }

func (f *whenDoneFlag) Set(s string) error {
	a, err := power.ParseAction(s)
	f.action = a
	return err
}

// outcomeOf is a headless run's report as the power package counts it;
// a queue stopped on a full disk is a failure.
func outcomeOf(r queue.Report) power.Outcome {
	o := power.Outcome{Done: r.Done, Failed: r.Failed, Paused: r.Paused, Canceled: r.Canceled, Unfinished: r.Unfinished}
	if r.Halted != "" {
		o.Failed++
	}
	return o
}

// countdownOnce keeps a long-running sync's accounts from counting down
// side by side.
var countdownOnce sync.Mutex

// whenDone does the -when-done action once a run ended as rep, when
// every one of its files is whole and the queue has nothing else to do:
// notify says so in a line; sleep and shutdown count down on out first
// (in place on a terminal), and Ctrl+C (ctx) cancels them. It returns
// power.ErrCanceled when the countdown was canceled.
func whenDone(ctx context.Context, out io.Writer, terminal bool, a power.Action, q *queue.Queue, rep queue.Report, folder string) error {
	if a == power.Nothing || !outcomeOf(rep).Finished() || !queueIdle(q) {
		return nil
	}
	if a == power.Notify {
		fmt.Fprintln(out, lang.N("Done: {{.Count}} files downloaded into {{.Folder}}.", rep.Done, map[string]any{"Count": rep.Done, "Folder": folder}))
		return nil
	}
	countdownOnce.Lock()
	defer countdownOnce.Unlock()
	tick := func(left time.Duration) {
		s := int(left.Seconds())
		data := map[string]any{"Wait": locale.Now().Seconds(s)}
		line := lang.L("Cloudreel will put the computer to sleep in {{.Wait}}. Press Ctrl+C to cancel.", data)
		if a == power.ShutDown {
			line = lang.L("Cloudreel will shut the computer down in {{.Wait}}. Press Ctrl+C to cancel.", data)
		}
		switch {
		case terminal:
			fmt.Fprint(out, "\r\033[K"+line)
		case s == 60 || s == 30 || s <= 10:
			fmt.Fprintln(out, line)
		}
	}
	err := power.Countdown{Action: a, OS: powerOS, Clock: powerClock, Tick: tick}.Run(ctx)
	if terminal {
		fmt.Fprintln(out)
	}
	if errors.Is(err, power.ErrCanceled) {
		fmt.Fprintln(out, lang.L("Canceled: the computer stays on."))
	}
	return err
}

// queueIdle reports whether no job of the queue is waiting or running:
// another account's downloads keep the computer on.
func queueIdle(q *queue.Queue) bool {
	for j := range q.Summaries() {
		if j.State.Active() {
			return false
		}
	}
	return true
}

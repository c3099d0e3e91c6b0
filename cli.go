package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"fyne.io/fyne/v2/lang"

	"cloudreel/fetch"
)

// cliEnv is what a headless command reads from and writes to, so that
// tests can run commands in-process.
type cliEnv struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// fail prints err as one plain line on stderr and returns exit status 1.
// An error that only says the command was stopped (Ctrl+C, SIGTERM: the
// commands' contexts end on nothing else) says so in plain words.
func (c *cliEnv) fail(err error) int {
	if errors.Is(err, context.Canceled) {
		return c.stopped()
	}
	fmt.Fprintln(c.stderr, "cloudreel:", fetch.Redact(fetch.Plain(err)))
	return 1
}

// stopSignals are what stop a command cleanly: Ctrl+C and SIGTERM (a
// service manager's stop).
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}

// stoppedMessage is what a command stopped by Ctrl+C or SIGTERM says.
const stoppedMessage = "Stopped; run the same command again to continue."

// stopped says that the command was stopped before it was done, and
// returns exit status 1: not everything asked for was done.
func (c *cliEnv) stopped() int {
	fmt.Fprintln(c.stderr, "cloudreel:", lang.L(stoppedMessage))
	return 1
}

// flags returns a flag set that prints its errors and usage on stderr
// and does not exit.
func (c *cliEnv) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("cloudreel "+name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	return fs
}

// configDir is where Cloudreel keeps its store: $CLOUDREEL_HOME when set
// (tests and portable installs), else the OS's config dir.
func configDir() (string, error) {
	if d := os.Getenv("CLOUDREEL_HOME"); d != "" {
		return d, nil
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("%s: %w", lang.L("finding the settings folder"), err)
	}
	return filepath.Join(d, "cloudreel"), nil
}

// earliestDay is the first day -from and -to accept. Earlier dates are
// typing slips (0001-01-01 would read as "no start date" to a connector),
// and no platform Cloudreel knows has recordings from before it.
var earliestDay = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// parseDay reads a YYYY-MM-DD date in UTC, from earliestDay on.
func parseDay(s string) (time.Time, error) {
	t, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(s), time.UTC)
	if err != nil {
		return time.Time{}, errors.New(lang.L(`"{{.Text}}" is not a date like 2026-01-31`, map[string]any{"Text": s}))
	}
	if t.Before(earliestDay) {
		return time.Time{}, errors.New(lang.L(`"{{.Text}}" is too early: give a date from {{.Day}} on, or leave -from out for the last 30 days`,
			map[string]any{"Text": s, "Day": earliestDay.Format(time.DateOnly)}))
	}
	return t, nil
}

// dateRange reads -from and -to, defaulting to the last 30 days.
func dateRange(from, to string, now time.Time) (fetch.Query, error) {
	q := fetch.Query{To: now.UTC().Truncate(24 * time.Hour)}
	q.From = q.To.AddDate(0, 0, -30)
	var err error
	if from != "" {
		if q.From, err = parseDay(from); err != nil {
			return q, err
		}
	}
	if to != "" {
		if q.To, err = parseDay(to); err != nil {
			return q, err
		}
	}
	if q.To.Before(q.From) {
		return q, errors.New(lang.L("the -to date is before the -from date"))
	}
	return q, nil
}

// stringList is a flag that may be given more than once (-id A -id B).
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"fyne.io/fyne/v2/lang"

	"cloudreel/fetch/syncer"
	"cloudreel/fetch/syncer/schedule"
)

// syncSchedule installs or removes the schedule that runs `cloudreel
// sync -once` (see fetch/syncer/schedule). It runs every -every, or as
// often as the most eager account kept in sync asks.
func syncSchedule(c *cliEnv, dir string, s *syncer.Syncer, f syncFlags) int {
	exe, err := os.Executable()
	if err == nil {
		exe, err = filepath.EvalSymlinks(exe)
	}
	if err != nil {
		return c.fail(fmt.Errorf("%s: %w", lang.L("finding where Cloudreel is installed"), err))
	}
	j := schedule.Job{Exe: exe, Args: []string{"sync", "-once"}, Every: syncer.DefaultEvery, Activate: !f.noActivate}
	if home := os.Getenv("CLOUDREEL_HOME"); home != "" {
		j.Env = map[string]string{"CLOUDREEL_HOME": home}
	}
	if runtime.GOOS == "windows" {
		j.Dir = dir // the task's XML is kept beside the store
	}
	if f.uninstall {
		res, err := schedule.Uninstall(j)
		if err != nil {
			return c.fail(err)
		}
		for _, p := range res.Files {
			fmt.Fprintln(c.stdout, lang.L("Removed {{.Path}}", map[string]any{"Path": p}))
		}
		if len(res.Files) == 0 && !res.Activated {
			fmt.Fprintln(c.stdout, lang.L("No schedule was installed."))
		} else {
			fmt.Fprintln(c.stdout, lang.L("Accounts are no longer synced on a schedule."))
		}
		return 0
	}
	switch {
	case f.given["every"]:
		if j.Every, err = syncer.ParseSpan(f.every); err != nil {
			return c.fail(fmt.Errorf("-every: %w", err))
		}
	default:
		all, err := s.All()
		if err != nil {
			return c.fail(err)
		}
		var every time.Duration
		for _, set := range all {
			if every == 0 || set.Every < every {
				every = set.Every
			}
		}
		if every > 0 {
			j.Every = every
		}
	}
	if j.Every < syncer.MinEvery {
		return c.fail(errors.New(lang.L("looking every {{.Every}} is too often: look at most every {{.Min}}", map[string]any{"Every": syncer.FormatSpan(j.Every), "Min": syncer.FormatSpan(syncer.MinEvery)})))
	}
	res, err := schedule.Install(j)
	if err != nil {
		return c.fail(err)
	}
	for _, p := range res.Files {
		fmt.Fprintln(c.stdout, lang.L("Wrote {{.Path}}", map[string]any{"Path": p}))
	}
	if res.Activated {
		fmt.Fprintln(c.stdout, lang.L("cloudreel sync -once now runs every {{.Every}}.", map[string]any{"Every": syncer.FormatSpan(j.Every)}))
	}
	if res.Note != "" {
		fmt.Fprintln(c.stdout, res.Note)
	}
	return 0
}

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/queue"
)

// runDownload queues every file of the selected recordings, runs the queue
// to the end and prints a line per state change. Exit status 0 only when
// every selected file is whole on disk. Run again after a kill, it resumes
// the unfinished files from their bytes and skips the finished ones.
func runDownload(c *cliEnv, args []string) int {
	fs := c.flags("download")
	name := fs.String("account", "", "the account's name (see: cloudreel accounts list)")
	from := fs.String("from", "", "first day, YYYY-MM-DD (default: 30 days ago, or a year ago with -id)")
	to := fs.String("to", "", "last day, YYYY-MM-DD (default: today)")
	dest := fs.String("dest", "", "the folder to download into (default: your Videos folder)")
	var ids, kinds stringList
	fs.Var(&ids, "id", "a recording id to download (repeatable); default: every recording in the range")
	fs.Var(&kinds, "kind", "only files of this kind or extension, e.g. audio or mp4 (repeatable)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *name == "" {
		return c.fail(errors.New("say which account with -account NAME"))
	}
	now := time.Now()
	if len(ids) > 0 && *from == "" {
		*from = now.AddDate(-1, 0, 0).UTC().Format(time.DateOnly)
	}
	q, err := dateRange(*from, *to, now)
	if err != nil {
		return c.fail(err)
	}
	folder := *dest
	if folder == "" {
		folder = videosFolder()
	}

	dir, err := configDir()
	if err != nil {
		return c.fail(err)
	}
	b, err := openBackend(dir, accounts.NewSecrets(), true)
	if err != nil {
		return c.fail(err)
	}
	defer b.closeAll()
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()

	a, err := b.store.ByName(*name)
	if err != nil {
		return c.fail(err)
	}
	var reqs []queue.AddRequest
	found := map[string]bool{}
	for rec, err := range b.store.Recordings(ctx, a, q) {
		if err != nil {
			return c.fail(err)
		}
		if len(ids) > 0 && !slices.Contains(ids, rec.ID) {
			continue
		}
		found[rec.ID] = true
		for _, f := range rec.Files {
			if wantKind(f, kinds) {
				reqs = append(reqs, queue.AddRequest{AccountID: a.ID, AccountName: a.Name, Platform: a.Platform, Recording: rec, File: f, Folder: folder})
			}
		}
	}
	for _, id := range ids {
		if !found[id] {
			return c.fail(fmt.Errorf("no recording with the id %s between %s and %s", id, q.From.Format(time.DateOnly), q.To.Format(time.DateOnly)))
		}
	}
	if len(reqs) == 0 {
		fmt.Fprintln(c.stdout, "Nothing to download: no recording (or no file of that kind) in that range.")
		return 0
	}
	jobs, err := b.queue.Add(reqs...)
	if err != nil {
		return c.fail(err)
	}
	jobIDs := make([]string, len(jobs))
	for i, j := range jobs {
		jobIDs[i] = j.ID
		// A job left paused by the window (or a full disk), or failed in an
		// earlier run, is this run's work too.
		switch j.State {
		case queue.Paused:
			_ = b.queue.Resume(j.ID)
		case queue.Failed:
			_ = b.queue.Retry(j.ID)
		}
	}
	fmt.Fprintf(c.stdout, "Downloading %d files into %s\n", len(jobs), folder)
	rep, err := queue.RunHeadless(ctx, b.queue, jobIDs, c.stdout, isTerminal(c.stdout))
	fmt.Fprintf(c.stdout, "%d downloaded, %d already there, %d failed\n", rep.Done-rep.Skipped, rep.Skipped, rep.Failed)
	if err != nil {
		return c.fail(err)
	}
	if rep.Halted != "" {
		return c.fail(errors.New(rep.Halted))
	}
	if !rep.OK() {
		return c.fail(fmt.Errorf("%d of %d files are not whole on disk; run the same command again to retry them", len(jobs)-rep.Done, len(jobs)))
	}
	return 0
}

// wantKind reports whether a file matches the -kind filters (by kind or
// extension, any case); no filter matches everything.
func wantKind(f fetch.File, kinds []string) bool {
	if len(kinds) == 0 {
		return true
	}
	for _, k := range kinds {
		if strings.EqualFold(k, f.Kind) || strings.EqualFold(strings.TrimPrefix(k, "."), f.Ext) {
			return true
		}
	}
	return false
}

// isTerminal reports whether w is a terminal, where progress lines may be
// rewritten in place.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

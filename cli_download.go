package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/locale"
	"cloudreel/fetch/power"
	"cloudreel/fetch/queue"
)

// runDownload queues every file of the selected recordings, runs the queue
// to the end and prints a line per state change. Exit status 0 only when
// every selected file is whole on disk. Run again after a kill, it resumes
// the unfinished files from their bytes and skips the finished ones.
func runDownload(c *cliEnv, args []string) int {
	fs := c.flags("download")
	name := fs.String("account", "", lang.L("the account's name (see: cloudreel accounts list)"))
	from := fs.String("from", "", lang.L("first day, YYYY-MM-DD (default: 30 days ago, or a year ago with -id)"))
	to := fs.String("to", "", lang.L("last day, YYYY-MM-DD (default: today)"))
	dest := fs.String("dest", "", lang.L("the folder to download into (default: your Videos folder)"))
	clean := fs.Bool("cleanup", false, lang.L("afterwards, trash or delete on the platform what was downloaded and verified, when the account's setting says so (see cloudreel cleanup)"))
	var ids, kinds stringList
	var done whenDoneFlag
	fs.Var(&done, "when-done", lang.L(whenDoneUsage))
	fs.Var(&ids, "id", lang.L("a recording id to download (repeatable); default: every recording in the range"))
	fs.Var(&kinds, "kind", lang.L("only files of this kind or extension, e.g. audio or mp4 (repeatable)"))
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *name == "" {
		return c.fail(errors.New(lang.L("say which account with -account NAME")))
	}
	// Before anything is opened or printed: a Ctrl+C from the first
	// moment on stops the command cleanly.
	ctx, cancel := signal.NotifyContext(context.Background(), stopSignals...)
	defer cancel()
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
	if st, err := os.Stat(folder); err == nil && !st.IsDir() {
		return c.fail(errors.New(lang.L("{{.Path}} is a file, not a folder: give -dest a folder to download into", map[string]any{"Path": folder})))
	}

	b, err := openHeadless(c)
	if err != nil {
		return c.fail(err)
	}
	defer b.closeAll()

	a, err := b.store.ByName(*name)
	if err != nil {
		return c.fail(err)
	}
	reqs, err := fileRequests(ctx, b, a, q, ids, kinds, folder)
	if err != nil {
		if ctx.Err() != nil {
			return c.stopped()
		}
		return c.fail(err)
	}
	if len(reqs) == 0 {
		fmt.Fprintln(c.stdout, lang.L("Nothing to download: no recording (or no file of that kind) in that range."))
		return 0
	}
	jobs, err := b.queue.Add(reqs...)
	if err != nil {
		return c.fail(err)
	}
	jobIDs := make([]string, len(jobs))
	there := 0
	for i, j := range jobs {
		jobIDs[i] = j.ID
		// A job left paused by the window (or a full disk), or failed in an
		// earlier run, is this run's work too.
		switch j.State {
		case queue.Paused:
			_ = b.queue.Resume(j.ID)
		case queue.Failed:
			_ = b.queue.Retry(j.ID)
		case queue.Done:
			there++
		}
	}
	switch {
	case there == len(jobs):
		fmt.Fprintln(c.stdout, lang.N("All {{.Count}} files are already downloaded", there, map[string]any{"Count": there}))
	case there > 0:
		fmt.Fprintln(c.stdout, lang.N("Downloading {{.Count}} files into {{.Folder}} ({{.There}} already downloaded)", len(jobs)-there,
			map[string]any{"Count": len(jobs) - there, "Folder": folder, "There": there}))
	default:
		fmt.Fprintln(c.stdout, lang.N("Downloading {{.Count}} files into {{.Folder}}", len(jobs), map[string]any{"Count": len(jobs), "Folder": folder}))
	}
	rep, err := queue.RunHeadless(ctx, b.queue, jobIDs, c.stdout, isTerminal(c.stdout))
	fmt.Fprintln(c.stdout, summary(rep))
	cleanFailed := 0
	if *clean && err == nil && ctx.Err() == nil && rep.Halted == "" {
		// The rule, not the run's status, decides what goes: only
		// recordings whose every file is verified and on disk.
		if cerr := cleanAfterDownload(ctx, c, b, a); cerr != nil && ctx.Err() == nil {
			// Said now; the download's own outcome is said below.
			cleanFailed = c.fail(cerr)
		}
	}
	switch {
	case ctx.Err() != nil:
		return c.stopped()
	case err != nil:
		return c.fail(err)
	case rep.Halted != "":
		return c.fail(errors.New(rep.Halted))
	case !rep.OK():
		return c.fail(errors.New(lang.N("{{.Count}} of {{.Total}} files are not whole on disk; run the same command again to retry them", len(jobs),
			map[string]any{"Count": rep.NotWhole(), "Total": len(jobs)})))
	}
	// Every file is whole: a canceled countdown changes nothing of that.
	if err := whenDone(ctx, c.stdout, isTerminal(c.stdout), done.action, b.queue, rep, folder); err != nil && !errors.Is(err, power.ErrCanceled) {
		return c.fail(err)
	}
	return cleanFailed
}

// summary is the last line of a download run, e.g. "2 downloaded, 3
// already there, 1 failed", from the jobs' states at the end.
func summary(r queue.Report) string {
	s := lang.L("{{.Done}} downloaded, {{.Skipped}} already there, {{.Failed}} failed", map[string]any{"Done": r.Done, "Skipped": r.Skipped, "Failed": r.Failed})
	for _, part := range []struct {
		n    int
		what string
	}{{r.Paused, lang.L("{{.Count}} paused", map[string]any{"Count": r.Paused})},
		{r.Canceled, lang.L("{{.Count}} canceled", map[string]any{"Count": r.Canceled})},
		{r.Unfinished, lang.L("{{.Count}} not finished", map[string]any{"Count": r.Unfinished})}} {
		if part.n > 0 {
			s += lang.L(", ") + part.what
		}
	}
	return s
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

// fileRequests lists account a's recordings in q and asks for each file of
// the kinds wanted (every kind when kinds is empty) of the recordings
// with the ids given (every recording when ids is empty), into folder. An
// id that is not listed is an error, so a mistyped id is never silently
// skipped.
func fileRequests(ctx context.Context, b *backend, a accounts.Account, q fetch.Query, ids, kinds []string, folder string) ([]queue.AddRequest, error) {
	var reqs []queue.AddRequest
	found := map[string]bool{}
	for rec, err := range b.store.Recordings(ctx, a, q) {
		if err != nil {
			return nil, err
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
			return nil, errors.New(lang.L("no recording with the id {{.ID}} between {{.From}} and {{.To}}",
				map[string]any{"ID": id, "From": locale.Now().Date(q.From), "To": locale.Now().Date(q.To)}))
		}
	}
	return reqs, nil
}

package main

import (
	"context"
	"errors"
	"fmt"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2/lang"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/queue"
	"cloudreel/fetch/upload"
)

// videoExts are the files `upload -from-account` sends by default: the
// videos, not a meeting's chat or transcript.
var videoExts = []string{"mp4", "m4v", "mov", "webm", "mkv", "avi"}

// runUpload sends files to a Valt account: files of the disk, or the
// recordings of another account (downloaded first with the queue, or
// taken from the disk when already downloaded and verified). Exit status
// 0 only when every file is in Valt. Run again, it sends what is not
// there yet into the records it created before.
func runUpload(c *cliEnv, args []string) int {
	fs := c.flags("upload")
	name := fs.String("account", "", lang.L("the Valt account to send to (see: cloudreel accounts list)"))
	title := fs.String("name", "", lang.L("the record's name in Valt (default: the file's name)"))
	fromAccount := fs.String("from-account", "", lang.L("send the recordings of this account instead of files"))
	from := fs.String("from-date", "", lang.L("with -from-account: first day, YYYY-MM-DD (default: 30 days ago, or a year ago with -id)"))
	to := fs.String("to-date", "", lang.L("with -from-account: last day, YYYY-MM-DD (default: today)"))
	dest := fs.String("dest", "", lang.L("with -from-account: the folder recordings are downloaded into (default: your Videos folder)"))
	var ids, kinds stringList
	fs.Var(&ids, "id", lang.L("with -from-account: a recording id to send (repeatable); default: every recording in the range"))
	fs.Var(&kinds, "kind", lang.L("with -from-account: only files of this kind or extension (repeatable); default: the videos"))
	if err := fs.Parse(args); err != nil {
		return 2
	}
	switch {
	case *name == "":
		return c.fail(errors.New(lang.L("say which Valt account to send to with -account NAME")))
	case *fromAccount == "" && fs.NArg() == 0:
		return c.fail(errors.New(lang.L("give the video files to send, or -from-account NAME to send another account's recordings")))
	case *fromAccount != "" && fs.NArg() > 0:
		return c.fail(errors.New(lang.L("give either files or -from-account, not both")))
	}
	ctx, cancel := signal.NotifyContext(context.Background(), stopSignals...)
	defer cancel()
	b, err := openHeadless(c)
	if err != nil {
		return c.fail(err)
	}
	defer b.closeAll()
	a, err := b.store.ByName(*name)
	if err != nil {
		return c.fail(err)
	}
	if a.Platform != fetch.Valt {
		return c.fail(notValt(a))
	}
	up, err := newUploader(c, b)
	if err != nil {
		return c.fail(err)
	}

	var reqs []upload.Request
	missing := 0
	if *fromAccount == "" {
		for i, path := range fs.Args() {
			r := upload.Request{AccountID: a.ID, AccountName: a.Name, Path: path, Name: *title}
			if *title != "" && fs.NArg() > 1 {
				r.Name = fmt.Sprintf("%s (%d of %d)", *title, i+1, fs.NArg())
			}
			reqs = append(reqs, r)
		}
	} else {
		if len(kinds) == 0 {
			kinds = videoExts
		}
		reqs, missing, err = downloadForUpload(ctx, c, b, a, *fromAccount, *from, *to, *dest, ids, kinds)
		switch {
		case ctx.Err() != nil:
			return c.stopped()
		case err != nil:
			return c.fail(err)
		case len(reqs) == 0 && missing == 0:
			fmt.Fprintln(c.stdout, lang.L("Nothing to send: no recording (or no video) in that range."))
			return 0
		}
	}
	jobs, err := up.Add(reqs...)
	if err != nil {
		return c.fail(err)
	}
	idsToRun := make([]string, len(jobs))
	for i, j := range jobs {
		idsToRun[i] = j.ID
	}
	if len(jobs) > 0 {
		fmt.Fprintln(c.stdout, lang.N("Sending {{.Count}} files to {{.Name}}", len(jobs), map[string]any{"Count": len(jobs), "Name": a.Name}))
	}
	rep := up.Run(ctx, idsToRun)
	fmt.Fprintln(c.stdout, lang.N("{{.Count}} of {{.Total}} files are in Valt", len(rep.Jobs)+missing, map[string]any{"Count": rep.Done(), "Total": len(rep.Jobs) + missing}))
	switch {
	case ctx.Err() != nil:
		return c.stopped()
	case !rep.OK() || missing > 0:
		return c.fail(errors.New(lang.N("{{.Count}} of {{.Total}} files are not in Valt; run the same command again to send them", len(rep.Jobs)+missing,
			map[string]any{"Count": len(rep.Jobs) - rep.Done() + missing, "Total": len(rep.Jobs) + missing})))
	}
	return 0
}

// newUploader builds the uploads on the backend's store, printing a line
// for each change of a job's state.
func newUploader(c *cliEnv, b *backend) (*upload.Uploader, error) {
	var mu sync.Mutex
	last := map[string]upload.State{}
	return upload.New(upload.Options{
		DB:  b.db,
		Log: b.log,
		Target: func(ctx context.Context, accountID string) (upload.Target, error) {
			a, err := b.store.Get(accountID)
			if err != nil {
				return nil, err
			}
			conn, err := b.store.Connector(ctx, a)
			if err != nil {
				return nil, err
			}
			t, ok := conn.(upload.Target)
			if !ok {
				return nil, notValt(a)
			}
			return t, nil
		},
		OnChange: func(j upload.Job) {
			mu.Lock()
			defer mu.Unlock()
			if last[j.ID] == j.State && j.State != upload.Queued {
				return
			}
			last[j.ID] = j.State
			base := filepath.Base(j.Path)
			switch j.State {
			case upload.Creating:
				fmt.Fprintln(c.stdout, lang.L(`{{.File}}: making the record "{{.Name}}" in Valt`, map[string]any{"File": base, "Name": j.Name}))
			case upload.Uploading:
				fmt.Fprintln(c.stdout, lang.L("{{.File}}: sending", map[string]any{"File": base}))
			case upload.Queued:
				if j.Err != "" {
					fmt.Fprintf(c.stdout, "%s: %s\n", base, fetch.Redact(j.Err))
				}
			case upload.Done:
				fmt.Fprintln(c.stdout, lang.L(`{{.File}}: in Valt as "{{.Name}}"`, map[string]any{"File": base, "Name": j.Name}))
			case upload.Failed:
				fmt.Fprintf(c.stderr, "cloudreel: %s: %s\n", base, fetch.Redact(j.Err))
			}
		},
	})
}

// downloadForUpload downloads the selected recordings of the account
// named other with the download queue (a file already downloaded and
// verified is taken from the disk) and returns an upload request for each
// file that is whole and verified on disk, and how many are not.
func downloadForUpload(ctx context.Context, c *cliEnv, b *backend, to accounts.Account, other, from, until, dest string, ids, kinds []string) ([]upload.Request, int, error) {
	src, err := b.store.ByName(other)
	if err != nil {
		return nil, 0, err
	}
	if src.ID == to.ID {
		return nil, 0, errors.New(lang.L("-from-account and -account are the same account"))
	}
	now := time.Now()
	if len(ids) > 0 && from == "" {
		from = now.AddDate(-1, 0, 0).UTC().Format(time.DateOnly)
	}
	q, err := dateRange(from, until, now)
	if err != nil {
		return nil, 0, err
	}
	folder := dest
	if folder == "" {
		folder = videosFolder()
	}
	adds, err := fileRequests(ctx, b, src, q, ids, kinds, folder)
	if err != nil {
		return nil, 0, err
	}
	if len(adds) == 0 {
		return nil, 0, nil
	}
	jobs, err := b.queue.Add(adds...)
	if err != nil {
		return nil, 0, err
	}
	var pending []string
	for _, j := range jobs {
		switch {
		case j.Verified():
		case j.State == queue.Paused:
			_ = b.queue.Resume(j.ID)
			pending = append(pending, j.ID)
		case j.State == queue.Failed:
			_ = b.queue.Retry(j.ID)
			pending = append(pending, j.ID)
		case j.State != queue.Done:
			pending = append(pending, j.ID)
		}
	}
	if len(pending) > 0 {
		fmt.Fprintln(c.stdout, lang.N("Downloading {{.Count}} files from {{.Name}} first ({{.There}} already on disk)", len(pending),
			map[string]any{"Count": len(pending), "Name": src.Name, "There": len(jobs) - len(pending)}))
		if _, err := queue.RunHeadless(ctx, b.queue, pending, c.stdout, isTerminal(c.stdout)); err != nil {
			return nil, 0, err
		}
	}
	var reqs []upload.Request
	missing := 0
	for _, j := range jobs {
		j, _ = b.queue.Job(j.ID)
		if !j.Verified() {
			missing++
			why := j.Err
			if j.State == queue.Done {
				why = lang.L("it was downloaded but could not be proven whole ({{.Why}}), so it is not sent", map[string]any{"Why": j.Unproven})
			}
			fmt.Fprintf(c.stderr, "cloudreel: %s: %s\n", filepath.Base(j.Path), fetch.Redact(strings.TrimSpace(why)))
			continue
		}
		reqs = append(reqs, upload.Request{AccountID: to.ID, AccountName: to.Name, Path: j.Path, Name: recordName(j),
			Source: j.Platform.Title() + ": " + j.AccountName,
			Key:    "recording:" + j.AccountID + ":" + j.RecordingID + ":" + j.File.ID})
	}
	return reqs, missing, nil
}

// recordName names a recording's file in Valt: its title, then its
// source and date ("Science fair (Zoom: Demo school, 2026-05-06 10:18)"),
// and the file's kind when the platform names one.
func recordName(j queue.Job) string {
	title := strings.TrimSpace(j.RecordingTitle)
	if title == "" {
		title = "Recording " + j.RecordingID // sent to Valt: not translated
	}
	parts := []string{j.Platform.Title() + ": " + j.AccountName, j.RecordingStart.Local().Format("2006-01-02 15:04")}
	if j.File.Kind != "" {
		parts = append(parts, j.File.Kind)
	}
	return title + " (" + strings.Join(parts, ", ") + ")"
}

// notValt says that account a cannot be sent recordings: it is not Valt's.
func notValt(a accounts.Account) error {
	return errors.New(lang.L("{{.Name}} is a {{.Platform}} account: recordings can be sent only to a Valt account", map[string]any{"Name": a.Name, "Platform": a.Platform.Title()}))
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
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

// runUpload sends files to a Valt account: files of the disk (a folder:
// the videos in it), or the recordings of another account (downloaded
// first with the queue, or taken from the disk when already downloaded and
// verified). Exit status 0 only when every file is in Valt. Run again, it
// sends what is not there yet into the records it created before.
func runUpload(c *cliEnv, args []string) int {
	fs := c.flags("upload")
	name := fs.String("account", "", lang.L("the Valt account to send to (see: cloudreel accounts list)"))
	title := fs.String("name", "", lang.L("the record's name in Valt (default: the file's name)"))
	fromAccount := fs.String("from-account", "", lang.L("send the recordings of this account instead of files (the same as cloudreel copy)"))
	cf := copyFlags(fs)
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
	return sendToValt(c, *name, *fromAccount, *title, fs.Args(), cf)
}

// runCopy is `cloudreel copy -from ACCOUNT -to VALT`: the recordings of one
// account downloaded (or taken from the disk) and sent to a Valt account;
// `upload -from-account` is its older spelling.
func runCopy(c *cliEnv, args []string) int {
	fs := c.flags("copy")
	from := fs.String("from", "", lang.L("the account whose recordings are copied (see: cloudreel accounts list)"))
	to := fs.String("to", "", lang.L("the Valt account they are sent to"))
	cf := copyFlags(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	switch {
	case *from == "":
		return c.fail(errors.New(lang.L("say whose recordings to copy with -from ACCOUNT")))
	case *to == "":
		return c.fail(errors.New(lang.L("say which Valt account to copy them to with -to VALT_ACCOUNT")))
	case fs.NArg() > 0:
		return c.fail(errors.New(lang.L("copy takes no files ({{.Arg}}): to send files, use cloudreel upload -account {{.Account}} FILE", map[string]any{"Arg": fs.Arg(0), "Account": *to})))
	}
	return sendToValt(c, *to, *from, "", nil, cf)
}

// copyOptions are the flags that choose the recordings of a copy.
type copyOptions struct {
	from, to, dest *string
	ids, kinds     *stringList
}

func copyFlags(fs *flag.FlagSet) copyOptions {
	o := copyOptions{ids: &stringList{}, kinds: &stringList{}}
	o.from = fs.String("from-date", "", lang.L("recordings: first day, YYYY-MM-DD (default: 30 days ago, or a year ago with -id)"))
	o.to = fs.String("to-date", "", lang.L("recordings: last day, YYYY-MM-DD (default: today)"))
	o.dest = fs.String("dest", "", lang.L("recordings: the folder they are downloaded into (default: your Videos folder)"))
	fs.Var(o.ids, "id", lang.L("recordings: a recording id to send (repeatable); default: every recording in the range"))
	fs.Var(o.kinds, "kind", lang.L("recordings: only files of this kind or extension (repeatable); default: the videos"))
	return o
}

// sendToValt sends files, or the recordings of the account fromAccount,
// to the Valt account named to, with the template fields and sharing that
// account asks for.
func sendToValt(c *cliEnv, to, fromAccount, title string, files []string, cf copyOptions) int {
	ctx, cancel := signal.NotifyContext(context.Background(), stopSignals...)
	defer cancel()
	b, err := openHeadless(c)
	if err != nil {
		return c.fail(err)
	}
	defer b.closeAll()
	a, err := b.store.ByName(to)
	if err != nil {
		return c.fail(err)
	}
	if a.Platform != fetch.Valt {
		return c.fail(errors.New(lang.L("{{.Name}} is a {{.Platform}} account: recordings can be sent only to a Valt account", map[string]any{"Name": a.Name, "Platform": a.Platform.Name()})))
	}
	up, err := newUploader(c, b)
	if err != nil {
		return c.fail(err)
	}
	dest := valtDest(a)

	var reqs []upload.Request
	missing := 0
	if fromAccount == "" {
		if reqs, err = fileUploads(dest, title, files); err != nil {
			return c.fail(err)
		}
	} else {
		kinds := []string(*cf.kinds)
		if len(kinds) == 0 {
			kinds = upload.VideoExts
		}
		reqs, missing, err = downloadForUpload(ctx, c, b, dest, fromAccount, *cf.from, *cf.to, *cf.dest, *cf.ids, kinds)
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

// valtDest is the Valt account a as uploads need it.
func valtDest(a accounts.Account) upload.Dest {
	return upload.Dest{AccountID: a.ID, AccountName: a.Name, Template: a.UploadTemplate, Share: a.UploadShare()}
}

// fileUploads turns the files (and the videos of the folders) given on
// the command line into upload requests, numbering a -name shared by
// several files.
func fileUploads(dest upload.Dest, title string, args []string) ([]upload.Request, error) {
	var paths []string
	for _, p := range args {
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			videos, err := upload.VideosIn(p)
			if err != nil {
				return nil, err
			}
			if len(videos) == 0 {
				return nil, errors.New(lang.L("the folder {{.Folder}} holds no video file ({{.Kinds}})", map[string]any{"Folder": p, "Kinds": strings.Join(upload.VideoExts, ", ")}))
			}
			paths = append(paths, videos...)
			continue
		}
		paths = append(paths, p)
	}
	reqs := make([]upload.Request, 0, len(paths))
	for i, p := range paths {
		name := title
		if title != "" && len(paths) > 1 {
			name = fmt.Sprintf("%s (%d of %d)", title, i+1, len(paths))
		}
		reqs = append(reqs, upload.FileRequest(dest, p, name))
	}
	return reqs, nil
}

// newUploader builds the uploads on the backend's store, printing a line
// for each change of a job's state.
func newUploader(c *cliEnv, b *backend) (*upload.Uploader, error) {
	var mu sync.Mutex
	last := map[string]upload.State{}
	return uploaderOn(b, func(j upload.Job) {
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
	})
}

// uploaderOn builds the uploads on the backend's store and limits (shared
// with its queue), telling onChange (may be nil) of every change.
func uploaderOn(b *backend, onChange func(upload.Job)) (*upload.Uploader, error) {
	return upload.New(upload.Options{
		DB:       b.db,
		Log:      b.log,
		Shared:   b.limits,
		OnChange: onChange,
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
				return nil, errors.New(lang.L("{{.Name}} is a {{.Platform}} account: recordings can be sent only to a Valt account", map[string]any{"Name": a.Name, "Platform": a.Platform.Name()}))
			}
			return t, nil
		},
	})
}

// downloadForUpload downloads the selected recordings of the account
// named other with the download queue (a file already downloaded and
// verified is taken from the disk) and returns an upload request for each
// file that is whole and verified on disk, and how many are not.
func downloadForUpload(ctx context.Context, c *cliEnv, b *backend, to upload.Dest, other, from, until, dest string, ids, kinds []string) ([]upload.Request, int, error) {
	src, err := b.store.ByName(other)
	if err != nil {
		return nil, 0, err
	}
	if src.ID == to.AccountID {
		return nil, 0, errors.New(lang.L("the recordings to send and the Valt account they go to are the same account"))
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
	if pending := upload.PrepareDownloads(b.queue, jobs); len(pending) > 0 {
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
		if why := upload.NotSent(j); why != "" {
			missing++
			fmt.Fprintf(c.stderr, "cloudreel: %s: %s\n", filepath.Base(j.Path), fetch.Redact(why))
			continue
		}
		reqs = append(reqs, upload.DownloadRequest(to, j))
	}
	return reqs, missing, nil
}

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/signal"
	"strconv"
	"time"

	"fyne.io/fyne/v2/lang"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/locale"
)

// recordingJSON is one recording in `recordings -json`.
type recordingJSON struct {
	ID              string     `json:"id"`
	Title           string     `json:"title"`
	Start           time.Time  `json:"start"`
	DurationSeconds int64      `json:"duration_seconds"`
	Owner           string     `json:"owner,omitempty"` // who scheduled it, where the platform says (Huawei)
	Files           []fileJSON `json:"files"`
	// Status says why a recording has no files yet, in the words the
	// table prints: "preparing", or the platform's note.
	Status  string     `json:"status,omitempty"`
	ReadyAt *time.Time `json:"ready_at,omitempty"` // when a preparing recording is expected to be ready
}

type fileJSON struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	Ext  string `json:"ext"`
	Size int64  `json:"size"`
}

// runRecordings lists every recording of an account that started on a
// day in [from, to] (UTC), as a table or as JSON.
func runRecordings(c *cliEnv, args []string) int {
	fs := c.flags("recordings")
	name := fs.String("account", "", lang.L("the account's name (see: cloudreel accounts list)"))
	from := fs.String("from", "", lang.L("first day, YYYY-MM-DD (default: 30 days ago)"))
	to := fs.String("to", "", lang.L("last day, YYYY-MM-DD (default: today)"))
	asJSON := fs.Bool("json", false, lang.L("print one JSON array"))
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *name == "" {
		return c.fail(errors.New(lang.L("say which account with -account NAME")))
	}
	q, err := dateRange(*from, *to, time.Now())
	if err != nil {
		return c.fail(err)
	}
	ctx, cancel := signal.NotifyContext(context.Background(), stopSignals...)
	defer cancel()
	store, closeStore, err := openAccounts()
	if err != nil {
		return c.fail(err)
	}
	defer closeStore()
	tellRepair(c, store)
	a, err := store.ByName(*name)
	if err != nil {
		return c.fail(err)
	}
	var recs []fetch.Recording
	for rec, err := range store.Recordings(ctx, a, q) {
		if err != nil {
			return c.fail(err)
		}
		recs = append(recs, rec)
	}
	if *asJSON {
		return printRecordingsJSON(c, recs)
	}
	var tw table
	tw.header(lang.L("DATE\tTITLE\tOWNER\tDURATION\tFILES\tSIZE\tID"))
	for _, r := range recs {
		tw.row(locale.Now().DateTime(r.Start.UTC()), shorten(r.Title, 60), shorten(r.Owner, 30),
			durationText(r.Duration), strconv.Itoa(len(r.Files)), sizeText(r.Size()), r.ID)
	}
	if err := tw.write(c.stdout); err != nil {
		return c.fail(err)
	}
	// A recording with no files would read as an empty row: say why.
	for _, r := range recs {
		if st := shownStatus(r); st != "" {
			fmt.Fprintf(c.stdout, "%s %s: %s\n", locale.Now().DateTime(r.Start.UTC()), shorten(r.Title, 60), st)
		}
	}
	fmt.Fprintln(c.stdout, lang.N("{{.Count}} recordings from {{.From}} to {{.To}}", len(recs),
		map[string]any{"Count": len(recs), "From": locale.Now().Date(q.From), "To": locale.Now().Date(q.To)}))
	return 0
}

func printRecordingsJSON(c *cliEnv, recs []fetch.Recording) int {
	out := make([]recordingJSON, 0, len(recs))
	for _, r := range recs {
		j := recordingJSON{ID: r.ID, Title: r.Title, Start: r.Start.UTC(), DurationSeconds: int64(r.Duration / time.Second), Owner: r.Owner,
			Files: []fileJSON{}, Status: recordingStatus(r)}
		if r.Pending && !r.ReadyAt.IsZero() {
			at := r.ReadyAt.UTC()
			j.ReadyAt = &at
		}
		for _, f := range r.Files {
			j.Files = append(j.Files, fileJSON{ID: f.ID, Kind: f.Kind, Ext: f.Ext, Size: f.Size})
		}
		out = append(out, j)
	}
	enc := json.NewEncoder(c.stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return c.fail(err)
	}
	return 0
}

// recordingStatus says why r has no files to download yet, or "" when it
// has them: the platform is preparing it (with the time it expects to be
// done), or the platform's note (Valt's record that names no video). It
// is -json's status, in English whatever the language: scripts read it.
func recordingStatus(r fetch.Recording) string {
	switch {
	case r.Pending && !r.ReadyAt.IsZero():
		return "preparing, ready about " + r.ReadyAt.UTC().Format("2006-01-02 15:04") + " UTC"
	case r.Pending:
		return "preparing"
	case r.Note != "":
		return r.Note
	}
	return ""
}

// shownStatus is recordingStatus for people, in their language.
func shownStatus(r fetch.Recording) string {
	switch {
	case r.Pending && !r.ReadyAt.IsZero():
		return lang.L("preparing, ready about {{.When}} UTC", map[string]any{"When": locale.Now().DateTime(r.ReadyAt.UTC())})
	case r.Pending:
		return lang.L("preparing")
	}
	return recordingStatus(r)
}

// sizeText is a recording's size in the language's conventions ("1,5 GB"
// in Spanish), "?" when the platform did not say.
func sizeText(n int64) string {
	if n <= 0 {
		return "?"
	}
	return locale.Now().Bytes(n)
}

// durationText is a recording's length as the window writes it ("1 h 5
// min", "1小时5分钟"), "?" when the platform did not say.
func durationText(d time.Duration) string {
	if d <= 0 {
		return "?"
	}
	return locale.Now().Duration(d)
}

// openAccounts opens the store and the accounts on it, for the commands
// that need no download queue.
func openAccounts() (*accounts.Store, func(), error) {
	dir, err := configDir()
	if err != nil {
		return nil, nil, err
	}
	store, db, err := openStore(dir, accounts.NewSecrets())
	if err != nil {
		return nil, nil, err
	}
	return store, func() { db.Close() }, nil
}

package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"time"

	"fyne.io/fyne/v2/lang"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/doctor"
)

// doctorTimeout is the longest a check may take: it makes a handful of
// calls, each retried a few times at most.
const doctorTimeout = 3 * time.Minute

// runDoctor checks one account step by step (sign in, list recent
// recordings, ask for one file's link without downloading it), prints the
// report and, with -o, saves it for the person to send. Exit status 0
// only when every step worked.
func runDoctor(c *cliEnv, args []string) int {
	fs := c.flags("doctor")
	name := fs.String("account", "", lang.L("the account's name (see: cloudreel accounts list)"))
	out := fs.String("o", "", lang.L("also save the report to this file, to send to your IT staff or to Cloudreel's makers"))
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *name == "" {
		return c.fail(errors.New(lang.L("say which account to check with -account NAME")))
	}
	store, closeStore, err := openAccounts()
	if err != nil {
		return c.fail(err)
	}
	defer closeStore()
	a, err := store.ByName(*name)
	if err != nil {
		return c.fail(err)
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	ctx, stop := context.WithTimeout(ctx, doctorTimeout)
	defer stop()
	fmt.Fprintln(c.stderr, lang.L("Checking {{.Name}} on {{.Platform}}…", map[string]any{"Name": a.Name, "Platform": a.Platform.Name()}))
	rep := checkAccount(ctx, store, a)
	text := rep.String()
	fmt.Fprint(c.stdout, text)
	if *out != "" {
		if err := os.WriteFile(*out, []byte(text), 0o600); err != nil {
			return c.fail(fmt.Errorf("%s: %w", lang.L("saving the report"), err))
		}
		fmt.Fprintln(c.stdout, "\n"+lang.L("The report is saved in {{.Path}}. Send that file to your IT staff, or to us with a few words on what you tried.", map[string]any{"Path": *out}))
	} else {
		fmt.Fprintln(c.stdout, "\n"+lang.L("To send this report to your IT staff or to us, save it to a file:"))
		fmt.Fprintf(c.stdout, "  cloudreel doctor -account %q -o cloudreel-report.txt\n", a.Name)
	}
	if _, failed := rep.Failed(); failed {
		return 1
	}
	return 0
}

// checkAccount runs the doctor on account a, through the store's hook so
// that the connector's own client (Valt's pinned one too) is recorded.
func checkAccount(ctx context.Context, store *accounts.Store, a accounts.Account) *doctor.Report {
	return doctor.Run(ctx, doctor.Check{
		Platform: a.Platform,
		Server:   a.ServerURL(),
		Version:  version + " (" + build + ")",
		Connect: func(ctx context.Context, wrap func(http.RoundTripper) http.RoundTripper) (fetch.Connector, error) {
			return store.ConnectorThrough(ctx, a, wrap)
		},
		Explain: func(err error) string { return accounts.Explain(a, err) },
	})
}

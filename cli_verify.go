package main

import (
	"context"
	"errors"
	"fmt"
	"os/signal"

	"fyne.io/fyne/v2/lang"

	"cloudreel/fetch/queue"
)

// runVerify checks the files Cloudreel downloaded against the store: each
// must still be on disk with its size and the SHA-256 computed while it
// was written, and match the platform's SHA-256 when it gave one (Huawei).
// It lists what changed or went missing, and exits 0 only when every file
// checks out. A file found changed or missing is no longer Verified, so
// that no clean-up removes its cloud copy.
func runVerify(c *cliEnv, args []string) int {
	fs := c.flags("verify")
	name := fs.String("account", "", lang.L("only the files of this account (default: every account)"))
	dest := fs.String("dest", "", lang.L("only the files in this folder (default: wherever they were downloaded)"))
	if err := fs.Parse(args); err != nil {
		return 2
	}
	ctx, cancel := signal.NotifyContext(context.Background(), stopSignals...)
	defer cancel()
	b, err := openHeadless(c)
	if err != nil {
		return c.fail(err)
	}
	defer b.closeAll()

	accountID := ""
	if *name != "" {
		a, err := b.store.ByName(*name)
		if err != nil {
			return c.fail(err)
		}
		accountID = a.ID
	}
	checks, err := b.queue.CheckFiles(ctx, accountID, *dest)
	if errors.Is(err, context.Canceled) {
		return c.stopped()
	}
	if err != nil {
		return c.fail(err)
	}
	if len(checks) == 0 {
		fmt.Fprintln(c.stdout, lang.L("There are no downloaded files to check."))
		return 0
	}
	var changed, missing int
	for _, ch := range checks {
		switch {
		case ch.Missing:
			missing++
			fmt.Fprintf(c.stdout, "%s\n  %s\n", lang.L("Missing: {{.Path}}", map[string]any{"Path": ch.Job.Path}), ch.Problem)
		case ch.Changed:
			changed++
			fmt.Fprintf(c.stdout, "%s\n  %s\n", lang.L("Changed: {{.Path}}", map[string]any{"Path": ch.Job.Path}), ch.Problem)
		}
	}
	ok := len(checks) - changed - missing
	fmt.Fprintln(c.stdout, lang.N("Checked {{.Count}} files: {{.OK}} as downloaded, {{.Changed}} changed, {{.Missing}} missing.", len(checks),
		map[string]any{"Count": len(checks), "OK": ok, "Changed": changed, "Missing": missing}))
	if unverified := countUnverified(checks); unverified > 0 {
		fmt.Fprintln(c.stdout, lang.N("{{.Count}} files are as downloaded, but no proof showed them whole when downloaded: they are not Verified and never cleaned up.", unverified,
			map[string]any{"Count": unverified}))
	}
	if changed+missing > 0 {
		fmt.Fprintln(c.stdout, lang.L("Download the changed and missing files again before their cloud copies are cleaned up: they are no longer counted as verified."))
		return 1
	}
	return 0
}

// countUnverified counts the files that are as downloaded but whose
// download no proof covered.
func countUnverified(checks []queue.FileCheck) int {
	n := 0
	for _, ch := range checks {
		if ch.OK() && !ch.Job.Proof.Holds() {
			n++
		}
	}
	return n
}

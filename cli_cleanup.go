package main

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"os/signal"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/cleanup"
	"cloudreel/fetch/locale"
	"cloudreel/fetch/queue"
)

const cleanupUsage = `cloudreel cleanup [-account NAME] [-dry-run] [-cancel [-id ID ...]] [-set keep|trash|delete] [-log]
    frees the cloud: recordings downloaded through Cloudreel whose every file is verified and still
    on disk go to the platform's trash, or are deleted permanently 7 days after they are scheduled,
    as each account's setting says (accounts add -after-download); without -account, every account
`

// runCleanup is `cloudreel cleanup`: for one account or every account
// whose setting is not "keep", it trashes, schedules or deletes what the
// rule allows, and says what it did (or, with -dry-run, what it would do).
func runCleanup(c *cliEnv, args []string) int {
	fs := c.flags("cleanup")
	name := fs.String("account", "", lang.L("the account's name (default: every account whose setting is trash or delete)"))
	dry := fs.Bool("dry-run", false, lang.L("only say what would go, change nothing"))
	cancelIt := fs.Bool("cancel", false, lang.L("keep the recordings whose permanent delete is waiting (all of the account's, or those given with -id)"))
	showLog := fs.Bool("log", false, lang.L("list every clean-up so far: what, when, which proof, the platform's answer"))
	set := fs.String("set", "", lang.L("change the account's setting for after the download: keep, trash or delete (needs -account)"))
	var ids stringList
	fs.Var(&ids, "id", lang.L("with -cancel: a recording id to keep (repeatable)"))
	fs.Usage = func() {
		fmt.Fprint(c.stderr, lang.L(cleanupUsage))
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		return c.fail(errors.New(lang.L(`unexpected "{{.Arg}}": give the account with -account NAME`, map[string]any{"Arg": fs.Arg(0)})))
	}
	if (*cancelIt || *set != "") && *name == "" {
		return c.fail(errors.New(lang.L("say which account with -account NAME")))
	}
	ctx, stop := signal.NotifyContext(context.Background(), stopSignals...)
	defer stop()
	b, err := openHeadless(c)
	if err != nil {
		return c.fail(err)
	}
	defer b.closeAll()
	store, err := cleanup.NewStore(b.db)
	if err != nil {
		return c.fail(err)
	}

	var list []accounts.Account
	if *name != "" {
		a, err := b.store.ByName(*name)
		if err != nil {
			return c.fail(err)
		}
		list = []accounts.Account{a}
	} else if list, err = b.store.List(); err != nil {
		return c.fail(err)
	}
	switch {
	case *showLog:
		return printCleanupLog(c, store, *name, list)
	case *set != "":
		return setCleanup(ctx, c, b, store, list[0], *set)
	case *cancelIt:
		return cancelCleanup(c, store, list[0], ids)
	}
	status := 0
	asked := 0
	for _, a := range list {
		if policyOf(a) == cleanup.Keep && *name == "" {
			continue
		}
		asked++
		if err := cleanAccount(ctx, c, b, store, a, *dry); err != nil {
			if ctx.Err() != nil {
				return c.stopped()
			}
			status = c.fail(err)
		}
	}
	if asked == 0 {
		fmt.Fprintln(c.stdout, lang.L("No account asks for a clean-up: each keeps its recordings on the platform. Choose with: cloudreel cleanup -account NAME -set trash|delete"))
	}
	return status
}

// policyOf is an account's setting; an unreadable one keeps everything.
func policyOf(a accounts.Account) cleanup.Policy {
	p, err := cleanup.ParsePolicy(a.Cleanup, a.Platform)
	if err != nil {
		return cleanup.Keep
	}
	return p
}

// cleanAccount plans and (unless dry) runs the clean-up of one account,
// printing what goes, what waits and what stays.
func cleanAccount(ctx context.Context, c *cliEnv, b *backend, store *cleanup.Store, a accounts.Account, dry bool) error {
	pol := policyOf(a)
	if pol == cleanup.Keep {
		fmt.Fprintln(c.stdout, lang.L("{{.Name}}: after a download, recordings are kept on {{.Platform}}; nothing is cleaned up.", map[string]any{"Name": a.Name, "Platform": a.Platform.Name()}),
			cleanup.Explain(a.Platform))
		return nil
	}
	jobs := b.queue.Jobs()
	mine := slices.DeleteFunc(slices.Clone(jobs), func(j queue.Job) bool { return j.AccountID != a.ID })
	if len(mine) == 0 {
		fmt.Fprintln(c.stdout, lang.L("{{.Name}}: nothing was downloaded through Cloudreel, so nothing is cleaned up.", map[string]any{"Name": a.Name}))
		return nil
	}
	listed, err := cleanup.ListedNow(ctx, func(ctx context.Context, q fetch.Query) iter.Seq2[fetch.Recording, error] {
		return b.store.Recordings(ctx, a, q)
	}, mine)
	if err != nil {
		return fmt.Errorf("%s: %w", lang.L("listing the recordings of {{.Name}} to check them before a clean-up", map[string]any{"Name": a.Name}), err)
	}
	cl := &cleanup.Cleaner{Store: store}
	plan, err := cl.Plan(cleanup.Account{ID: a.ID, Name: a.Name, Platform: a.Platform, Policy: pol}, mine, listed)
	if err != nil {
		return err
	}
	now := time.Now()
	for _, s := range plan.Waiting {
		fmt.Fprintln(c.stdout, lang.L(`{{.Name}}: "{{.Title}}" is deleted permanently on {{.Day}} ({{.Countdown}}); to keep it: cloudreel cleanup -account "{{.Name}}" -cancel -id {{.ID}}`,
			map[string]any{"Name": a.Name, "Title": s.Title, "Day": cleanup.Day(s.Due, now), "Countdown": cleanup.Countdown(s.Due, now), "ID": s.RecordingID}))
	}
	for _, bl := range plan.Blocked {
		fmt.Fprintln(c.stdout, lang.L(`{{.Name}}: "{{.Title}}" stays on {{.Platform}}: {{.Reason}}.`, map[string]any{"Name": a.Name, "Title": bl.Title, "Platform": a.Platform.Name(), "Reason": bl.Reason}))
	}
	if plan.Empty() {
		if len(plan.Waiting) == 0 {
			fmt.Fprintln(c.stdout, lang.L("{{.Name}}: nothing to clean up now.", map[string]any{"Name": a.Name}))
		}
		return nil
	}
	if dry {
		if len(plan.Go) > 0 {
			fmt.Fprintln(c.stdout, lang.L("Would go: {{.Summary}}.", map[string]any{"Summary": cleanup.Summary(plan.Go, a.Platform, plan.Mode, now, now)}))
		}
		if len(plan.Schedule) > 0 {
			fmt.Fprintln(c.stdout, lang.L("Would be scheduled: {{.Summary}}.", map[string]any{"Summary": cleanup.Summary(plan.Schedule, a.Platform, plan.Mode, plan.Due, now)}))
		}
		return nil
	}
	conn, err := b.store.Connector(ctx, a)
	if err != nil {
		return err
	}
	deleter, _ := conn.(fetch.Deleter)
	if len(plan.Go) > 0 {
		fmt.Fprintln(c.stdout, lang.L("Cleaning up: {{.Summary}}.", map[string]any{"Summary": cleanup.Summary(plan.Go, a.Platform, plan.Mode, now, now)}))
	}
	res, err := cl.Run(ctx, plan, deleter)
	if len(res.Scheduled) > 0 {
		fmt.Fprintln(c.stdout, lang.L(`Scheduled: {{.Summary}} ({{.Countdown}}). To keep them: cloudreel cleanup -account "{{.Name}}" -cancel`,
			map[string]any{"Summary": cleanup.Summary(res.Scheduled, a.Platform, plan.Mode, plan.Due, now), "Countdown": cleanup.Countdown(plan.Due, now), "Name": a.Name}))
	}
	for _, it := range res.Done {
		fmt.Fprintln(c.stdout, lang.L(`{{.Name}}: "{{.Title}}" is off {{.Platform}}.`, map[string]any{"Name": a.Name, "Title": it.Title, "Platform": a.Platform.Name()}))
	}
	for _, f := range res.Failed {
		fmt.Fprintln(c.stdout, lang.L(`{{.Name}}: "{{.Title}}" was not cleaned up, and nothing was changed: {{.Reason}}`, map[string]any{"Name": a.Name, "Title": f.Title, "Reason": f.Reason}))
	}
	switch {
	case err != nil:
		return err
	case res.Wait > 0:
		return errors.New(lang.L("{{.Platform}} asked Cloudreel to slow down; nothing more was changed. Run the same command again in {{.Wait}}",
			map[string]any{"Platform": a.Platform.Name(), "Wait": fetch.SpokenDuration(res.Wait)}))
	case len(res.Failed) > 0:
		return errors.New(lang.N("{{.Count}} of {{.Total}} recordings of {{.Name}} were not cleaned up", len(plan.Go),
			map[string]any{"Count": len(res.Failed), "Total": len(plan.Go), "Name": a.Name}))
	}
	return nil
}

// cancelCleanup keeps the recordings whose permanent delete is waiting.
func cancelCleanup(c *cliEnv, store *cleanup.Store, a accounts.Account, ids []string) int {
	waiting, err := store.Scheduled(a.ID)
	if err != nil {
		return c.fail(err)
	}
	kept := 0
	for _, s := range waiting {
		if s.Canceled || (len(ids) > 0 && !slices.Contains(ids, s.RecordingID)) {
			continue
		}
		if err := store.Cancel(a.ID, s.RecordingID, time.Now()); err != nil {
			return c.fail(err)
		}
		fmt.Fprintln(c.stdout, lang.L(`{{.Name}}: "{{.Title}}" is kept; it will not be deleted.`, map[string]any{"Name": a.Name, "Title": s.Title}))
		kept++
	}
	if kept == 0 {
		if len(ids) > 0 {
			return c.fail(errors.New(lang.L("no delete of {{.Name}} is waiting for those recordings", map[string]any{"Name": a.Name})))
		}
		return c.fail(errors.New(lang.L("no delete of {{.Name}} is waiting", map[string]any{"Name": a.Name})))
	}
	return 0
}

// setCleanup changes an account's setting for after the download. A new
// setting forgets the deletes scheduled (or cancelled) under the old one.
func setCleanup(ctx context.Context, c *cliEnv, b *backend, store *cleanup.Store, a accounts.Account, value string) int {
	pol, err := cleanup.ParsePolicy(value, a.Platform)
	if err != nil {
		return c.fail(err)
	}
	a.Cleanup = string(pol)
	if err := b.store.Update(ctx, a, ""); err != nil {
		return c.fail(err)
	}
	if err := store.Forget(a.ID); err != nil {
		return c.fail(err)
	}
	fmt.Fprintln(c.stdout, lang.L("{{.Name}}: after a recording is downloaded and verified, {{.Policy}}.", map[string]any{"Name": a.Name, "Policy": policyWords(pol)}))
	return 0
}

// policyWords says what a policy does, for the commands.
func policyWords(p cleanup.Policy) string {
	switch p {
	case cleanup.MoveToTrash:
		return lang.L("Cloudreel moves it to the platform's trash (run cloudreel cleanup, or download -cleanup)")
	case cleanup.Delete:
		days := int(cleanup.DefaultGrace / (24 * time.Hour))
		return lang.N("Cloudreel deletes it permanently, {{.Count}} days after scheduling it, unless you cancel (run cloudreel cleanup, or download -cleanup)", days, map[string]any{"Count": days})
	}
	return lang.L("Cloudreel keeps it on the platform")
}

// cleanAfterDownload is download -cleanup: the account's clean-up, when
// its setting asks for one.
func cleanAfterDownload(ctx context.Context, c *cliEnv, b *backend, a accounts.Account) error {
	store, err := cleanup.NewStore(b.db)
	if err != nil {
		return err
	}
	return cleanAccount(ctx, c, b, store, a, false)
}

// printCleanupLog lists the clean-up log (of one account with -account):
// when, which account, what, what became of it, which proof showed its
// files whole, and what the platform answered.
func printCleanupLog(c *cliEnv, store *cleanup.Store, name string, list []accounts.Account) int {
	entries, err := store.Log()
	if err != nil {
		return c.fail(err)
	}
	shown := 0
	for _, e := range entries {
		if name != "" && e.AccountID != list[0].ID {
			continue
		}
		proofs := map[string]bool{}
		var said []string
		for _, f := range e.Files {
			if s := f.Proof.Sentence(e.Platform); !proofs[s] {
				proofs[s] = true
				said = append(said, s)
			}
		}
		line := fmt.Sprintf("%s  %s  %q (%s, %s)  %s", locale.Now().DateTime(e.At.Local()), e.AccountName, e.Title,
			e.RecordingID, locale.Now().Bytes(e.Size), e.Outcome.Words())
		if e.Outcome == cleanup.Planned {
			line = locale.Sentences(line, lang.L("for {{.Day}}", map[string]any{"Day": cleanup.Day(e.Due, time.Now())}))
		}
		line += "; " + strings.Join(said, ", ")
		if e.Answer != "" {
			line += "; " + e.Platform.Name() + ": " + e.Answer
		}
		fmt.Fprintln(c.stdout, line)
		shown++
	}
	if shown == 0 {
		fmt.Fprintln(c.stdout, lang.L("Nothing has been cleaned up yet."))
	}
	return 0
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2/lang"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/locale"
	"cloudreel/fetch/power"
	"cloudreel/fetch/queue"
	"cloudreel/fetch/syncer"
)

const syncUsage = `Keep accounts in sync: every new recording ends up in a folder.

  cloudreel sync -account NAME -set [-folder DIR] [-kinds video,audio,...] [-since 30d] [-every 1h]
                 keep an account in sync (again -set changes only the flags given)
  cloudreel sync -account NAME -off      stop keeping it in sync
  cloudreel sync -list                   show the accounts kept in sync
  cloudreel sync [-account NAME ...] -once
                 look once, download what is new, exit 0 only when every new file is whole
                 (for cron, systemd timers and the Task Scheduler)
  cloudreel sync [-account NAME ...]     look at each account on its interval until Ctrl+C
  -when-done sleep|shutdown|notify       with -once or the loop: once every new file is whole
                 and nothing else downloads, put the computer to sleep or shut it down
                 after a 60-second countdown (Ctrl+C cancels it)
  cloudreel sync -install [-every 1h] [-no-activate]
                 run "sync -once" on a schedule: a systemd user timer (Linux),
                 a Task Scheduler task (Windows)
  cloudreel sync -uninstall [-no-activate]

Kinds: video, audio, screen (the shared screen), transcript (also captions and chat),
participant (one person's own files), or all (the default).

`

// syncClock and syncWait are the long-running sync's clock and its wait
// between looks; tests replace them.
var (
	syncClock = time.Now
	syncWait  = func(ctx context.Context, d time.Duration) bool {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
			return true
		}
	}
)

// syncFlags are what `cloudreel sync` was given.
type syncFlags struct {
	names                          stringList
	once, set, off, list           bool
	install, uninstall, noActivate bool
	folder, kinds, since, every    string
	whenDone                       whenDoneFlag
	given                          map[string]bool
}

// runSync keeps accounts in sync (see syncUsage).
func runSync(c *cliEnv, args []string) int {
	// Before anything is opened or printed: a Ctrl+C from the first
	// moment on stops the command cleanly.
	ctx, cancel := signal.NotifyContext(context.Background(), stopSignals...)
	defer cancel()
	return syncWith(ctx, c, args)
}

// syncWith is runSync under ctx, which ends the command.
func syncWith(ctx context.Context, c *cliEnv, args []string) int {
	fs := c.flags("sync")
	var f syncFlags
	fs.Var(&f.names, "account", lang.L("an account's name (repeatable); default: every account kept in sync"))
	fs.BoolVar(&f.once, "once", false, lang.L("look once and download what is new, then exit"))
	fs.BoolVar(&f.set, "set", false, lang.L("keep the -account in sync with -folder, -kinds, -since and -every"))
	fs.BoolVar(&f.off, "off", false, lang.L("stop keeping the -account in sync"))
	fs.BoolVar(&f.list, "list", false, lang.L("show the accounts kept in sync"))
	fs.StringVar(&f.folder, "folder", "", lang.L("with -set: the folder new recordings go to (default: your Videos folder)"))
	fs.StringVar(&f.kinds, "kinds", "", lang.L("with -set: the kinds of file, comma-separated (default: all)"))
	fs.StringVar(&f.since, "since", "", lang.L("with -set: how far back the first look reaches, e.g. 30d (the default)"))
	fs.StringVar(&f.every, "every", "", lang.L("with -set: how often to look, e.g. 1h (the default); with -install: how often the schedule runs"))
	fs.BoolVar(&f.install, "install", false, lang.L("run sync -once on a schedule (systemd user timer, Windows Task Scheduler)"))
	fs.BoolVar(&f.uninstall, "uninstall", false, lang.L("remove the schedule that -install made"))
	fs.Var(&f.whenDone, "when-done", lang.L("with -once or the loop: {{.Usage}}", map[string]any{"Usage": lang.L(whenDoneUsage)}))
	fs.BoolVar(&f.noActivate, "no-activate", false, lang.L("with -install or -uninstall: only write or remove the files, do not tell systemctl or schtasks"))
	fs.Usage = func() { fmt.Fprint(c.stderr, lang.L(syncUsage)); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		return c.fail(errors.New(lang.L(`sync takes no "{{.Arg}}": give account names with -account`, map[string]any{"Arg": fs.Arg(0)})))
	}
	f.given = map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { f.given[fl.Name] = true })
	modes := 0
	for _, on := range []bool{f.set, f.off, f.list, f.install, f.uninstall} {
		if on {
			modes++
		}
	}
	if modes > 1 || (modes == 1 && f.once) {
		return c.fail(errors.New(lang.L("give only one of -set, -off, -list, -install, -uninstall and -once")))
	}
	if modes == 1 && f.given["when-done"] {
		return c.fail(errors.New("-when-done goes with -once or the loop, not with -set, -off, -list, -install or -uninstall"))
	}
	if !f.set && (f.given["folder"] || f.given["kinds"] || f.given["since"] || (f.given["every"] && !f.install)) {
		return c.fail(errors.New(lang.L("-folder, -kinds, -since and -every go with -set (and -every with -install)")))
	}

	b, err := openHeadless(c)
	if err != nil {
		return c.fail(err)
	}
	defer b.closeAll()
	s, err := newSyncer(b, func() time.Time { return syncClock() })
	if err != nil {
		return c.fail(err)
	}
	switch {
	case f.set:
		return syncSet(c, b, s, f)
	case f.off:
		return syncOff(c, b, s, f)
	case f.list:
		return syncList(c, b, s)
	case f.install, f.uninstall:
		return syncSchedule(c, b.dir, s, f)
	}
	targets, err := syncTargets(b, s, f.names)
	if err != nil {
		return c.fail(err)
	}
	if f.once {
		return syncOnce(ctx, c, b, s, targets, f.whenDone.action)
	}
	return syncLoop(ctx, c, b, s, targets, f.whenDone.action)
}

// newSyncer is the syncer on the backend's store and queue, listing
// through the accounts.
func newSyncer(b *backend, now func() time.Time) (*syncer.Syncer, error) {
	return syncer.New(syncer.Options{DB: b.db, Downloads: b.queue, Now: func() time.Time { return now() },
		List: func(ctx context.Context, id string, q fetch.Query) iter.Seq2[fetch.Recording, error] {
			a, err := b.store.Get(id)
			if err != nil {
				return func(yield func(fetch.Recording, error) bool) { yield(fetch.Recording{}, err) }
			}
			return b.store.Recordings(ctx, a, q)
		}})
}

// syncTarget is an account kept in sync and its settings.
type syncTarget struct {
	account  accounts.Account
	settings syncer.Settings
}

func (t syncTarget) ref() syncer.Account {
	return syncer.Account{ID: t.account.ID, Name: t.account.Name, Platform: t.account.Platform}
}

// syncTargets are the named accounts, or every account kept in sync.
func syncTargets(b *backend, s *syncer.Syncer, names []string) ([]syncTarget, error) {
	var out []syncTarget
	if len(names) > 0 {
		for _, n := range names {
			a, err := b.store.ByName(n)
			if err != nil {
				return nil, err
			}
			set, err := s.Settings(a.ID)
			if errors.Is(err, syncer.ErrNotSet) {
				return nil, errors.New(lang.L(`{{.Name}} is not kept in sync: set it with cloudreel sync -account "{{.Name}}" -set -folder DIR`, map[string]any{"Name": a.Name}))
			}
			if err != nil {
				return nil, err
			}
			out = append(out, syncTarget{a, set})
		}
		return out, nil
	}
	all, err := s.All()
	if err != nil {
		return nil, err
	}
	list, err := b.store.List()
	if err != nil {
		return nil, err
	}
	for _, a := range list {
		if set, ok := all[a.ID]; ok {
			out = append(out, syncTarget{a, set})
		}
	}
	if len(out) == 0 {
		return nil, errors.New(lang.L("no account is kept in sync: set one with cloudreel sync -account NAME -set -folder DIR"))
	}
	return out, nil
}

// syncOnce looks at every target once and downloads what is new (and
// what an earlier sync left unfinished). Exit status 0 only when every
// such file is whole on disk and every look worked.
func syncOnce(ctx context.Context, c *cliEnv, b *backend, s *syncer.Syncer, targets []syncTarget, action power.Action) int {
	var ids []string
	lookFailed := 0
	for _, t := range targets {
		l, err := s.Look(ctx, t.ref())
		if ctx.Err() != nil {
			return c.stopped()
		}
		if err != nil {
			lookFailed = c.fail(err)
			continue
		}
		fmt.Fprintln(c.stdout, lookLine(t.account.Name, l))
		ids = append(ids, l.JobIDs()...)
	}
	if len(ids) == 0 {
		return lookFailed
	}
	rep, err := queue.RunHeadless(ctx, b.queue, ids, c.stdout, isTerminal(c.stdout))
	fmt.Fprintln(c.stdout, summary(rep))
	switch {
	case ctx.Err() != nil:
		return c.stopped()
	case err != nil:
		return c.fail(err)
	case rep.Halted != "":
		return c.fail(errors.New(rep.Halted))
	case !rep.OK():
		return c.fail(errors.New(lang.N("{{.Count}} of {{.Total}} files are not whole on disk; the next sync tries them again", len(ids),
			map[string]any{"Count": rep.NotWhole(), "Total": len(ids)})))
	}
	if lookFailed == 0 {
		if err := whenDone(ctx, c.stdout, isTerminal(c.stdout), action, b.queue, rep, syncFolders(targets)); err != nil && !errors.Is(err, power.ErrCanceled) {
			return c.fail(err)
		}
	}
	return lookFailed
}

// syncLoop looks at each target on its own interval, downloading what
// each look finds before the next, until ctx ends (Ctrl+C, SIGTERM).
// What is unfinished then continues at the next sync.
func syncLoop(ctx context.Context, c *cliEnv, b *backend, s *syncer.Syncer, targets []syncTarget, action power.Action) int {
	out, errs := &lockedWriter{w: c.stdout}, &lockedWriter{w: c.stderr}
	b.queue.Start(ctx)
	var wg sync.WaitGroup
	for _, t := range targets {
		wg.Go(func() {
			for {
				began := syncClock()
				l, err := s.Look(ctx, t.ref())
				switch {
				case ctx.Err() != nil:
					return
				case err != nil:
					// The loop goes on: the next look may work.
					fmt.Fprintln(errs, "cloudreel:", fetch.Redact(fetch.Plain(err)))
				default:
					fmt.Fprintln(out, lookLine(t.account.Name, l))
					if ids := l.JobIDs(); len(ids) > 0 {
						rep, _ := queue.RunHeadless(ctx, b.queue, ids, out, false)
						if ctx.Err() != nil {
							return
						}
						fmt.Fprintf(out, "%s: %s\n", t.account.Name, summary(rep))
						// Ctrl+C cancels the countdown and, as ever, ends the loop.
						if err := whenDone(ctx, out, false, action, b.queue, rep, t.settings.Folder); err != nil && !errors.Is(err, power.ErrCanceled) {
							fmt.Fprintln(errs, "cloudreel:", fetch.Plain(err))
						}
					}
				}
				next := began.Add(t.settings.Every)
				fmt.Fprintln(out, lang.L("{{.Name}}: next look at {{.When}}", map[string]any{"Name": t.account.Name, "When": locale.Now().DateTime(next.Local())}))
				if !syncWait(ctx, max(next.Sub(syncClock()), 0)) {
					return
				}
			}
		})
	}
	wg.Wait()
	fmt.Fprintln(c.stdout, lang.L("Stopped; what was not downloaded yet continues at the next sync."))
	return 0
}

// lookLine says what a look found, e.g. "Office: 3 new files (looked
// from 2026-03-01 to 2026-03-10)".
func lookLine(name string, l syncer.Look) string {
	var parts []string
	if n := len(l.New); n == 0 {
		parts = append(parts, lang.L("nothing new"))
	} else {
		parts = append(parts, lang.N("{{.Count}} new files", n, map[string]any{"Count": n}))
	}
	if n := len(l.Again); n > 0 {
		parts = append(parts, lang.L("{{.Count}} from an earlier sync not downloaded yet", map[string]any{"Count": n}))
	}
	if l.Pending > 0 {
		parts = append(parts, lang.L("{{.Count}} still being processed by the platform", map[string]any{"Count": l.Pending}))
	}
	return lang.L("{{.Name}}: {{.Found}} (looked from {{.From}} to {{.To}})", map[string]any{"Name": name, "Found": strings.Join(parts, lang.L(", ")),
		"From": locale.Now().Date(l.Query.From), "To": locale.Now().Date(l.Query.To)})
}

// lockedWriter lets the loop's accounts write whole lines side by side.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// syncSet keeps the -account(s) in sync; flags not given keep their
// earlier values.
func syncSet(c *cliEnv, b *backend, s *syncer.Syncer, f syncFlags) int {
	if len(f.names) == 0 {
		return c.fail(errors.New(lang.L("say which account with -account NAME")))
	}
	for _, n := range f.names {
		a, err := b.store.ByName(n)
		if err != nil {
			return c.fail(err)
		}
		set, err := s.Settings(a.ID)
		if err != nil && !errors.Is(err, syncer.ErrNotSet) {
			return c.fail(err)
		}
		if errors.Is(err, syncer.ErrNotSet) {
			set = syncer.Settings{Folder: videosFolder()}
		}
		if f.given["folder"] {
			// Kept absolute: a scheduled sync runs from another folder.
			if set.Folder, err = filepath.Abs(f.folder); err != nil || strings.TrimSpace(f.folder) == "" {
				return c.fail(errors.New(lang.L(`"{{.Path}}" is not a folder Cloudreel can use`, map[string]any{"Path": f.folder})))
			}
		}
		if f.given["kinds"] {
			if set.Kinds, err = syncer.ParseKinds(f.kinds); err != nil {
				return c.fail(err)
			}
		}
		for _, span := range []struct {
			name string
			to   *time.Duration
			text string
		}{{"since", &set.Since, f.since}, {"every", &set.Every, f.every}} {
			if f.given[span.name] {
				if *span.to, err = syncer.ParseSpan(span.text); err != nil {
					return c.fail(fmt.Errorf("-%s: %w", span.name, err))
				}
			}
		}
		if st, err := os.Stat(set.Folder); err == nil && !st.IsDir() {
			return c.fail(errors.New(lang.L("{{.Path}} is a file, not a folder: give -folder a folder", map[string]any{"Path": set.Folder})))
		}
		if err := s.Set(a.ID, set); err != nil {
			return c.fail(err)
		}
		set, _ = s.Settings(a.ID)
		fmt.Fprintln(c.stdout, lang.L("{{.Name}} is kept in sync: {{.Settings}}", map[string]any{"Name": a.Name, "Settings": describeSync(set)}))
	}
	return 0
}

// describeSync says an account's settings in one line.
func describeSync(set syncer.Settings) string {
	kinds := lang.L("every kind of file")
	if len(set.Kinds) < len(syncer.Kinds) {
		words := make([]string, len(set.Kinds))
		for i, k := range set.Kinds {
			words[i] = string(k)
		}
		kinds = strings.Join(words, ", ")
	}
	return lang.L("{{.Kinds}} into {{.Folder}}, looking every {{.Every}}, the first look reaching back {{.Since}}",
		map[string]any{"Kinds": kinds, "Folder": set.Folder, "Every": syncer.FormatSpan(set.Every), "Since": syncer.FormatSpan(set.Since)})
}

func syncOff(c *cliEnv, b *backend, s *syncer.Syncer, f syncFlags) int {
	if len(f.names) == 0 {
		return c.fail(errors.New(lang.L("say which account with -account NAME")))
	}
	for _, n := range f.names {
		a, err := b.store.ByName(n)
		if err != nil {
			return c.fail(err)
		}
		if err := s.Stop(a.ID); err != nil {
			if errors.Is(err, syncer.ErrNotSet) {
				return c.fail(errors.New(lang.L("{{.Name}} was not kept in sync", map[string]any{"Name": a.Name})))
			}
			return c.fail(err)
		}
		fmt.Fprintln(c.stdout, lang.L("{{.Name}} is no longer kept in sync; its downloads stay.", map[string]any{"Name": a.Name}))
	}
	return 0
}

func syncList(c *cliEnv, b *backend, s *syncer.Syncer) int {
	all, err := s.All()
	if err != nil {
		return c.fail(err)
	}
	list, err := b.store.List()
	if err != nil {
		return c.fail(err)
	}
	list = slices.DeleteFunc(list, func(a accounts.Account) bool { _, ok := all[a.ID]; return !ok })
	if len(list) == 0 {
		fmt.Fprintln(c.stdout, lang.L("No account is kept in sync: set one with cloudreel sync -account NAME -set -folder DIR"))
		return 0
	}
	for _, a := range list {
		line := fmt.Sprintf("%s (%s): %s", a.Name, a.Platform.Name(), describeSync(all[a.ID]))
		if last, err := s.LastLook(a.ID); err == nil && !last.IsZero() {
			line += lang.L("; new recordings last found {{.When}}", map[string]any{"When": locale.Now().DateTime(last.Local())})
		}
		fmt.Fprintln(c.stdout, line)
	}
	return 0
}

// syncFolders names the folders of the accounts synced, for -when-done's
// line.
func syncFolders(targets []syncTarget) string {
	var folders []string
	for _, t := range targets {
		if !slices.Contains(folders, t.settings.Folder) {
			folders = append(folders, t.settings.Folder)
		}
	}
	return strings.Join(folders, ", ")
}

package cleanup

import (
	"context"
	"errors"
	"io/fs"
	"slices"
	"time"

	"fyne.io/fyne/v2/lang"

	"cloudreel/fetch"
	"cloudreel/fetch/locale"
	"cloudreel/fetch/queue"
)

// DefaultGrace is how long a permanent delete waits, cancellable.
const DefaultGrace = 7 * 24 * time.Hour

// Account is the account a clean-up runs for, with its policy.
type Account struct {
	ID       string
	Name     string
	Platform fetch.Platform
	Policy   Policy
}

// Cleaner plans and runs clean-ups. Store is required.
type Cleaner struct {
	Store *Store
	// Verified says which proof showed a job's file whole (default
	// JobProof, the proof the queue stored).
	Verified Verifier
	// Grace is how long a permanent delete waits (default DefaultGrace).
	Grace time.Duration
	// Now and Stat default to time.Now and os.Stat (tests change them).
	Now  func() time.Time
	Stat func(string) (fs.FileInfo, error)
}

func (c *Cleaner) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Cleaner) grace() time.Duration {
	if c.Grace > 0 {
		return c.Grace
	}
	return DefaultGrace
}

// Plan is what a clean-up of one account would do.
type Plan struct {
	Account Account
	Mode    fetch.DeleteMode // "" when the policy keeps everything
	// Go are the recordings that go in this run: every one for trash,
	// and the permanent deletes whose grace period has ended.
	Go []Item
	// Schedule are permanent deletes this run schedules, due on Due.
	Schedule []Item
	Due      time.Time
	// Waiting are permanent deletes scheduled earlier, not yet due.
	Waiting []Scheduled
	// Blocked are the downloaded recordings that stay, and why.
	Blocked []Blocked
}

// Empty reports whether the plan does nothing at all.
func (p Plan) Empty() bool { return len(p.Go) == 0 && len(p.Schedule) == 0 }

// Plan looks at an account's jobs (every job of the queue may be passed)
// and says what a clean-up would do. listed is what the platform lists
// now, by recording id, for the recordings concerned: a recording is
// cleaned only when every file it lists was downloaded and verified. Nil
// skips that check (use it only when the listing cannot be had; the
// commands always list).
func (c *Cleaner) Plan(a Account, jobs []queue.Job, listed map[string]fetch.Recording) (Plan, error) {
	p := Plan{Account: a}
	mode, ok := a.Policy.Mode()
	if !ok {
		return p, nil
	}
	if !slices.Contains(a.Platform.DeleteModes(), mode) {
		return p, errors.New(NotOffered(a.Platform, a.Policy))
	}
	p.Mode = mode
	now := c.now()
	p.Due = now.Add(c.grace())
	stat := c.Stat
	if stat == nil {
		stat = osStat
	}
	verified := c.Verified
	if verified == nil {
		verified = JobProof
	}
	groups := candidates(a.ID, jobs)
	ids := make([]string, 0, len(groups))
	for id := range groups {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if _, done := c.Store.gone(a.ID, id); done {
			// Trashed or deleted before (or recovered by the person
			// since, from Zoom's trash): not this run's business.
			continue
		}
		it, reason := judge(groups[id], listed, verified, stat)
		sc, scheduled := c.Store.scheduled(a.ID, id)
		switch {
		case scheduled && sc.Canceled:
			p.Blocked = append(p.Blocked, Blocked{it, lang.L("its delete was cancelled")})
		case reason != "":
			p.Blocked = append(p.Blocked, Blocked{it, reason})
		case mode == fetch.Trash:
			p.Go = append(p.Go, it)
		case !scheduled:
			p.Schedule = append(p.Schedule, it)
		case !now.Before(sc.Due):
			p.Go = append(p.Go, it)
		default:
			p.Waiting = append(p.Waiting, sc)
		}
	}
	return p, nil
}

// Result is what a run did.
type Result struct {
	Done      []Item // trashed or deleted, or already gone
	Scheduled []Item // permanent deletes now waiting until Plan.Due
	Failed    []Blocked
	// Wait, when the platform asked Cloudreel to slow down, is how long;
	// the recordings not reached are left for the next run.
	Wait time.Duration
}

// Run carries out a plan with d, the account's connector: it schedules
// the permanent deletes that are new, and trashes or deletes the
// recordings that go, logging every step. A failed step changes nothing,
// in the cloud or on disk; "already gone" counts as done; a rate limit
// stops the run (the rest waits for the next one). Run judges nothing:
// make the plan right before.
func (c *Cleaner) Run(ctx context.Context, p Plan, d fetch.Deleter) (Result, error) {
	var res Result
	a := p.Account
	if p.Mode == "" {
		return res, nil
	}
	entry := func(it Item, o Outcome) Entry {
		return Entry{At: c.now(), AccountID: a.ID, AccountName: a.Name, Platform: a.Platform, RecordingID: it.RecordingID,
			Title: it.Title, Size: it.Size, Mode: p.Mode, Files: it.Files, Outcome: o}
	}
	for _, it := range p.Schedule {
		sc := Scheduled{AccountID: a.ID, AccountName: a.Name, Platform: a.Platform, RecordingID: it.RecordingID,
			Title: it.Title, Size: it.Size, Files: it.Files, At: c.now(), Due: p.Due}
		e := entry(it, Planned)
		e.Due = p.Due
		if err := c.Store.write(sc, false, e); err != nil {
			return res, err
		}
		res.Scheduled = append(res.Scheduled, it)
	}
	for _, it := range p.Go {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		if d == nil {
			return res, errors.New(NotOffered(a.Platform, a.Policy))
		}
		err := d.Delete(ctx, it.RecordingID, p.Mode)
		e := entry(it, Deleted)
		if p.Mode == fetch.Trash {
			e.Outcome = Trashed
		}
		var fe *fetch.Error
		switch {
		case err == nil:
			e.Answer = lang.L("done")
		case fetch.KindOf(err) == fetch.KindNotFound:
			e.Outcome, e.Answer = AlreadyGone, fetch.Redact(fetch.Plain(err))
		case fetch.KindOf(err) == fetch.KindRateLimited && errors.As(err, &fe):
			// Nothing changed; the rest is for the next run, not logged
			// as a failure of each.
			res.Wait = max(fe.Retry, time.Minute)
			return res, nil
		case ctx.Err() != nil:
			return res, ctx.Err()
		default:
			e.Outcome, e.Answer = Failed, fetch.Redact(fetch.Plain(err))
		}
		// A permanent delete done (or found done) leaves the schedule; a
		// failed one stays scheduled, for the next run to try again.
		var done Scheduled
		if e.Outcome != Failed && p.Mode == fetch.DeleteForever {
			done = Scheduled{AccountID: a.ID, RecordingID: it.RecordingID}
		}
		if err := c.Store.write(done, true, e); err != nil {
			return res, err
		}
		if e.Outcome == Failed {
			res.Failed = append(res.Failed, Blocked{it, e.Answer})
			continue
		}
		res.Done = append(res.Done, it)
	}
	return res, nil
}

// Summary is the confirmation's sentence of what will go: "12
// recordings, 4.2 GB, from IBM Video Streaming, permanently, on 9
// December"; for the trash, "…, to the trash, now".
func Summary(items []Item, p fetch.Platform, mode fetch.DeleteMode, when, now time.Time) string {
	var size int64
	for _, it := range items {
		size += it.Size
	}
	data := map[string]any{"Count": len(items), "Size": locale.Now().Bytes(size), "Platform": p.Name(), "Day": Day(when, now)}
	switch {
	case mode != fetch.DeleteForever:
		return lang.N("{{.Count}} recordings, {{.Size}}, from {{.Platform}}, to the trash, now", len(items), data)
	case !when.After(now):
		return lang.N("{{.Count}} recordings, {{.Size}}, from {{.Platform}}, permanently, now", len(items), data)
	}
	return lang.N("{{.Count}} recordings, {{.Size}}, from {{.Platform}}, permanently, on {{.Day}}", len(items), data)
}

// Day writes a date as people say it, "9 December", with the year when it
// is not now's, in the language spoken (locale's Day, which the window uses).
func Day(t, now time.Time) string { return locale.Now().Day(t, now) }

// Countdown says how long until t, in whole days or hours: "in 6 days",
// "in 5 hours", "now".
func Countdown(t, now time.Time) string {
	d := t.Sub(now)
	switch {
	case d <= 0:
		return lang.L("now")
	case d >= 48*time.Hour:
		n := int((d + 12*time.Hour) / (24 * time.Hour))
		return lang.N("in {{.Count}} days", n, map[string]any{"Count": n})
	case d >= 2*time.Hour:
		n := int((d + 30*time.Minute) / time.Hour)
		return lang.N("in {{.Count}} hours", n, map[string]any{"Count": n})
	}
	return lang.L("in {{.Duration}}", map[string]any{"Duration": locale.Now().Duration(d.Round(time.Minute))})
}

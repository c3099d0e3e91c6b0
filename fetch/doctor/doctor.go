// Package doctor checks one account against its platform the way a
// download would, step by step (sign in, list recent recordings, ask for
// one file's link without downloading it), and writes a report in plain
// words that a person can send to their IT staff or to Cloudreel's
// makers: which step failed and why, and each request with the shape of
// each answer (field names, JSON types, list lengths) with every value
// taken out, so that it carries no secret, token, title or name.
package doctor

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"cloudreel/fetch"
)

// Outcome is how a step ended.
type Outcome int

// The outcomes of a step.
const (
	Skipped Outcome = iota // not tried, since an earlier step failed
	Worked
	Failed
)

// Step is one step of a check and the requests it made.
type Step struct {
	Name    string
	Outcome Outcome
	// Says is what happened, in plain words.
	Says string
	// Kind is the kind of error a failed step ended in.
	Kind      fetch.ErrorKind
	Exchanges []Exchange
}

// Report is the outcome of a check of one account.
type Report struct {
	Platform fetch.Platform
	Host     string // the server's host, without path or query
	Version  string // Cloudreel's
	At       time.Time
	Steps    []Step
}

// Failed returns the first step that did not work.
func (r *Report) Failed() (Step, bool) {
	for _, s := range r.Steps {
		if s.Outcome == Failed {
			return s, true
		}
	}
	return Step{}, false
}

// Check is what a check needs to know about the account.
type Check struct {
	Platform fetch.Platform
	// Server is the account's server address (empty: the platform's
	// default); the report gives only its host.
	Server  string
	Version string
	// Connect builds the account's connector with its HTTP transport
	// wrapped by wrap (accounts.Store.ConnectorThrough).
	Connect func(ctx context.Context, wrap func(http.RoundTripper) http.RoundTripper) (fetch.Connector, error)
	// Explain says what a failed sign-in means (accounts.Explain knows
	// each platform's words for its credentials); default fetch.Plain.
	Explain func(error) string
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// The step names, as the report shows them.
const (
	StepSignIn = "Sign in"
	StepList   = "List recent recordings"
	StepLink   = "Ask for one file's download link"
)

// ranges are the recent ranges the list step looks in, the second only
// when the first holds no recording with files.
var ranges = []struct {
	days int
	says string
}{{30, "the last 30 days"}, {365, "the last year"}}

// maxLooked is how many recordings the list step looks at for one with
// files before it stops.
const maxLooked = 5

// Run checks the account and returns the report. It never downloads a
// file.
func Run(ctx context.Context, chk Check) *Report {
	now := time.Now
	if chk.Now != nil {
		now = chk.Now
	}
	explain := chk.Explain
	if explain == nil {
		explain = fetch.Plain
	}
	rep := &Report{Platform: chk.Platform, Host: host(chk.Server), Version: chk.Version, At: now().UTC()}
	rec := &Recorder{}
	done := func(s Step) { s.Exchanges = rec.Take(); rep.Steps = append(rep.Steps, s) }
	skip := func(names ...string) {
		for _, n := range names {
			rep.Steps = append(rep.Steps, Step{Name: n, Outcome: Skipped, Says: "Not tried, since the step before did not work."})
		}
	}

	c, err := chk.Connect(ctx, rec.Wrap)
	if err == nil {
		err = c.Check(ctx)
	}
	if err != nil {
		done(failed(StepSignIn, err, explain(err)))
		skip(StepList, StepLink)
		return rep
	}
	done(Step{Name: StepSignIn, Outcome: Worked, Says: "Signed in."})

	file, says, err := firstFile(ctx, c, now())
	if err != nil {
		done(failed(StepList, err, fetch.Plain(err)))
		skip(StepLink)
		return rep
	}
	done(Step{Name: StepList, Outcome: Worked, Says: says})
	if file == nil {
		rep.Steps = append(rep.Steps, Step{Name: StepLink, Outcome: Skipped, Says: "Not tried: there is no recording with files to ask about."})
		return rep
	}

	src, err := c.Resolve(ctx, *file)
	switch {
	case fetch.KindOf(err) == fetch.KindPreparing:
		done(Step{Name: StepLink, Outcome: Worked, Says: "The platform is still preparing the file for download, as it does before the first download; Cloudreel asks again by itself, so this is no fault."})
	case err != nil:
		done(failed(StepLink, err, fetch.Plain(err)))
	default:
		says := "The platform gave a download link (the file was not downloaded)."
		if !src.Expires.IsZero() {
			says = fmt.Sprintf("The platform gave a download link that lasts %s (the file was not downloaded).", lasts(src.Expires.Sub(now())))
		}
		done(Step{Name: StepLink, Outcome: Worked, Says: says})
	}
	return rep
}

// firstFile lists recent recordings and returns the first file of the
// first recording that has one, with a sentence saying what was found.
func firstFile(ctx context.Context, c fetch.Connector, now time.Time) (*fetch.File, string, error) {
	today := now.UTC().Truncate(24 * time.Hour)
	var looked int
	for _, r := range ranges {
		q := fetch.Query{From: today.AddDate(0, 0, -r.days), To: today}
		looked = 0
		for rec, err := range c.List(ctx, q) {
			if err != nil {
				return nil, "", err
			}
			looked++
			if len(rec.Files) > 0 {
				f := rec.Files[0]
				return &f, fmt.Sprintf("Listed the recordings of %s: the first one with files has %s.", r.says, count(len(rec.Files), "file")), nil
			}
			if looked >= maxLooked {
				break
			}
		}
		if looked > 0 {
			return nil, fmt.Sprintf("Listed the recordings of %s: %s, none with files yet (the platform is still preparing them).", r.says, count(looked, "recording")), nil
		}
	}
	return nil, "Listed the recordings of the last year: there are none.", nil
}

// failed is a step that ended in err, with says for a person.
func failed(name string, err error, says string) Step {
	s := Step{Name: name, Outcome: Failed, Says: fetch.Redact(says), Kind: fetch.KindOf(err)}
	if errors.Is(err, context.Canceled) {
		s.Says = "The check was stopped before this step ended."
	}
	return s
}

func count(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// lasts writes a link's lifetime in round words.
func lasts(d time.Duration) string {
	switch {
	case d <= 0:
		return "no time at all"
	case d < 2*time.Minute:
		return "about a minute"
	case d < 2*time.Hour:
		return fmt.Sprintf("about %d minutes", int(d.Round(time.Minute)/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("about %d hours", int(d.Round(time.Hour)/time.Hour))
	}
	return fmt.Sprintf("about %d days", int(d/(24*time.Hour)))
}

// host is the host of a server address, or "the platform's own server"
// when it is empty.
func host(server string) string {
	if server == "" {
		return "the platform's own server"
	}
	if u, err := url.Parse(server); err == nil && u.Host != "" {
		return u.Host
	}
	return "(not a web address)"
}

package zoomsdk

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"cloudreel/fetch"
	"cloudreel/fetch/pace"
)

// addMonth is the last day a range starting on day may reach: the same
// day a month later, or the next month's last day when it has no such day.
func addMonth(day time.Time) time.Time {
	y, m, d := day.Date()
	last := time.Date(y, m+2, 0, 0, 0, 0, 0, time.UTC).Day()
	return time.Date(y, m+1, min(d, last), 0, 0, 0, 0, time.UTC)
}

// subMonth is the same day a month earlier, or that month's last day.
func subMonth(day time.Time) time.Time {
	y, m, d := day.Date()
	last := time.Date(y, m, 0, 0, 0, 0, 0, time.UTC).Day()
	return time.Date(y, m-1, min(d, last), 0, 0, 0, 0, time.UTC)
}

// window is a range of days, both inclusive, no longer than one month.
type window struct{ from, to time.Time }

// windows splits [from, to] into ranges of at most one month, newest
// first, so that the newest recordings arrive first.
func windows(from, to time.Time) []window {
	var out []window
	for end := to; !end.Before(from); {
		start := subMonth(end).AddDate(0, 0, 1)
		if start.Before(from) {
			start = from
		}
		out = append(out, window{start, end})
		end = start.AddDate(0, 0, -1)
	}
	return out
}

// days turns q into whole UTC days; a zero To is today, a zero From a
// month before To.
func days(q fetch.Query) (from, to time.Time) {
	day := func(t time.Time) time.Time {
		y, m, d := t.UTC().Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	to = day(q.To)
	if q.To.IsZero() {
		to = day(time.Now())
	}
	from = day(q.From)
	if q.From.IsZero() {
		from = subMonth(to)
	}
	return from, to
}

// List implements fetch.Connector: [From, To] in windows of at most a
// month (Zoom's limit), each paged with next_page_token until it is empty.
// Up to Config.Windows windows are walked side by side, sharing the
// connector's pace; their recordings come newest first all the same, as
// a walk of one window after another gives them, and an error ends the
// listing where that walk would have met it.
func (c *Connector) List(ctx context.Context, q fetch.Query) iter.Seq2[fetch.Recording, error] {
	return func(yield func(fetch.Recording, error) bool) {
		from, to := days(q)
		if to.Before(from) {
			yield(fetch.Recording{}, fetch.NewError(fetch.KindInvalid, nil, lang.L("The end of the date range is before its start.")))
			return
		}
		// Zoom's dates are UTC days, as the query's are; sessions outside
		// them are dropped all the same, should Zoom read a day otherwise.
		keep := fetch.Query{From: from, To: to}
		ws := windows(from, to)
		// seen keeps a session that two windows both list to the first.
		seen := map[string]bool{}
		pace.Ahead(ctx, c.cfg.Windows, len(ws), func(ctx context.Context, i int) walked {
			return c.walk(ctx, ws[i], keep)
		}, func(_ int, w walked) bool {
			for _, rec := range w.recs {
				if seen[rec.ID] {
					continue
				}
				seen[rec.ID] = true
				if !yield(rec, nil) {
					return false
				}
			}
			if w.err != nil {
				yield(fetch.Recording{}, w.err)
				return false
			}
			return true
		})
	}
}

// walked is what the walk of one window found: its sessions in Zoom's
// order and, when the walk ended early, why.
type walked struct {
	recs []fetch.Recording
	err  error
}

// walk lists the sessions of one window, page by page.
func (c *Connector) walk(ctx context.Context, w window, keep fetch.Query) walked {
	base := url.Values{
		"from":      {w.from.Format(time.DateOnly)},
		"to":        {w.to.Format(time.DateOnly)},
		"page_size": {strconv.Itoa(c.cfg.PageSize)},
	}
	var out walked
	seen := map[string]bool{}
	// fresh counts the sessions first seen since the walk last started;
	// restarts is how often an expired page token sent it back to the
	// window's first page.
	token, fresh, restarts := "", 0, 0
	for {
		v := url.Values{}
		for k, x := range base {
			v[k] = x
		}
		if token != "" {
			v.Set("next_page_token", token)
		}
		var page listPage
		if err := c.call(ctx, "/videosdk/recordings", v, &page); err != nil {
			// A page token lives 15 minutes: a walk paused longer (a long
			// wait for the platform) starts the window over, and seen keeps
			// out what was already given. It starts over again only when
			// the last start brought something new, so a server that
			// refuses every token cannot keep it going round.
			if token != "" && pageTokenRefused(err) && (restarts == 0 || fresh > 0) && restarts < maxRestarts {
				token, fresh = "", 0
				restarts++
				continue
			}
			out.err = fmt.Errorf("listing Zoom recordings from %s to %s: %w", base.Get("from"), base.Get("to"), err)
			return out
		}
		for _, s := range page.Sessions {
			id := string(s.SessionID)
			if id == "" || seen[id] {
				continue
			}
			seen[id] = true
			fresh++
			rec := s.recording()
			if !rec.Start.IsZero() && !keep.Contains(rec.Start) {
				continue
			}
			out.recs = append(out.recs, rec)
		}
		switch {
		case page.NextPageToken == "":
			return out
		case page.NextPageToken == token:
			out.err = fetch.NewError(fetch.KindInvalid, nil, lang.L("Zoom gave the same page twice; the listing stopped."))
			return out
		}
		token = page.NextPageToken
	}
}

// maxRestarts bounds how often one window is started over after an
// expired page token.
const maxRestarts = 50

// pageTokenRefused reports whether Zoom refused a next_page_token. Zoom's
// API reference gives the answer as HTTP 400 with code 300, "The next page
// token is invalid or expired." (testdata/error_next_page_token.json);
// the words are read too, in case another server numbers it otherwise.
// Only a call that sent a token is judged so: the same range and page
// size were accepted on the window's first page.
func pageTokenRefused(err error) bool {
	var ae *apiError
	if !errors.As(err, &ae) || ae.Status != http.StatusBadRequest {
		return false
	}
	msg := strings.ToLower(ae.Message)
	return ae.Code == 300 || strings.Contains(msg, "page token") || strings.Contains(msg, "next_page_token")
}

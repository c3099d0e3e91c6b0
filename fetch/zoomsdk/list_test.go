package zoomsdk

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"cloudreel/fetch"
	"cloudreel/fetch/pace"
	"cloudreel/fetch/sim"
)

// yearSim is a simulator with n Zoom sessions spread over the last year.
func yearSim(t *testing.T, n int) *sim.Server {
	t.Helper()
	s := sim.New(sim.Config{Recordings: n, Span: 365 * 24 * time.Hour, MinSize: 1 << 10, MaxSize: 2 << 10})
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	s.SetURL(hs.URL)
	return s
}

func lastYear(s *sim.Server) fetch.Query {
	now := s.Config().Now
	return fetch.Query{From: now.AddDate(-1, 0, 0), To: now}
}

func ids(recs []fetch.Recording) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.ID
	}
	return out
}

// Month windows listed side by side give the same recordings in the same
// order (newest first) as one window after another.
func TestWindowsSideBySideKeepTheOrder(t *testing.T) {
	s := yearSim(t, 300)
	q := lastYear(s)
	serial := collect(t, newConnector(t, s, func(c *Config) { c.Windows = 1; c.PageSize = 7 }), q, nil)
	side := collect(t, newConnector(t, s, func(c *Config) { c.Windows = 5; c.PageSize = 7 }), q, nil)
	assertListed(t, s, q, side)
	if !slices.Equal(ids(serial), ids(side)) {
		t.Fatalf("side by side the order differs from one window after another")
	}
	for i := 1; i < len(side); i++ {
		if side[i].Start.After(side[i-1].Start) {
			t.Fatalf("recording %d (%s) is newer than the one before (%s)", i, side[i].Start, side[i-1].Start)
		}
	}
}

// The 429s of Zoom's per-second limit halve the pace, which creeps back
// up as calls go through again; the listing still has every session once.
func TestListingSlowsOnA429AndRecovers(t *testing.T) {
	s := yearSim(t, 400)
	var mu sync.Mutex // the windows' calls tell the pace from their own goroutines
	var rates []float64
	p := pace.New(pace.Config{Start: 200, Ceiling: 400, RampAfter: 3, Changed: func(r float64) {
		mu.Lock()
		rates = append(rates, r)
		mu.Unlock()
	}})
	c := newConnector(t, s, func(c *Config) { c.Pace = p; c.PageSize = 10 })
	// Retry-After: 0, so that the test does not sleep; the pace halves all
	// the same.
	s.Faults().Update(func(f *sim.FaultSet) { f.RateLimited, f.RetryAfter = 3, time.Millisecond })
	q := lastYear(s)
	got := collect(t, c, q, nil)
	assertListed(t, s, q, got)
	mu.Lock()
	defer mu.Unlock()
	if p.Slowdowns() != 3 {
		t.Fatalf("%d slowdowns, want the 3 429s", p.Slowdowns())
	}
	// The 429s come first (the simulator answers the first three calls
	// so); calls that went through in between may already step it up, so
	// only the shape is asserted: down below the start, then up again.
	low := slices.Min(rates)
	if low >= 200 || low < 25 {
		t.Fatalf("rates %v: want it halved below the start 200, at most three times", rates)
	}
	at := 0 // the last time it was that low: after the last 429
	for i, r := range rates {
		if r == low {
			at = i
		}
	}
	if last := rates[len(rates)-1]; last <= low || slices.Max(rates) > 400 || p.Limit() != last {
		t.Fatalf("rates %v: want it back above %v and never past the ceiling 400", rates, low)
	}
	for i := at + 1; i < len(rates); i++ {
		if rates[i] <= rates[i-1] {
			t.Fatalf("rates %v: after the last 429 it only goes up", rates)
		}
	}
}

// failWindow answers the first page of the window starting on from with
// 403, as Zoom does for a call the account may not make.
type failWindow struct {
	from string
	next http.RoundTripper
}

func (f failWindow) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Query().Get("from") == f.from && r.URL.Query().Get("next_page_token") == "" {
		return &http.Response{StatusCode: http.StatusForbidden, Status: "403 Forbidden", Request: r, Header: http.Header{},
			Body: io.NopCloser(strings.NewReader(`{"code":200,"message":"No permission."}`))}, nil
	}
	return f.next.RoundTrip(r)
}

// An error in one window ends the listing where a walk of one window
// after another would have met it: the newer windows' sessions first,
// then the error, then nothing.
func TestAnErrorEndsTheListingInOrder(t *testing.T) {
	s := yearSim(t, 300)
	q := lastYear(s)
	from, to := days(q)
	ws := windows(from, to)
	var want []string
	for _, r := range collect(t, newConnector(t, s, func(c *Config) { c.Windows = 1 }), q, nil) {
		if !r.Start.Before(ws[1].from) { // in the two newest windows
			want = append(want, r.ID)
		}
	}
	c := newConnector(t, s, func(c *Config) {
		c.Windows = 6
		c.HTTP = &http.Client{Timeout: 10 * time.Second, Transport: failWindow{ws[2].from.Format(time.DateOnly), http.DefaultTransport}}
	})
	var got []string
	var errs []error
	for r, err := range c.List(context.Background(), q) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if len(errs) > 0 {
			t.Fatalf("a recording after the error")
		}
		got = append(got, r.ID)
	}
	if len(errs) != 1 || fetch.KindOf(errs[0]) != fetch.KindPermission {
		t.Fatalf("errors %v, want one permission error", errs)
	}
	if !strings.Contains(errs[0].Error(), ws[2].from.Format(time.DateOnly)) {
		t.Fatalf("the error %q does not name the window", errs[0])
	}
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Fatalf("before the error: %d recordings, want the %d of the two newer windows", len(got), len(want))
	}
}

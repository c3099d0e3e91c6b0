package huawei

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"cloudreel/fetch"
	"cloudreel/fetch/pace"
	"cloudreel/fetch/sim"
)

// callLatency is how long the simulator takes to answer each call in the
// listing benchmark: a server across an ocean.
const callLatency = 50 * time.Millisecond

// listRoute is the simulator's key for the meeting list.
const listRoute = "GET /huawei/v1/mmc/management/record/files"

// callsAt100 is how many list calls the benchmark's listing took before
// the pages after the probe asked for 500: 100 a page, the first page and
// the probe, then 99 more.
const callsAt100 = 101

// BenchmarkListingHuawei walks the meeting list of 10,000 Huawei Cloud
// Meeting meetings spread over a year from a simulator that takes 50 ms
// to answer each call, and reports the time against what the same calls
// take one after another (calls x 50 ms): "serial-x"; and against what
// the 101 calls of the listing before the pages of 500 take one after
// another (5.05 s): "serial101-x". It times the list's pages only
// (Connector.meetings): a whole List also asks for every meeting's files
// (downloadurls and ShowRecordInfo, two calls a meeting), which is 20,000
// calls and would be the benchmark of the rate, not of the listing.
// "today" is the walk before issue 14: 100 meetings a page, one page
// after another at a fixed 5 calls a second; "paced" is the connector's
// default (the first page and the probe at 100, then pages of 500, 4 side
// by side, on the adaptive pace that starts at DefaultRate); "fast" is
// the same walk on a pace of 1,000 a second, what it gives where the rate
// does not bind. docs/benchmarks.md ("Listing") has the figures.
func BenchmarkListingHuawei(b *testing.B) {
	s := sim.New(sim.Config{Recordings: 10000, Span: 365 * 24 * time.Hour, MinSize: 1 << 10, MaxSize: 2 << 10})
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	s.SetURL(hs.URL)
	now := s.Config().Now
	from, to := queryMillis(fetch.Query{From: now.AddDate(-1, 0, 0), To: now}, now)
	creds := s.Config().Credentials
	for _, bc := range []struct {
		name   string
		config func(*Config)
		serial bool // the old client: its fixed limiter, no pace, pages of 100
	}{
		{"today", func(c *Config) { c.Pages = 1 }, true},
		{"paced", func(*Config) {}, false},
		{"fast", func(c *Config) { c.Pace = pace.New(pace.Config{Start: 1000}) }, false},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var calls, listed int
			var took time.Duration
			for b.Loop() {
				cfg := Config{Server: s.BaseURL(fetch.Huawei), Account: creds.HuaweiAccount, Password: creds.HuaweiPwd,
					HTTP: &http.Client{Timeout: 30 * time.Second}}
				bc.config(&cfg)
				c, err := New(cfg)
				if err != nil {
					b.Fatal(err)
				}
				if bc.serial {
					// The client before issue 14: its fixed limiter of 5
					// calls a second, no pace, pages of 100.
					c.api.Pace = nil
					c.api.Limiter = rate.NewLimiter(5, 5)
					c.itemLimit = pageLimit
				}
				// Signed in before the clock starts, with no latency:
				// the figure is the list's.
				s.Faults().Update(func(f *sim.FaultSet) { f.APILatency = 0 })
				if _, err := c.accessToken(context.Background(), ""); err != nil {
					b.Fatal(err)
				}
				s.Faults().Update(func(f *sim.FaultSet) { f.APILatency = callLatency })
				before := s.Requests(listRoute)
				start := time.Now()
				n := 0
				err = c.meetings(context.Background(), from, to, func(ms []meeting) (bool, error) {
					n += len(ms)
					return true, nil
				})
				if err != nil {
					b.Fatal(err)
				}
				took += time.Since(start)
				calls += s.Requests(listRoute) - before
				listed += n
			}
			runs := float64(b.N)
			b.ReportMetric(float64(calls)/runs, "calls/op")
			b.ReportMetric(float64(listed)/runs, "meetings/op")
			b.ReportMetric(float64(took)/float64(time.Duration(calls)*callLatency), "serial-x")
			b.ReportMetric(float64(took)/runs/float64(callsAt100*callLatency), "serial101-x")
		})
	}
}

package zoomsdk

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"cloudreel/fetch"
	"cloudreel/fetch/pace"
	"cloudreel/fetch/sim"
)

// callLatency is how long the simulator takes to answer each call in the
// listing benchmark: a server across an ocean.
const callLatency = 50 * time.Millisecond

// BenchmarkListingZoom lists 10,000 Zoom sessions spread over a year, 300
// a page, from a simulator that takes 50 ms to answer each call, and
// reports the time against what the same calls take one after another
// (calls x 50 ms): "serial-x" below 1 means the listing is faster than
// its calls end to end. "today" is the listing before the adaptive pace:
// one window after another at a fixed 10 calls a second; "paced" is the
// connector's default (windows side by side, starting at 20 a second).
// docs/benchmarks.md ("Listing") has the figures.
func BenchmarkListingZoom(b *testing.B) {
	s := sim.New(sim.Config{Recordings: 10000, Span: 365 * 24 * time.Hour, MinSize: 1 << 10, MaxSize: 2 << 10})
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	s.SetURL(hs.URL)
	s.Faults().Update(func(f *sim.FaultSet) { f.APILatency = callLatency })
	now := s.Config().Now
	q := fetch.Query{From: now.AddDate(-1, 0, 0), To: now}
	creds := s.Config().Credentials
	for _, bc := range []struct {
		name   string
		config func(*Config)
	}{
		{"today", func(c *Config) {
			c.Windows = 1
			c.Pace = pace.New(pace.Config{Start: 10, Ceiling: 10})
		}},
		{"paced", func(*Config) {}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var calls, listed int
			var took time.Duration
			for b.Loop() {
				cfg := Config{Server: s.BaseURL(fetch.ZoomSDK), APIKey: creds.ZoomKey, APISecret: creds.ZoomSecret,
					HTTP: &http.Client{Timeout: 30 * time.Second}}
				bc.config(&cfg)
				c, err := New(cfg)
				if err != nil {
					b.Fatal(err)
				}
				before := s.Requests(listRoute)
				start := time.Now()
				n := 0
				for _, err := range c.List(context.Background(), q) {
					if err != nil {
						b.Fatal(err)
					}
					n++
				}
				took += time.Since(start)
				calls += s.Requests(listRoute) - before
				listed += n
			}
			runs := float64(b.N)
			b.ReportMetric(float64(calls)/runs, "calls/op")
			b.ReportMetric(float64(listed)/runs, "recordings/op")
			b.ReportMetric(float64(took)/float64(time.Duration(calls)*callLatency), "serial-x")
		})
	}
}

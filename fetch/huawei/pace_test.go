package huawei

import (
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"cloudreel/fetch"
	"cloudreel/fetch/pace"
	"cloudreel/fetch/sim"
)

// inFlight is a handler in front of the simulator that counts how many
// calls of each route are under way at once, holds each one a while so
// that calls made side by side overlap, and on the list's third call
// switches the simulator's 429s on (the first page and the probe are
// one after another; the third call is among the pages side by side, or
// with an item offset the page of 500 that tells the page size, just
// before them).
type inFlight struct {
	next     http.Handler
	s        *sim.Server
	hold     time.Duration
	throttle int // how many calls answer 429 from the list's third call on

	mu    sync.Mutex
	now   map[string]int
	most  map[string]int
	lists int
}

func (h *inFlight) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	route := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	h.mu.Lock()
	h.now[route]++
	h.most[route] = max(h.most[route], h.now[route])
	if route == "files" {
		h.lists++
		if h.lists == 3 {
			h.s.Faults().Update(func(f *sim.FaultSet) { f.RateLimited, f.RetryAfter = h.throttle, time.Millisecond })
		}
	}
	h.mu.Unlock()
	time.Sleep(h.hold)
	h.next.ServeHTTP(w, r)
	h.mu.Lock()
	h.now[route]--
	h.mu.Unlock()
}

// most is the largest number of calls of route seen under way at once.
func (h *inFlight) mostAtOnce(route string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.most[route]
}

// TestPagesSideBySideAndA429SlowsDown lists 650 meetings (seven pages of
// 100) with offset a page index, 2,650 (the first page, the probe and six
// pages of 500) with offset counting meetings: the pages after are asked for
// side by side, never more than Config.Pages at once, and so are the
// meetings' files; 429s in the middle halve the shared pace, and the
// listing still gives every meeting once, in the order of a listing one
// page and one meeting after another.
func TestPagesSideBySideAndA429SlowsDown(t *testing.T) {
	const pages = 3
	for _, pageIndex := range []bool{false, true} {
		meetings := map[bool]int{false: 2650, true: 650}[pageIndex]
		t.Run(map[bool]string{false: "item offset", true: "page index"}[pageIndex], func(t *testing.T) {
			s := sim.New(sim.Config{Recordings: meetings, MinSize: 1 << 10, MaxSize: 2 << 10})
			// Only the oldest 20 meetings have files to ask for; the
			// rest are still being transcoded, so the test stays short.
			s.Faults().Update(func(f *sim.FaultSet) {
				f.HuaweiPageIndex = pageIndex
				f.HuaweiTranscoding = meetings - 20
			})
			h := &inFlight{next: s.Handler(), s: s, hold: 30 * time.Millisecond,
				now: map[string]int{}, most: map[string]int{}}
			hs := httptest.NewServer(h)
			defer hs.Close()
			s.SetURL(hs.URL)

			// The order a listing one page after another gives.
			serialCfg := accountConfig(s)
			serialCfg.Pages = 1
			serial, err := collect(connect(t, serialCfg), everything)
			if err != nil {
				t.Fatal(err)
			}
			if len(serial) != meetings || h.mostAtOnce("files") != 1 {
				t.Fatalf("one page at a time: %d meetings, %d list calls at once", len(serial), h.mostAtOnce("files"))
			}
			h.mu.Lock()
			h.most, h.lists, h.throttle = map[string]int{}, 0, 3
			h.mu.Unlock()

			var rates []float64
			var ratesMu sync.Mutex
			p := pace.New(pace.Config{Start: 100, Changed: func(r float64) {
				ratesMu.Lock()
				rates = append(rates, r)
				ratesMu.Unlock()
			}})
			cfg := accountConfig(s)
			cfg.Pace, cfg.Pages = p, pages
			got, err := collect(connect(t, cfg), everything)
			if err != nil {
				t.Fatal(err)
			}
			ids := func(rs []fetch.Recording) []string {
				var out []string
				for _, r := range rs {
					out = append(out, r.ID)
				}
				return out
			}
			if !slices.Equal(ids(got), ids(serial)) {
				t.Fatalf("side by side listed %d meetings, not the %d of one page at a time in their order", len(got), len(serial))
			}
			for i := range got {
				if len(got[i].Files) != len(serial[i].Files) || got[i].Pending != serial[i].Pending {
					t.Fatalf("meeting %s: %d files (pending %v), one at a time %d (pending %v)",
						got[i].ID, len(got[i].Files), got[i].Pending, len(serial[i].Files), serial[i].Pending)
				}
			}
			if n := h.mostAtOnce("files"); n < 2 || n > pages {
				t.Fatalf("%d list calls under way at once, want 2 to %d", n, pages)
			}
			if n := h.mostAtOnce("downloadurls"); n < 2 || n > pages {
				t.Fatalf("%d downloadurls calls under way at once, want 2 to %d", n, pages)
			}
			ratesMu.Lock()
			defer ratesMu.Unlock()
			if p.Slowdowns() != 3 || len(rates) == 0 || rates[0] != 50 {
				t.Fatalf("%d slowdowns (rates %v), want 3, the first to 50 a second", p.Slowdowns(), rates)
			}
			if low := slices.Min(rates); p.Limit() <= low {
				t.Fatalf("the pace stayed at %v a second after slowing to %v (rates %v)", p.Limit(), low, rates)
			}
		})
	}
}

// TestShortPageSideBySideLosesNothing: when a page asked for side by side
// comes back shorter than the probe (a server that pages unevenly, or a
// list that shrank), the pages planned after it would leave a gap; the
// walk drops them and goes on one page at a time from the end of the
// short page, so every meeting is listed once, in order.
func TestShortPageSideBySideLosesNothing(t *testing.T) {
	const total = 450
	var (
		mu      sync.Mutex
		offsets []int
	)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/v1/usg/acs/auth/account":
			_, _ = io.WriteString(w, `{"accessToken":"fake-token-123","validPeriod":43200}`)
		case "/v1/mmc/management/record/files":
			offset := mustAtoi(r.URL.Query().Get("offset"))
			mu.Lock()
			offsets = append(offsets, offset)
			mu.Unlock()
			end := min(offset+100, total)
			if offset == 201 {
				end = 251 // the short page
			}
			var items []string
			for i := offset; i < end; i++ {
				items = append(items, `{"confUUID":"m`+strconv.Itoa(i)+`","subject":"s","startTime":"2024-01-02 03:04","rcdTime":60,"isDecodeFinish":false,"decodeEndTime":1700000000000}`)
			}
			_, _ = io.WriteString(w, `{"count":`+strconv.Itoa(total)+`,"data":[`+strings.Join(items, ",")+`]}`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer api.Close()
	c := connect(t, Config{Server: api.URL, Account: "a", Password: "password", Pages: 4})
	got, err := collect(c, everything)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range got {
		if r.ID != "m"+strconv.Itoa(i) {
			t.Fatalf("meeting %d is %s", i, r.ID)
		}
	}
	if len(got) != total {
		t.Fatalf("listed %d, want %d (offsets asked for: %v)", len(got), total, offsets)
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Contains(offsets, 251) || !slices.Contains(offsets, 351) {
		t.Fatalf("the walk did not go on from the short page's end: offsets %v", offsets)
	}
}

// TestDefaultPaceSlowsOnTheGateways429AndRecovers: the connector's own
// pace starts at 10 calls a second (the per-user figure of the gateway's
// throttling answer), halves on the simulator's 429 (the gateway's
// APIG.0308, with no Retry-After, as documented) and steps back up after
// ten calls that go through, while the listing loses nothing.
func TestDefaultPaceSlowsOnTheGateways429AndRecovers(t *testing.T) {
	const meetings = 1200 // twelve pages of 100 with offset a page index
	s := newSim(t, meetings)
	s.Faults().Update(func(f *sim.FaultSet) {
		f.HuaweiPageIndex = true
		f.HuaweiTranscoding = meetings // the list's calls only
	})
	c, err := New(accountConfig(s))
	if err != nil {
		t.Fatal(err)
	}
	c.api.Backoff = time.Millisecond
	p := c.api.Pace
	if p == nil || p.Limit() != 10 {
		t.Fatalf("the default pace is %v, want one that starts at 10 a second", p)
	}
	if _, err := c.accessToken(t.Context(), ""); err != nil {
		t.Fatal(err)
	}
	s.Faults().Update(func(f *sim.FaultSet) { f.RateLimited = 1 })
	got, err := collect(c, everything)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != meetings {
		t.Fatalf("listed %d meetings, want %d", len(got), meetings)
	}
	// 10 halved to 5 by the 429, then one step of 10/4 after ten of the
	// twelve pages went through.
	if p.Slowdowns() != 1 || p.Limit() != 7.5 {
		t.Fatalf("%d slowdowns, %v a second now; want 1 and 7.5 (halved to 5, then stepped up)", p.Slowdowns(), p.Limit())
	}
}

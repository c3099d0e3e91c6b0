package huawei

import (
	"context"
	"fmt"
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
	"cloudreel/fetch/sim"
)

// TestListsTheWholeEnterprise: queryAll=true is sent, so an administrator
// lists every meeting, not only their own, and each says who scheduled it.
func TestListsTheWholeEnterprise(t *testing.T) {
	s := newSim(t, 30)
	got, err := collect(connect(t, accountConfig(s)), everything)
	if err != nil {
		t.Fatal(err)
	}
	owners := map[string]bool{}
	byID := map[string]*sim.Recording{}
	for _, r := range s.Recordings(fetch.Huawei) {
		byID[r.ID] = r
	}
	for _, r := range got {
		if w := byID[r.ID]; w == nil || r.Owner != w.Author {
			t.Fatalf("%s: owner %q", r.ID, r.Owner)
		}
		owners[r.Owner] = true
	}
	if len(got) != 30 || len(owners) < 2 {
		t.Fatalf("listed %d meetings of %d schedulers, want all 30 of several", len(got), len(owners))
	}
}

// TestTranscodingMeetingIsPreparing: a meeting still being transcoded is
// listed Pending with the time Huawei expects it ready, with no files and
// without asking for its files.
func TestTranscodingMeetingIsPreparing(t *testing.T) {
	s := newSim(t, 2)
	s.Faults().Update(func(f *sim.FaultSet) { f.HuaweiTranscoding = 1 })
	got, err := collect(connect(t, accountConfig(s)), everything)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d meetings", len(got))
	}
	first := got[0]
	if !first.Pending || len(first.Files) != 0 || first.ReadyAt.Before(time.Now()) || first.ReadyAt.After(time.Now().Add(time.Hour)) {
		t.Fatalf("the meeting being transcoded: %+v", first)
	}
	for _, r := range got[1:] {
		if r.Pending || len(r.Files) == 0 {
			t.Fatalf("a transcoded meeting: %+v", r)
		}
	}
	if n := s.Requests("GET /huawei/v1/mmc/management/record/downloadurls"); n != 1 {
		t.Fatalf("%d downloadurls calls, want 1 (none for the meeting being transcoded)", n)
	}
}

// TestEveryPartOfAnAllDayMeeting: a meeting of 8 parts has 24 files, more
// than downloadurls' default page of 20; every one is listed and resolves.
func TestEveryPartOfAnAllDayMeeting(t *testing.T) {
	s := newSim(t, 3)
	c := connect(t, accountConfig(s))
	got, err := collect(c, everything)
	if err != nil {
		t.Fatal(err)
	}
	long := got[2]
	if len(long.Files) != 24 {
		t.Fatalf("the all-day meeting has %d files, want 24", len(long.Files))
	}
	kinds := map[string]bool{}
	for _, f := range long.Files {
		kinds[f.Kind] = true
	}
	for _, k := range []string{"Aux part 1", "Hd part 8", "Sd part 8"} {
		if !kinds[k] {
			t.Fatalf("no %q among %v", k, kinds)
		}
	}
	src, err := c.Resolve(context.Background(), long.Files[23])
	if err != nil || !strings.HasSuffix(src.URL, "/videoSD/0_7.mp4") {
		t.Fatalf("the last file resolves to %v, %v", src.URL, err)
	}
}

// TestDownloadURLsPagesOnWhatEverTheServerCaps: on a server that gives at
// most 20 files an answer whatever limit asks, the files are still all
// read, and limit=500 is what is asked.
func TestDownloadURLsPagesOnWhatEverTheServerCaps(t *testing.T) {
	const files, perAnswer = 47, 20
	var asked []string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/v1/usg/acs/auth/account":
			_, _ = io.WriteString(w, `{"accessToken":"fake-token-123","validPeriod":43200}`)
		case "/v1/mmc/management/record/downloadurls":
			q := r.URL.Query()
			asked = append(asked, q.Get("offset")+"/"+q.Get("limit"))
			offset := mustAtoi(q.Get("offset"))
			var urls []string
			for i := offset; i < min(offset+perAnswer, files); i++ {
				urls = append(urls, fmt.Sprintf(`{"token":"t%d","fileType":"Hd","url":"https://x/videoHD/0_%d.mp4"}`, i, i))
			}
			_, _ = io.WriteString(w, `{"recordUrls":[{"confUuid":"m1","urls":[`+strings.Join(urls, ",")+`]}]}`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer api.Close()
	c := connect(t, Config{Server: api.URL, Account: "a", Password: "password"})
	urls, err := c.downloadURLs(context.Background(), "m1")
	if err != nil {
		t.Fatal(err)
	}
	if len(urls) != files || urls[files-1].URL != "https://x/videoHD/0_"+strconv.Itoa(files-1)+".mp4" {
		t.Fatalf("%d files read, want %d", len(urls), files)
	}
	if strings.Join(asked, ",") != "0/500,20/500,40/500" {
		t.Fatalf("asked for %v", asked)
	}
}

// TestPageSizeFollowsTheReadingOfOffset: the first page and the probe ask
// for 100 meetings, the limit both readings of offset accept; once the
// probe shows that offset counts meetings, every page after asks for 500
// (SearchRecordings' documented most in that reading), so 1,200 meetings
// take 5 calls, not 13. A server whose offset is a page index gets 100 on
// every call: asking it for more would be refused (its documented most is
// 100) and would move its pages.
func TestPageSizeFollowsTheReadingOfOffset(t *testing.T) {
	const meetings = 1200
	for _, tc := range []struct {
		name      string
		pageIndex bool
		offsets   []string // the list calls' offsets, in the order asked
		limits    []string // and their limits
	}{
		{"item offset", false, []string{"0", "1", "101", "601", "1101"}, []string{"100", "100", "500", "500", "500"}},
		{"page index", true,
			[]string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"},
			slices.Repeat([]string{"100"}, 12)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := sim.New(sim.Config{Recordings: meetings, MinSize: 1 << 10, MaxSize: 2 << 10})
			s.Faults().Update(func(f *sim.FaultSet) {
				f.HuaweiPageIndex = tc.pageIndex
				f.HuaweiTranscoding = meetings // no files to ask for: the list's calls only
			})
			var (
				mu              sync.Mutex
				offsets, limits []string
			)
			hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasSuffix(r.URL.Path, "/record/files") {
					mu.Lock()
					offsets = append(offsets, r.URL.Query().Get("offset"))
					limits = append(limits, r.URL.Query().Get("limit"))
					mu.Unlock()
				}
				s.Handler().ServeHTTP(w, r)
			}))
			defer hs.Close()
			s.SetURL(hs.URL)
			cfg := accountConfig(s)
			cfg.Pages = 1 // one page after another, so the order asked is fixed
			got, err := collect(connect(t, cfg), everything)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != meetings {
				t.Fatalf("listed %d meetings, want %d", len(got), meetings)
			}
			mu.Lock()
			defer mu.Unlock()
			if !slices.Equal(offsets, tc.offsets) || !slices.Equal(limits, tc.limits) {
				t.Fatalf("asked for offsets %v with limits %v, want %v with %v", offsets, limits, tc.offsets, tc.limits)
			}
		})
	}
}

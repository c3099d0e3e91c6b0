package zoomsdk

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

// Participants' own video and audio are files of their session, each with
// the person's name in its kind, whichever way Zoom names the person:
// file_name, user_id and user_key as its reference shows, or user_name as
// platforms.md lists.
func TestParticipantFilesCarryTheParticipantsName(t *testing.T) {
	for _, userName := range []bool{false, true} {
		s := newSim(t, 12)
		s.PlayZoomUserName(userName)
		c := newConnector(t, s, nil)
		q := fiveMonths(s)
		got := collect(t, c, q, nil)
		assertListed(t, s, q, got)
		ids := map[string]bool{}
		kinds := map[string]string{}
		for _, r := range got {
			for _, f := range r.Files {
				if ids[f.ID] {
					t.Fatalf("file id %s given twice", f.ID)
				}
				ids[f.ID] = true
				kinds[f.Kind] = f.Ext
			}
		}
		for k, ext := range map[string]string{"video (Kwame Mensah)": "mp4", "audio (Kwame Mensah)": "m4a", "screen (Zoë Dubois)": "mp4", "audio (李娜)": "m4a"} {
			if kinds[k] != ext {
				t.Errorf("user_name %v: no %q file with extension %s; kinds: %v", userName, k, ext, kinds)
			}
		}
	}
}

// A slow caller lets the token die after every recording it takes: the
// window starts over each time and still gives every session once.
func TestPageTokenThatExpiresAgainAndAgain(t *testing.T) {
	s := newSim(t, 30)
	// Every answer that brings a session not seen before kills every token
	// handed out so far, as a walk held up after each page would find
	// them: each start over gets one page further. One window at a time,
	// so that one window's answers do not kill another's tokens.
	x := &expireOnNew{s: s, seen: map[string]bool{}}
	c := newConnector(t, s, func(c *Config) {
		c.Windows = 1
		c.HTTP = &http.Client{Timeout: 10 * time.Second, Transport: x}
	})
	q := fiveMonths(s)
	got := collect(t, c, q, nil)
	assertListed(t, s, q, got)
	if x.expired < 2 {
		t.Fatalf("tokens expired %d times, want again and again", x.expired)
	}
}

// expireOnNew expires the simulator's page tokens after each answer that
// lists a session it has not seen before.
type expireOnNew struct {
	s       *sim.Server
	mu      sync.Mutex
	seen    map[string]bool
	expired int
}

func (e *expireOnNew) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	var page struct {
		Sessions []struct {
			SessionID string `json:"session_id"`
		} `json:"sessions"`
	}
	_ = json.Unmarshal(body, &page)
	e.mu.Lock()
	defer e.mu.Unlock()
	fresh := false
	for _, s := range page.Sessions {
		if !e.seen[s.SessionID] {
			e.seen[s.SessionID], fresh = true, true
		}
	}
	if fresh {
		e.s.ExpireZoomPageTokens()
		e.expired++
	}
	return resp, nil
}

// A server that refuses every page token makes no progress: the walk
// starts over once, then says so instead of going round for ever.
func TestEveryPageTokenRefused(t *testing.T) {
	calls := 0
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("next_page_token") != "" {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"code":300,"message":"The next page token is invalid or expired."}`))
			return
		}
		_, _ = w.Write([]byte(`{"page_size":1,"next_page_token":"t1","sessions":[{"session_id":"a","session_name":"x","start_time":"` +
			r.URL.Query().Get("to") + `T10:00:00Z","recording_files":[]}]}`))
	}))
	defer hs.Close()
	c, err := New(Config{Server: hs.URL, APIKey: "key", APISecret: "secret-for-the-stub", RateLimit: 1000, PageSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	var last error
	for _, err := range c.List(context.Background(), fetch.Query{From: mustDay(t, "2026-03-01"), To: mustDay(t, "2026-03-10")}) {
		if err != nil {
			last = err
			break
		}
		n++
	}
	if n != 1 || last == nil || !strings.Contains(fetch.Plain(last), "Zoom refused the request") || calls != 4 {
		t.Fatalf("%d recordings, %d calls, error %v", n, calls, last)
	}
}

func mustDay(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Numbers may come quoted and ids bare: one server version must not break
// the list.
func TestNumbersAsStringsAndIDsAsNumbers(t *testing.T) {
	raw := []byte(`{"page_size":"30","total_records":"1","sessions":[{"session_id":1234567,"session_name":"s","start_time":"2022-03-10T02:27:24",
		"duration":"2","total_size":"444601","recording_count":"1",
		"recording_files":[{"id":987,"file_type":"MP4","file_size":"12125","download_url":"https://example/a","status":"completed","recording_type":"audio_only"}],
		"participant_audio_files":[{"id":"p1","file_name":"Audio only - Ana López.m4a","file_extension":"M4A","file_size":"900","download_url":"https://example/b","status":"completed","user_id":16778240}]}]}`)
	var page listPage
	if err := json.Unmarshal(raw, &page); err != nil {
		t.Fatal(err)
	}
	rec := page.Sessions[0].recording()
	if rec.ID != "1234567" || rec.Duration != 2*time.Minute || !rec.Start.Equal(time.Date(2022, 3, 10, 2, 27, 24, 0, time.UTC)) || len(rec.Files) != 2 {
		t.Fatalf("recording %+v", rec)
	}
	if f := rec.Files[0]; f.ID != "987" || f.Size != 12125 || f.Kind != "audio" {
		t.Fatalf("file %+v", f)
	}
	if f := rec.Files[1]; f.Kind != "audio (Ana López)" || f.Ext != "m4a" || f.Size != 900 {
		t.Fatalf("participant file %+v", f)
	}
}

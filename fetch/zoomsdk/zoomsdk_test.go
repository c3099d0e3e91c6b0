package zoomsdk

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

const listRoute = "GET /zoom/v2/videosdk/recordings"

func newSim(t *testing.T, n int) *sim.Server {
	t.Helper()
	s := sim.New(sim.Config{Recordings: n, MinSize: 1 << 10, MaxSize: 8 << 10})
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	s.SetURL(hs.URL)
	return s
}

func newConnector(t *testing.T, s *sim.Server, change func(*Config)) *Connector {
	t.Helper()
	creds := s.Config().Credentials
	cfg := Config{Server: s.BaseURL(fetch.ZoomSDK), APIKey: creds.ZoomKey, APISecret: creds.ZoomSecret,
		HTTP: &http.Client{Timeout: 10 * time.Second}, RateLimit: 1000, Backoff: 5 * time.Millisecond, PageSize: 4}
	if change != nil {
		change(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fiveMonths is a query over the five months before the simulator's now,
// which holds most of its recordings.
func fiveMonths(s *sim.Server) fetch.Query {
	now := s.Config().Now
	return fetch.Query{From: now.AddDate(0, -5, 0), To: now}
}

func collect(t *testing.T, c *Connector, q fetch.Query, each func(fetch.Recording)) []fetch.Recording {
	t.Helper()
	var out []fetch.Recording
	for r, err := range c.List(context.Background(), q) {
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		out = append(out, r)
		if each != nil {
			each(r)
		}
	}
	return out
}

// assertListed checks that got is exactly the simulator's sessions in q,
// once each, with their files.
func assertListed(t *testing.T, s *sim.Server, q fetch.Query, got []fetch.Recording) {
	t.Helper()
	want := map[string]*sim.Recording{}
	for _, r := range s.Recordings(fetch.ZoomSDK) {
		if q.Contains(r.Start) {
			want[r.ID] = r
		}
	}
	if len(got) != len(want) {
		t.Fatalf("listed %d sessions, want %d", len(got), len(want))
	}
	seen := map[string]bool{}
	for _, r := range got {
		w, ok := want[r.ID]
		if !ok || seen[r.ID] {
			t.Fatalf("session %s listed twice or not in the range", r.ID)
		}
		seen[r.ID] = true
		// The simulator's durations are whole minutes, as Zoom's are.
		if r.Title != w.Title || !r.Start.Equal(w.Start) || r.Duration != w.Duration || len(r.Files) != len(w.Files) {
			t.Fatalf("session %s: got %q %v %v %d files, want %q %v %v %d", r.ID, r.Title, r.Start, r.Duration, len(r.Files), w.Title, w.Start, w.Duration, len(w.Files))
		}
		for i, f := range r.Files {
			sf := w.Files[i]
			if f.ID != sf.ID || f.Ext != sf.Ext || f.Size != sf.Size || f.Kind != simKind(s, sf) || f.RecordingID != r.ID {
				t.Fatalf("file %d of %s: %+v, want %+v", i, r.ID, f, *sf)
			}
		}
	}
}

// simKind is the kind the connector should give a simulated file: the
// participant's name for a participant's own file.
func simKind(s *sim.Server, f *sim.File) string {
	name, ok := s.ZoomParticipant(f.ID)
	switch {
	case !ok:
		return kind(f.Kind)
	case f.Kind == "individual_shared_screen":
		return "screen (" + name + ")"
	case f.Kind == "individual_user":
		return "video (" + name + ")"
	}
	return "audio (" + name + ")"
}

func TestListFiveMonthsInWindowsAndPages(t *testing.T) {
	s := newSim(t, 60) // about six months of recordings, some before the range
	c := newConnector(t, s, nil)
	q := fiveMonths(s)
	got := collect(t, c, q, nil)
	assertListed(t, s, q, got)
	if len(got) == len(s.Recordings(fetch.ZoomSDK)) {
		t.Fatal("the query covers every recording: it cannot show that the range is kept")
	}
	// Each window of at most a month is paged by 4 until the token is
	// empty: one call for an empty window, ceil(n/4) otherwise.
	ws := windows(days(q))
	if len(ws) < 5 || len(ws) > 6 {
		t.Fatalf("%d windows for five months", len(ws))
	}
	if n, calls := s.Requests(listRoute), pagedCalls(s, q, 4); n != calls {
		t.Fatalf("%d list calls, want %d for %d windows in pages of 4", n, calls, len(ws))
	}
}

// pagedCalls is how many list calls a walk over q takes in pages of size:
// one for an empty window, ceil(n/size) otherwise.
func pagedCalls(s *sim.Server, q fetch.Query, size int) int {
	calls := 0
	for _, w := range windows(days(q)) {
		n := 0
		for _, r := range s.Recordings(fetch.ZoomSDK) {
			if !r.Start.Before(w.from) && r.Start.Before(w.to.AddDate(0, 0, 1)) {
				n++
			}
		}
		calls += max(1, (n+size-1)/size)
	}
	return calls
}

func TestServerCutsThePageSize(t *testing.T) {
	s := newSim(t, 30)
	s.Faults().Update(func(f *sim.FaultSet) { f.ZoomMaxPageSize = 3 })
	c := newConnector(t, s, func(c *Config) { c.PageSize = 300 })
	q := fiveMonths(s)
	assertListed(t, s, q, collect(t, c, q, nil))
}

func TestExpiredPageTokenStartsTheWindowOver(t *testing.T) {
	s := newSim(t, 30)
	// A walk held up for longer than a token lives (a long wait for the
	// platform): the first token handed out is dead before it is used.
	expire := &expireOnce{s: s, next: http.DefaultTransport}
	c := newConnector(t, s, func(c *Config) { c.HTTP = &http.Client{Timeout: 10 * time.Second, Transport: expire} })
	q := fiveMonths(s)
	got := collect(t, c, q, nil)
	assertListed(t, s, q, got)
	// That window was walked twice up to the refused token.
	if n, calls := s.Requests(listRoute), pagedCalls(s, q, 4); n <= calls {
		t.Fatalf("%d list calls, want more than %d: the token was never refused", n, calls)
	}
}

// expireOnce expires every page token the simulator has handed out once
// the first answer that carries one has come back.
type expireOnce struct {
	s    *sim.Server
	next http.RoundTripper
	done atomic.Bool
}

func (e *expireOnce) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := e.next.RoundTrip(r)
	if err != nil || e.done.Load() {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if bytes.Contains(body, []byte(`"next_page_token":"`)) && !bytes.Contains(body, []byte(`"next_page_token":""`)) && e.done.CompareAndSwap(false, true) {
		e.s.ExpireZoomPageTokens()
	}
	return resp, nil
}

func TestWrongSecret(t *testing.T) {
	s := newSim(t, 5)
	c := newConnector(t, s, func(c *Config) { c.APISecret = "not-the-api-secret" })
	err := c.Check(context.Background())
	if fetch.KindOf(err) != fetch.KindAuth {
		t.Fatalf("wrong secret: %v", err)
	}
	if msg := fetch.Plain(err); !strings.Contains(msg, "API key and secret") || strings.Contains(err.Error(), "not-the-api-secret") {
		t.Fatalf("plain message: %q", msg)
	}
	// Minted once, then once again on the 401.
	if n := s.Requests(listRoute); n != 2 {
		t.Fatalf("%d calls, want 2", n)
	}
	if err := newConnector(t, s, nil).Check(context.Background()); err != nil {
		t.Fatalf("right secret: %v", err)
	}
}

func TestRateLimitAndServerErrorsAreRetried(t *testing.T) {
	s := newSim(t, 20)
	c := newConnector(t, s, nil)
	s.Faults().Update(func(f *sim.FaultSet) { f.RateLimited = 1; f.RetryAfter = time.Second; f.ServerErrors = 2 })
	q := fiveMonths(s)
	assertListed(t, s, q, collect(t, c, q, nil))
	if f := s.Faults().Get(); f.RateLimited != 0 || f.ServerErrors != 0 {
		t.Fatalf("faults left unused: %+v", f)
	}
	s.Faults().Update(func(f *sim.FaultSet) { f.ServerErrors = 100 })
	if err := c.Check(context.Background()); fetch.KindOf(err) != fetch.KindUnreachable {
		t.Fatalf("a server that keeps failing: %v", err)
	}
}

func TestTokenIsMintedAgainBeforeItExpires(t *testing.T) {
	s := newSim(t, 5)
	c := newConnector(t, s, nil)
	now := time.Now()
	tok, exp, err := c.jwt(now)
	if err != nil {
		t.Fatal(err)
	}
	var claims jwt.RegisteredClaims
	if _, err := jwt.ParseWithClaims(tok, &claims, func(*jwt.Token) (any, error) { return []byte(s.Config().Credentials.ZoomSecret), nil },
		jwt.WithValidMethods([]string{"HS256"})); err != nil {
		t.Fatal(err)
	}
	if claims.Issuer != s.Config().Credentials.ZoomKey || claims.ExpiresAt.Sub(now) > time.Hour || !claims.ExpiresAt.Equal(exp) || claims.IssuedAt == nil {
		t.Fatalf("claims %+v", claims)
	}
	if again, _, _ := c.jwt(now.Add(10 * time.Minute)); again != tok {
		t.Fatal("a token with most of its life left was minted again")
	}
	if later, _, _ := c.jwt(now.Add(31 * time.Minute)); later == tok {
		t.Fatal("a token past half its life was kept")
	}
}

func TestResolveAndTheJSONBodyOfAnExpiredToken(t *testing.T) {
	s := newSim(t, 5)
	c := newConnector(t, s, nil)
	rec := collect(t, c, fiveMonths(s), nil)[0]
	f := rec.Files[0]
	src, err := c.Resolve(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	if src.Size != f.Size || src.Expires.Before(time.Now().Add(30*time.Minute)) || src.Expires.After(time.Now().Add(time.Hour)) {
		t.Fatalf("source size %d expires %v", src.Size, src.Expires)
	}
	get := func(u string) (*http.Response, []byte) {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	resp, body := get(src.URL)
	sum := sha256.Sum256(body)
	sf, _ := s.File(f.ID)
	if resp.StatusCode != http.StatusOK || hex.EncodeToString(sum[:]) != sim.ContentSHA256(sf) {
		t.Fatalf("download: %s, %d bytes that are not the file", resp.Status, len(body))
	}

	// The same link with a token that has expired: Zoom answers 200 with
	// a 59-byte JSON body, which the queue must reject by its type and size.
	old, _, err := c.mint(time.Now().Add(-2 * time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(src.URL)
	qs := u.Query()
	qs.Set("access_token", old)
	u.RawQuery = qs.Encode()
	resp, body = get(u.String())
	if resp.StatusCode != http.StatusOK || len(body) != 59 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") ||
		int64(len(body)) == f.Size {
		t.Fatalf("expired token: %s %q, %d bytes", resp.Status, resp.Header.Get("Content-Type"), len(body))
	}
}

func TestWindowsCoverEveryDayOnce(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	for _, tc := range []struct{ from, to string }{
		{"2025-01-31", "2025-07-02"}, {"2024-01-15", "2024-03-31"}, {"2025-03-05", "2025-03-05"}, {"2023-12-30", "2025-01-01"},
	} {
		from, to := day(tc.from), day(tc.to)
		ws := windows(from, to)
		next := to
		for _, w := range ws {
			if !w.to.Equal(next) || w.from.After(w.to) || w.to.After(addMonth(w.from)) {
				t.Fatalf("%s..%s: window %v..%v after %v", tc.from, tc.to, w.from, w.to, next)
			}
			next = w.from.AddDate(0, 0, -1)
		}
		if !next.Equal(from.AddDate(0, 0, -1)) {
			t.Fatalf("%s..%s: the windows stop at %v", tc.from, tc.to, next)
		}
	}
}

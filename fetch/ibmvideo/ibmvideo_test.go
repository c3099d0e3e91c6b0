package ibmvideo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

// newSim starts a simulator with n recordings of small files.
func newSim(t *testing.T, n int) *sim.Server {
	t.Helper()
	s := sim.New(sim.Config{Recordings: n, MinSize: 2 << 10, MaxSize: 8 << 10})
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	s.SetURL(hs.URL)
	return s
}

// newConnector connects to the simulator with secret, with short
// backoffs and no client-side limit so that tests stay fast.
func newConnector(t *testing.T, s *sim.Server, secret string) *Connector {
	t.Helper()
	c, err := New(Config{
		Server:       s.BaseURL(fetch.IBMVideo),
		ClientID:     s.Config().Credentials.IBMClientID,
		ClientSecret: secret,
		PollInterval: 10 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	c.api.Backoff = time.Millisecond
	c.api.Limiter, c.api.Pace = nil, nil
	return c
}

func collect(t *testing.T, c *Connector, q fetch.Query) ([]fetch.Recording, error) {
	t.Helper()
	var out []fetch.Recording
	for r, err := range c.List(context.Background(), q) {
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}

func TestCheckSignsInAtTheSimulatorsTokenURL(t *testing.T) {
	s := newSim(t, 3)
	c := newConnector(t, s, s.Config().Credentials.IBMSecret)
	if c.creds.TokenURL != s.BaseURL(fetch.IBMVideo)+"/oauth2/token" {
		t.Fatalf("token URL %q", c.creds.TokenURL)
	}
	if err := c.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := c.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := s.Requests("POST /ibm/oauth2/token"); n != 1 {
		t.Fatalf("signed in %d times, want 1 (the token is cached)", n)
	}
}

func TestDefaults(t *testing.T) {
	c, err := New(Config{ClientID: "id", ClientSecret: "secret-value"})
	if err != nil {
		t.Fatal(err)
	}
	if c.creds.TokenURL != DefaultTokenURL || c.base.String() != DefaultServer {
		t.Fatalf("defaults: %q %q", c.creds.TokenURL, c.base)
	}
	if _, err := New(Config{ClientID: "id"}); fetch.KindOf(err) != fetch.KindInvalid {
		t.Fatalf("no secret: %v", err)
	}
}

func TestWrongSecretIsKindAuth(t *testing.T) {
	s := newSim(t, 3)
	secret := "a-wrong-client-secret"
	c := newConnector(t, s, secret)
	err := c.Check(context.Background())
	if fetch.KindOf(err) != fetch.KindAuth {
		t.Fatalf("want KindAuth, got %v", err)
	}
	plain := fetch.Plain(err)
	if !strings.Contains(plain, "did not accept the client ID or client secret") || strings.Contains(plain, "{") {
		t.Fatalf("not a plain sentence: %q", plain)
	}
	if strings.Contains(err.Error(), secret) {
		t.Fatalf("the secret leaked into the error: %q", err.Error())
	}
	if n := s.Requests("POST /ibm/oauth2/token"); n != 1 {
		t.Fatalf("a refused sign-in was tried %d times", n)
	}
}

func TestListEveryPage(t *testing.T) {
	s := newSim(t, 130)
	c := newConnector(t, s, s.Config().Credentials.IBMSecret)
	recs := s.Recordings(fetch.IBMVideo)
	for _, q := range []fetch.Query{
		{From: recs[len(recs)-1].Start, To: time.Now()},                         // everything
		{From: recs[110].Start, To: recs[5].Start},                              // a cut through the middle
		{From: recs[0].Start.AddDate(0, 0, 1), To: time.Now().AddDate(0, 0, 2)}, // nothing
	} {
		want := map[string]*sim.Recording{}
		for _, r := range recs {
			if q.Contains(r.Start) {
				want[r.ID] = r
			}
		}
		got, err := collect(t, c, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%v–%v: listed %d, the simulator has %d", q.From, q.To, len(got), len(want))
		}
		seen := map[string]bool{}
		for _, r := range got {
			w, ok := want[r.ID]
			if !ok || seen[r.ID] {
				t.Fatalf("unexpected or repeated recording %s", r.ID)
			}
			seen[r.ID] = true
			f := r.Files[0]
			if r.Title != w.Title || !r.Start.Equal(w.Start) || r.Duration != w.Duration ||
				len(r.Files) != 1 || f.Size != w.Files[0].Size || f.Kind != "mp4" || f.Ext != "mp4" || f.Ref != r.ID {
				t.Fatalf("recording %s: got %+v, want %+v", r.ID, r, w)
			}
		}
	}
}

func TestRateLimitAndServerErrorsAreRetried(t *testing.T) {
	s := newSim(t, 60)
	c := newConnector(t, s, s.Config().Credentials.IBMSecret)
	c.cfg.Pages = 1 // one page after another, so that the requests can be counted
	// The token request is tried four times in all: twice it gets 429
	// with a Retry-After of 0 seconds, then a 503, then its token.
	s.Faults().Update(func(f *sim.FaultSet) {
		f.RateLimited, f.RetryAfter, f.ServerErrors = 2, time.Millisecond, 1
	})
	got, err := collect(t, c, fetch.Query{From: time.Unix(0, 0), To: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 60 {
		t.Fatalf("listed %d of 60", len(got))
	}
	calls := s.Requests("POST /ibm/oauth2/token") + s.Requests("GET /ibm/users/self/videos.json")
	if calls != 3+1+2 {
		t.Fatalf("%d calls, want 3 refused + 1 sign-in + 2 pages", calls)
	}
	// 503s on a page are retried too.
	s.Faults().Update(func(f *sim.FaultSet) { f.ServerErrors = 2 })
	before := s.Requests("GET /ibm/users/self/videos.json")
	if got, err := collect(t, c, fetch.Query{From: time.Unix(0, 0), To: time.Now()}); err != nil || len(got) != 60 {
		t.Fatalf("with 503s: %d recordings, %v", len(got), err)
	}
	if n := s.Requests("GET /ibm/users/self/videos.json") - before; n != 2+2 {
		t.Fatalf("%d page requests, want 2 refused + 2 pages", n)
	}
	// A 429 that asks for longer than the client waits is KindRateLimited.
	c.api.MaxWait = time.Millisecond
	s.Faults().Update(func(f *sim.FaultSet) { f.RateLimited, f.RetryAfter = 1, 5*time.Second })
	if _, err := collect(t, c, fetch.Query{From: time.Unix(0, 0), To: time.Now()}); fetch.KindOf(err) != fetch.KindRateLimited {
		t.Fatalf("want KindRateLimited, got %v", err)
	}
}

func TestExpiredTokenIsRenewedOnce(t *testing.T) {
	s := newSim(t, 5)
	c := newConnector(t, s, s.Config().Credentials.IBMSecret)
	if err := c.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.RevokeIBMTokens()
	got, err := collect(t, c, fetch.Query{From: time.Unix(0, 0), To: time.Now()})
	if err != nil || len(got) != 5 {
		t.Fatalf("after revocation: %d recordings, %v", len(got), err)
	}
	if n := s.Requests("POST /ibm/oauth2/token"); n != 2 {
		t.Fatalf("signed in %d times, want 2", n)
	}
}

func TestResolveWaitsWhileIBMPrepares(t *testing.T) {
	s := newSim(t, 2)
	c := newConnector(t, s, s.Config().Credentials.IBMSecret)
	s.Faults().Update(func(f *sim.FaultSet) { f.IBMPendingPolls = 2 })
	recs, err := collect(t, c, fetch.Query{From: time.Unix(0, 0), To: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	f := recs[0].Files[0]
	ctx := context.Background()
	// Nobody asked for the file yet: Resolve asks (POST), then two polls
	// are still pending, the third finds it.
	for i := 0; i < 3; i++ {
		_, err := c.Resolve(ctx, f)
		var fe *fetch.Error
		if !errors.As(err, &fe) || fe.Kind != fetch.KindPreparing || fe.Retry != 10*time.Millisecond || !fetch.Retryable(err) {
			t.Fatalf("resolve %d: want KindPreparing with Retry, got %v", i+1, err)
		}
	}
	if n := s.Requests("POST /ibm/videos/{id}/downloadable/{format}"); n != 1 {
		t.Fatalf("generation asked for %d times, want 1", n)
	}
	src, err := c.Resolve(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if src.SingleUse || src.Expires.Before(time.Now().Add(23*time.Hour)) {
		t.Fatalf("source: %+v", src)
	}
	simFile, ok := s.File(s.Recordings(fetch.IBMVideo)[0].Files[0].ID)
	if !ok || recs[0].ID != s.Recordings(fetch.IBMVideo)[0].ID {
		t.Fatal("the newest recording is not listed first")
	}
	if got := download(t, src.URL); got != sim.ContentSHA256(simFile) {
		t.Fatal("downloaded bytes differ from the simulator's file")
	}
}

func TestPrepareThenResolve(t *testing.T) {
	s := newSim(t, 2)
	c := newConnector(t, s, s.Config().Credentials.IBMSecret)
	s.Faults().Update(func(f *sim.FaultSet) { f.IBMPendingPolls = 1 })
	f := fetch.File{ID: "x", RecordingID: s.Recordings(fetch.IBMVideo)[1].ID, Ref: s.Recordings(fetch.IBMVideo)[1].ID}
	if err := c.Prepare(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Resolve(context.Background(), f); fetch.KindOf(err) != fetch.KindPreparing {
		t.Fatalf("first poll: %v", err)
	}
	if _, err := c.Resolve(context.Background(), f); err != nil {
		t.Fatalf("second poll: %v", err)
	}
	if n := s.Requests("POST /ibm/videos/{id}/downloadable/{format}"); n != 1 {
		t.Fatalf("generation asked for %d times, want 1", n)
	}
}

func TestResolveUnknownVideoIsNotFound(t *testing.T) {
	s := newSim(t, 1)
	c := newConnector(t, s, s.Config().Credentials.IBMSecret)
	_, err := c.Resolve(context.Background(), fetch.File{ID: "gone", Ref: "12345"})
	if fetch.KindOf(err) != fetch.KindNotFound {
		t.Fatalf("want KindNotFound, got %v", err)
	}
}

func TestNextPageOnAnotherHostIsRefused(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/oauth2/token":
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"access_token":"tok-123456","token_type":"bearer","expires_in":86400}`)
		default:
			_, _ = io.WriteString(w, `{"videos":[{"id":1,"title":"a","length":"1.5","created_at":1700000000,"file_size":"10"}],"paging":{"next":{"href":"https://elsewhere.example/users/self/videos.json?page=2"}}}`)
		}
	}))
	defer api.Close()
	c, err := New(Config{Server: api.URL, ClientID: "id", ClientSecret: "secret-value"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := collect(t, c, fetch.Query{})
	if len(got) != 1 || got[0].ID != "1" || got[0].Duration != 2*time.Second || got[0].Files[0].Size != 10 {
		t.Fatalf("first page: %+v", got)
	}
	if fetch.KindOf(err) != fetch.KindInvalid || !strings.Contains(err.Error(), "elsewhere.example") {
		t.Fatalf("want KindInvalid naming the host, got %v", err)
	}
}

// TestSeedExample decodes seed 002's own example answer with the
// connector's types.
func TestSeedExample(t *testing.T) {
	raw, err := os.ReadFile("testdata/downloadable_available.json")
	if err != nil {
		t.Fatal(err)
	}
	var d downloadableResponse
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	got := d.Downloadable
	if got.Status != "available" || got.DownloadURL != "https://download.domain/example_download_path?download_parameters" || got.ExpiresAt != 1471363639 {
		t.Fatalf("decoded %+v", got)
	}
	var pending downloadableResponse
	if err := json.Unmarshal([]byte(`{"downloadable":{"status":"pending","download_url":null,"expires_at":null}}`), &pending); err != nil || pending.Downloadable.Status != "pending" || pending.Downloadable.DownloadURL != "" {
		t.Fatalf("pending: %+v %v", pending, err)
	}
}

func download(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("download: %s", resp.Status)
	}
	h := sha256.New()
	if _, err := io.Copy(h, resp.Body); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Numbered pages asked for side by side give every video once, in the
// list's order (newest first), asking for at most Pages-1 pages past the
// end.
func TestPagesSideBySide(t *testing.T) {
	s := newSim(t, 230) // five pages of 50, the last of 30
	q := fetch.Query{From: time.Unix(0, 0), To: time.Now()}
	serial := newConnector(t, s, s.Config().Credentials.IBMSecret)
	serial.cfg.Pages = 1
	want, err := collect(t, serial, q)
	if err != nil {
		t.Fatal(err)
	}
	c := newConnector(t, s, s.Config().Credentials.IBMSecret)
	c.cfg.Pages = 4
	before := s.Requests("GET /ibm/users/self/videos.json")
	got, err := collect(t, c, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 230 || len(want) != 230 {
		t.Fatalf("listed %d and %d of 230", len(got), len(want))
	}
	for i := range got {
		if got[i].ID != want[i].ID {
			t.Fatalf("video %d: %s side by side, %s one page after another", i, got[i].ID, want[i].ID)
		}
	}
	if n := s.Requests("GET /ibm/users/self/videos.json") - before; n < 5 || n > 5+3 {
		t.Fatalf("%d page requests, want the 5 pages and at most 3 past the end", n)
	}
}

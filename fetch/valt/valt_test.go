package valt

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

const loginRoute = "POST /valt/api/v3/login"

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
	cfg := Config{Server: s.BaseURL(fetch.Valt), Username: creds.ValtUser, Password: creds.ValtPassword,
		HTTP: &http.Client{Timeout: 10 * time.Second}, RateLimit: 1000, Backoff: 5 * time.Millisecond, PageSize: 7}
	if change != nil {
		change(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// everything is a query that covers all of a simulator's recordings.
func everything(s *sim.Server) fetch.Query {
	recs := s.Recordings(fetch.Valt)
	return fetch.Query{From: recs[len(recs)-1].Start, To: recs[0].Start}
}

func collect(t *testing.T, c *Connector, q fetch.Query) []fetch.Recording {
	t.Helper()
	var out []fetch.Recording
	for r, err := range c.List(context.Background(), q) {
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		out = append(out, r)
	}
	return out
}

// assertListed checks that got is exactly the simulator's recordings in
// q, once each, with their videos, titles and times as Valt gives them.
func assertListed(t *testing.T, s *sim.Server, q fetch.Query, got []fetch.Recording) {
	t.Helper()
	want := map[string]*sim.Recording{}
	for _, r := range s.Recordings(fetch.Valt) {
		if q.Contains(r.Start) {
			want[r.ID] = r
		}
	}
	if len(got) != len(want) {
		t.Fatalf("listed %d recordings, want %d", len(got), len(want))
	}
	seen := map[string]bool{}
	for _, r := range got {
		w, ok := want[r.ID]
		if !ok || seen[r.ID] {
			t.Fatalf("recording %s listed twice or not in the range", r.ID)
		}
		seen[r.ID] = true
		if r.Title != w.Title || !r.Start.Equal(w.Start) || r.Duration != w.Duration || r.Pending {
			t.Fatalf("recording %s: got %q %v %v, want %q %v %v", r.ID, r.Title, r.Start, r.Duration, w.Title, w.Start, w.Duration)
		}
		if len(r.Files) != len(w.Files) {
			t.Fatalf("recording %s: %d files, want %d", r.ID, len(r.Files), len(w.Files))
		}
		for i, f := range r.Files {
			if f.ID != w.Files[i].ID || f.RecordingID != r.ID || f.Ext != "mp4" || f.Kind == "" {
				t.Fatalf("file %d of %s: %+v", i, r.ID, f)
			}
		}
	}
}

func TestListEveryPageSigningInOnce(t *testing.T) {
	s := newSim(t, 30)
	c := newConnector(t, s, nil)
	q := everything(s)
	assertListed(t, s, q, collect(t, c, q))
	if n := s.Requests(loginRoute); n != 1 {
		t.Fatalf("signed in %d times, want once (the token is cached)", n)
	}
	// 30 records in pages of 7: five list calls, the last one short.
	if n := s.Requests("POST /valt/api/v3/records"); n != 5 {
		t.Fatalf("%d list calls, want 5", n)
	}

	// A narrower range keeps only its days, although Valt is asked for a
	// day more on each side.
	recs := s.Recordings(fetch.Valt)
	q = fetch.Query{From: recs[20].Start, To: recs[10].Start}
	assertListed(t, s, q, collect(t, c, q))
}

func TestVideosAsObjects(t *testing.T) {
	s := newSim(t, 12)
	s.Faults().Update(func(f *sim.FaultSet) { f.ValtVideoObjects = true })
	c := newConnector(t, s, nil)
	q := everything(s)
	assertListed(t, s, q, collect(t, c, q))
}

func TestWrongPassword(t *testing.T) {
	s := newSim(t, 10)
	c := newConnector(t, s, func(c *Config) { c.Password = "not-the-password" })
	err := c.Check(context.Background())
	if fetch.KindOf(err) != fetch.KindAuth {
		t.Fatalf("wrong password: %v", err)
	}
	if msg := fetch.Plain(err); !strings.Contains(msg, "user name or password") || strings.Contains(msg, "not-the-password") {
		t.Fatalf("plain message: %q", msg)
	}
	if strings.Contains(err.Error(), "not-the-password") {
		t.Fatal("the error shows the password")
	}
}

func TestExpiredSessionSignsInAgain(t *testing.T) {
	s := newSim(t, 10)
	c := newConnector(t, s, nil)
	if err := c.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.ExpireValtSessions()
	q := everything(s)
	assertListed(t, s, q, collect(t, c, q))
	if n := s.Requests(loginRoute); n != 2 {
		t.Fatalf("signed in %d times, want twice", n)
	}
}

func TestRateLimitAndServerErrorsAreRetried(t *testing.T) {
	s := newSim(t, 10)
	c := newConnector(t, s, nil)
	s.Faults().Update(func(f *sim.FaultSet) { f.RateLimited = 1; f.RetryAfter = time.Second })
	if err := c.Check(context.Background()); err != nil {
		t.Fatalf("after a 429: %v", err)
	}
	if n := s.Requests(loginRoute); n != 2 {
		t.Fatalf("%d sign-in requests, want 2 (one 429, one retry)", n)
	}
	s.Faults().Update(func(f *sim.FaultSet) { f.ServerErrors = 2 })
	q := everything(s)
	assertListed(t, s, q, collect(t, c, q))

	s.Faults().Update(func(f *sim.FaultSet) { f.ServerErrors = 100 })
	err := c.Check(context.Background())
	if fetch.KindOf(err) != fetch.KindUnreachable {
		t.Fatalf("a server that keeps failing: %v", err)
	}
	s.Faults().Update(func(f *sim.FaultSet) { f.ServerErrors = 0 })
}

func TestResolveBareAndUnderData(t *testing.T) {
	s := newSim(t, 10)
	c := newConnector(t, s, nil)
	recs := collect(t, c, everything(s))
	for _, underData := range []bool{false, true} {
		s.Faults().Update(func(f *sim.FaultSet) { f.ValtURLUnderData = underData })
		for i, r := range recs[:3] {
			f := r.Files[0]
			before := time.Now()
			src, err := c.Resolve(context.Background(), f)
			if err != nil {
				t.Fatalf("under data %v: %v", underData, err)
			}
			if src.Expires.Before(before.Add(29*time.Minute)) || src.Expires.After(time.Now().Add(30*time.Minute)) {
				t.Fatalf("link expires %v, want in 30 minutes", src.Expires)
			}
			// The second record's server-suggested name climbs out of
			// the folder; it is passed on as it is, marked untrusted.
			if i == 1 != strings.HasPrefix(src.SuggestedName, "../../") || !strings.HasSuffix(src.SuggestedName, ".mp4") || strings.Contains(src.SuggestedName, "+") {
				t.Fatalf("suggested name %q", src.SuggestedName)
			}
			sf, _ := s.File(f.ID)
			resp, err := c.HTTPClient().Get(src.URL)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			sum := sha256.Sum256(body)
			if resp.StatusCode != http.StatusOK || hex.EncodeToString(sum[:]) != sim.ContentSHA256(sf) {
				t.Fatalf("downloaded %s, %d bytes that are not the file", resp.Status, len(body))
			}
		}
	}
}

func TestResolveMissingVideo(t *testing.T) {
	s := newSim(t, 5)
	c := newConnector(t, s, nil)
	rec := s.Recordings(fetch.Valt)[0]
	_, err := c.Resolve(context.Background(), fetch.File{ID: "gone", RecordingID: rec.ID, Ref: "gone"})
	if fetch.KindOf(err) != fetch.KindNotFound {
		t.Fatalf("a missing video: %v", err)
	}
}

func TestCertificatePinning(t *testing.T) {
	s := sim.New(sim.Config{Recordings: 5, MinSize: 1 << 10, MaxSize: 2 << 10})
	ts := httptest.NewTLSServer(s.Handler())
	defer ts.Close()
	s.SetURL(ts.URL)
	creds := s.Config().Credentials
	cfg := Config{Server: s.BaseURL(fetch.Valt), Username: creds.ValtUser, Password: creds.ValtPassword, Backoff: time.Millisecond}

	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	err = c.Check(context.Background())
	var fe *fetch.Error
	if !errors.As(err, &fe) || fe.Kind != fetch.KindUntrusted {
		t.Fatalf("a self-signed server without a pin: %v", err)
	}
	want := fetch.Fingerprint(ts.Certificate())
	if fe.Fingerprint != want || !strings.Contains(fetch.Plain(err), want) {
		t.Fatalf("fingerprint %q, want %q", fe.Fingerprint, want)
	}
	if n := s.Requests(loginRoute); n != 0 {
		t.Fatalf("the password went to an untrusted server (%d sign-ins)", n)
	}

	cfg.Pin = "00:" + want[3:]
	c, _ = New(cfg)
	if err := c.Check(context.Background()); fetch.KindOf(err) != fetch.KindUntrusted {
		t.Fatalf("a pin that does not match: %v", err)
	}

	cfg.Pin = want
	c, _ = New(cfg)
	if err := c.Check(context.Background()); err != nil {
		t.Fatalf("with the pin: %v", err)
	}
	rec := collect(t, c, fetch.Query{From: s.Recordings(fetch.Valt)[4].Start, To: time.Now()})[0]
	src, err := c.Resolve(context.Background(), rec.Files[0])
	if err != nil {
		t.Fatal(err)
	}
	if src.HTTP == nil {
		t.Fatal("a pinned account's source carries no client to download with")
	}
	if _, err := http.Get(src.URL); err == nil {
		t.Fatal("the self-signed media host was reachable without the pin")
	}
	resp, err := src.HTTP.Get(src.URL)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("downloading through the source's pinned client: %v", err)
	}
	resp.Body.Close()
}

// The VALT 5 reading: records name their videos as "cameras"
// {cameraId: name}; each camera is a file, downloaded by its camera id.
func TestVideosAsCameras(t *testing.T) {
	s := newSim(t, 12)
	s.Faults().Update(func(f *sim.FaultSet) { f.ValtCameras = true })
	c := newConnector(t, s, nil)
	got := collect(t, c, everything(s))
	want := s.Recordings(fetch.Valt)
	if len(got) != len(want) {
		t.Fatalf("listed %d, want %d", len(got), len(want))
	}
	ids := map[string]bool{}
	for i, r := range got {
		if r.ID != want[i].ID || len(r.Files) != len(want[i].Files) || r.Pending || r.Note != "" {
			t.Fatalf("recording %s: %d files (want %d), pending %v, note %q", r.ID, len(r.Files), len(want[i].Files), r.Pending, r.Note)
		}
		for j, f := range r.Files {
			if ids[f.ID] {
				t.Fatalf("file id %s is not unique in the account", f.ID)
			}
			ids[f.ID] = true
			src, err := c.Resolve(context.Background(), f)
			if err != nil {
				t.Fatalf("resolving camera %s of %s: %v", f.Ref, r.ID, err)
			}
			resp, err := c.HTTPClient().Get(src.URL)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			sum := sha256.Sum256(body)
			if hex.EncodeToString(sum[:]) != sim.ContentSHA256(want[i].Files[j]) {
				t.Fatalf("camera %s of %s: the bytes are not video %d", f.Ref, r.ID, j)
			}
		}
	}
}

// A record whose details name no video says so, in both readings,
// instead of staying "preparing".
func TestRecordWithoutVideoSaysSo(t *testing.T) {
	for _, cameras := range []bool{false, true} {
		s := newSim(t, 6)
		s.Faults().Update(func(f *sim.FaultSet) { f.ValtCameras, f.ValtRecordsWithoutVideo = cameras, 2 })
		c := newConnector(t, s, nil)
		got := collect(t, c, everything(s))
		if len(got) != 6 {
			t.Fatalf("cameras %v: listed %d of 6", cameras, len(got))
		}
		for i, r := range got {
			empty := i < 2
			if empty != (len(r.Files) == 0) || r.Pending || empty != (r.Note != "") {
				t.Fatalf("cameras %v, record %d: %d files, pending %v, note %q", cameras, i, len(r.Files), r.Pending, r.Note)
			}
			if empty && (!strings.Contains(r.Note, "no video") || strings.ContainsAny(r.Note, "{[")) {
				t.Fatalf("not a plain sentence: %q", r.Note)
			}
		}
	}
}

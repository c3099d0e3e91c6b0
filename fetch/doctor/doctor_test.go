package doctor_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/doctor"
	"cloudreel/fetch/sim"
)

// world is the simulator and an accounts store with one account of each
// platform on it, secrets kept for the session only.
type world struct {
	sim   *sim.Server
	store *accounts.Store
	accs  map[fetch.Platform]accounts.Account
}

func newWorld(t *testing.T, tlsServer bool) *world {
	t.Helper()
	s := sim.New(sim.Config{Recordings: 12, MinSize: 1 << 20, MaxSize: 2 << 20})
	var hs *httptest.Server
	if tlsServer {
		hs = httptest.NewTLSServer(s.Handler())
	} else {
		hs = httptest.NewServer(s.Handler())
	}
	t.Cleanup(hs.Close)
	s.SetURL(hs.URL)
	db, err := accounts.OpenDB(filepath.Join(t.TempDir(), "data"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	secrets := accounts.NewSecrets()
	secrets.UseSessionOnly(true)
	store, err := accounts.NewStore(db, secrets)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{sim: s, store: store, accs: map[fetch.Platform]accounts.Account{}}
	c := s.Config().Credentials
	for _, a := range []struct {
		acc    accounts.Account
		secret string
	}{
		{accounts.Account{Platform: fetch.ZoomSDK, Name: "Zoom", Server: s.BaseURL(fetch.ZoomSDK), APIKey: c.ZoomKey}, c.ZoomSecret},
		{accounts.Account{Platform: fetch.Valt, Name: "Valt", Server: s.BaseURL(fetch.Valt), Username: c.ValtUser}, c.ValtPassword},
		{accounts.Account{Platform: fetch.IBMVideo, Name: "IBM", Server: s.BaseURL(fetch.IBMVideo), ClientID: c.IBMClientID}, c.IBMSecret},
		{accounts.Account{Platform: fetch.Huawei, Name: "Huawei", Server: s.BaseURL(fetch.Huawei), HuaweiAccount: c.HuaweiAccount}, c.HuaweiPwd},
	} {
		if tlsServer && a.acc.Platform == fetch.Valt {
			a.acc.Pin = fetch.Fingerprint(hs.Certificate())
		}
		added, err := store.Add(context.Background(), a.acc, a.secret)
		if err != nil {
			t.Fatalf("adding %s: %v", a.acc.Name, err)
		}
		w.accs[a.acc.Platform] = added
	}
	return w
}

// check runs the doctor on the account of p, with between (when set)
// standing between the recorder and the network.
func (w *world) check(t *testing.T, p fetch.Platform, between func(http.RoundTripper) http.RoundTripper) *doctor.Report {
	t.Helper()
	a := w.accs[p]
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return doctor.Run(ctx, doctor.Check{
		Platform: p, Server: a.Server, Version: "test",
		Connect: func(ctx context.Context, wrap func(http.RoundTripper) http.RoundTripper) (fetch.Connector, error) {
			return w.store.ConnectorThrough(ctx, a, func(next http.RoundTripper) http.RoundTripper {
				if between != nil {
					next = between(next)
				}
				return wrap(next)
			})
		},
		Explain: func(err error) string { return accounts.Explain(a, err) },
	})
}

func assertWorked(t *testing.T, rep *doctor.Report) {
	t.Helper()
	if len(rep.Steps) != 3 {
		t.Fatalf("%d steps:\n%s", len(rep.Steps), rep)
	}
	for _, s := range rep.Steps {
		if s.Outcome != doctor.Worked || len(s.Exchanges) == 0 && s.Name != doctor.StepLink {
			t.Fatalf("step %q: outcome %d, %d requests:\n%s", s.Name, s.Outcome, len(s.Exchanges), rep)
		}
	}
	if !strings.HasPrefix(rep.Summary(), "Every step worked") {
		t.Fatalf("summary %q", rep.Summary())
	}
}

// The doctor signs in, lists and asks for a link on each platform, and
// writes down each request with the shape of its answer.
func TestEachPlatform(t *testing.T) {
	w := newWorld(t, false)
	paths := map[fetch.Platform][]string{
		fetch.ZoomSDK:  {"GET /zoom/v2/videosdk/recordings ?from&page_size&to → 200 OK, JSON", "recording_files: array of", "next_page_token: string"},
		fetch.Valt:     {"POST /valt/api/v3/login → 200 OK", "GET /valt/api/v3/records/{id} ?access_token → 200 OK", "GET /valt/api/v3/records/download/{id}/{id} ?access_token"},
		fetch.IBMVideo: {"POST /ibm/oauth2/token", "/ibm/users/self/videos.json", "/ibm/videos/{id}/downloadable/mp4.json"},
		fetch.Huawei:   {"POST /huawei/v1/usg/acs/auth/account", "GET /huawei/v1/mmc/management/record/files", "GET /huawei/v1/mmc/management/record/downloadurls"},
	}
	for _, p := range fetch.Platforms {
		t.Run(string(p), func(t *testing.T) {
			rep := w.check(t, p, nil)
			assertWorked(t, rep)
			text := rep.String()
			for _, want := range paths[p] {
				if !strings.Contains(text, want) {
					t.Errorf("the report lacks %q:\n%s", want, text)
				}
			}
		})
	}
}

// capture keeps every value that went over the wire: query values and
// every string and long number of every JSON answer.
type capture struct {
	next http.RoundTripper
	mu   sync.Mutex
	vals []string
}

func (c *capture) RoundTrip(req *http.Request) (*http.Response, error) {
	c.mu.Lock()
	for _, vs := range req.URL.Query() {
		c.vals = append(c.vals, vs...)
	}
	c.vals = append(c.vals, req.Header.Get("Authorization"), req.Header.Get("X-Access-Token"))
	c.mu.Unlock()
	resp, err := c.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if dec.Decode(&v) == nil {
		c.mu.Lock()
		collect(v, &c.vals)
		c.mu.Unlock()
	}
	return resp, nil
}

func collect(v any, out *[]string) {
	switch x := v.(type) {
	case string:
		*out = append(*out, x)
	case json.Number:
		if len(x) >= 6 {
			*out = append(*out, x.String())
		}
	case []any:
		for _, i := range x {
			collect(i, out)
		}
	case map[string]any:
		for _, i := range x {
			collect(i, out)
		}
	}
}

// vocabulary is a value that is a word of the platform's own (an enum:
// "completed", "audio_only"), which may well be a field name too.
func vocabulary(s string) bool {
	return strings.Trim(s, "abcdefghijklmnopqrstuvwxyz_") == ""
}

// The report carries none of the secrets, tokens, titles, names, ids and
// links that went over the wire.
func TestReportCarriesNoValue(t *testing.T) {
	w := newWorld(t, false)
	creds := w.sim.Config().Credentials
	type run struct {
		name     string
		platform fetch.Platform
		faults   sim.FaultSet
	}
	runs := []run{{name: "valt 5 cameras", platform: fetch.Valt, faults: sim.FaultSet{ValtCameras: true}}}
	for _, p := range fetch.Platforms {
		runs = append(runs, run{name: string(p), platform: p})
	}
	for _, r := range runs {
		p := r.platform
		t.Run(r.name, func(t *testing.T) {
			w.sim.Faults().Set(r.faults)
			defer w.sim.Faults().Set(sim.FaultSet{})
			c := &capture{}
			rep := w.check(t, p, func(next http.RoundTripper) http.RoundTripper { c.next = next; return c })
			assertWorked(t, rep)
			text := rep.String()
			secret := []string{creds.ZoomSecret, creds.ValtPassword, creds.IBMSecret, creds.HuaweiPwd, creds.HuaweiKey, creds.ZoomKey, creds.IBMClientID, creds.HuaweiAccount}
			for _, r := range w.sim.Recordings(p) {
				secret = append(secret, r.Title, r.Author, r.Room, r.ID)
				for _, f := range r.Files {
					secret = append(secret, f.ID)
					if name, ok := w.sim.ZoomParticipant(f.ID); ok {
						secret = append(secret, name)
					}
				}
			}
			c.mu.Lock()
			secret = append(secret, c.vals...)
			c.mu.Unlock()
			n := 0
			for _, v := range secret {
				v = strings.TrimSpace(strings.TrimPrefix(v, "Bearer "))
				// The server's host is named on purpose (Huawei also
				// sends the client's address, which here is the same).
				if len(v) < 6 || vocabulary(v) || strings.Contains(rep.Host, v) {
					continue
				}
				n++
				if strings.Contains(text, v) {
					t.Errorf("the report carries %q:\n%s", v, text)
				}
			}
			if n < 20 {
				t.Fatalf("only %d values to look for: the capture saw nothing", n)
			}
		})
	}
}

// rewrite changes the JSON answers of the requests match picks.
type rewrite struct {
	next   http.RoundTripper
	match  func(*http.Request) bool
	change func(map[string]any)
}

func (rw rewrite) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := rw.next.RoundTrip(req)
	if err != nil || !rw.match(req) {
		return resp, err
	}
	var doc map[string]any
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if json.Unmarshal(body, &doc) == nil {
		rw.change(doc)
		body, _ = json.Marshal(doc)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp, nil
}

// A server that answers in a shape nobody foresaw: the report names the
// step that failed and shows the field with the JSON type it came as, and
// a new field with its own shape.
func TestUnknownFieldShape(t *testing.T) {
	w := newWorld(t, false)
	rep := w.check(t, fetch.ZoomSDK, func(next http.RoundTripper) http.RoundTripper {
		return rewrite{next: next,
			// The list's pages, not the sign-in check's one-session page.
			match: func(r *http.Request) bool { return r.URL.Query().Get("page_size") != "1" },
			change: func(doc map[string]any) {
				for _, s := range doc["sessions"].([]any) {
					m := s.(map[string]any)
					m["duration"] = map[string]any{"minutes": 12, "unit": "min"}
					m["session_owner"] = []any{map[string]any{"user_key": "x"}}
				}
			}}
	})
	failed, ok := rep.Failed()
	if !ok || failed.Name != doctor.StepList || rep.Steps[0].Outcome != doctor.Worked || rep.Steps[2].Outcome != doctor.Skipped {
		t.Fatalf("steps:\n%s", rep)
	}
	text := rep.String()
	if !strings.Contains(flat(text), `Result: Step 2, "List recent recordings", did not work. Zoom sent an answer Cloudreel could not read.`) {
		t.Errorf("the report's result:\n%s", text)
	}
	for _, want := range []string{
		"What kind of failure: an answer Cloudreel could not read or did not expect.",
		"The last answer: 200 OK, JSON,",
		"duration: object\n",
		"minutes: number",
		"session_owner: array of 1",
		"user_key: string",
		"3. Ask for one file's download link: not tried.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q:\n%s", want, text)
		}
	}
}

// flat is text with every run of spaces and line breaks made one space,
// as a sentence reads whichever way the report wraps it.
func flat(text string) string { return strings.Join(strings.Fields(text), " ") }

// A failing step is said in plain words, and the steps after it are not
// tried.
func TestFailingStepInPlainWords(t *testing.T) {
	w := newWorld(t, false)
	a := w.accs[fetch.IBMVideo]
	if err := w.store.Update(context.Background(), a, "not-the-ibm-client-secret"); err != nil {
		t.Fatal(err)
	}
	rep := w.check(t, fetch.IBMVideo, nil)
	failed, ok := rep.Failed()
	if !ok || failed.Name != doctor.StepSignIn || failed.Kind != fetch.KindAuth {
		t.Fatalf("steps:\n%s", rep)
	}
	want := `Step 1, "Sign in", did not work. IBM Video Streaming did not accept the client ID with this client secret.`
	if !strings.HasPrefix(rep.Summary(), want) {
		t.Fatalf("summary %q, want it to start %q", rep.Summary(), want)
	}
	text := rep.String()
	for _, s := range []string{"2. List recent recordings: not tried.", "What kind of failure: the sign-in was refused.", "The last answer: 4", "Result: " + want} {
		if !strings.Contains(flat(text), s) {
			t.Errorf("the report lacks %q:\n%s", s, text)
		}
	}
	if strings.Contains(text, "not-the-ibm-client-secret") {
		t.Fatal("the report carries the secret")
	}

	// Nothing answers at the server's address.
	hs := httptest.NewServer(http.NotFoundHandler())
	gone := hs.URL
	hs.Close()
	z := w.accs[fetch.ZoomSDK]
	z.Server = gone + "/zoom/v2"
	if err := w.store.Update(context.Background(), z, ""); err != nil {
		t.Fatal(err)
	}
	w.accs[fetch.ZoomSDK] = z
	rep = w.check(t, fetch.ZoomSDK, nil)
	if f, ok := rep.Failed(); !ok || f.Name != doctor.StepSignIn || !strings.Contains(rep.String(), "no answer: nothing answered (connection refused)") ||
		!strings.Contains(rep.Summary(), "Nothing answers at") {
		t.Fatalf("an unreachable server:\n%s", rep)
	}
}

// A Valt account with a pinned certificate is checked through the pinned
// client: the pin is honoured (the certificate is self-signed) and every
// request is still written down.
func TestValtPinnedClient(t *testing.T) {
	w := newWorld(t, true)
	rep := w.check(t, fetch.Valt, nil)
	assertWorked(t, rep)

	a := w.accs[fetch.Valt]
	a.Pin = strings.Repeat("AB:", 31) + "AB"
	if err := w.store.Update(context.Background(), a, ""); err != nil {
		t.Fatal(err)
	}
	w.accs[fetch.Valt] = a
	rep = w.check(t, fetch.Valt, nil)
	f, ok := rep.Failed()
	if !ok || f.Name != doctor.StepSignIn || f.Kind != fetch.KindUntrusted || !strings.Contains(rep.String(), "no answer: the server's certificate was not trusted") {
		t.Fatalf("a pin that does not match:\n%s", rep)
	}
}

// A failed step's last answer is the last one that came, not a call that
// Cloudreel stopped once another had failed (a list walked side by side):
// TestUnknownFieldShape read "the check was stopped" when a stopped month
// window's call ended after the failing page.
func TestLastAnswerLeavesOutStoppedCalls(t *testing.T) {
	rep := doctor.Report{Platform: fetch.ZoomSDK, Steps: []doctor.Step{{
		Name: doctor.StepList, Outcome: doctor.Failed, Kind: fetch.ErrorKind(0),
		Exchanges: []doctor.Exchange{
			{Method: "GET", Path: "/v2/videosdk/sessions", Status: 200, ContentType: "text/plain", Bytes: 12},
			{Method: "GET", Path: "/v2/videosdk/sessions", Failure: "the check was stopped", Stopped: true},
		},
	}}}
	text := rep.String()
	if !strings.Contains(text, "The last answer: 200 OK, not JSON (text/plain), 12 bytes.") {
		t.Fatalf("the report's last answer:\n%s", text)
	}
	rep.Steps[0].Exchanges = rep.Steps[0].Exchanges[1:]
	if text := rep.String(); !strings.Contains(text, "The last answer: no answer: the check was stopped.") {
		t.Fatalf("with only a stopped call, the report's last answer:\n%s", text)
	}
}

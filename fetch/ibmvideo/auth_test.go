package ibmvideo

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"cloudreel/fetch"
)

// tokenServer answers every token request with status and the golden
// file body, and remembers the last request's form and Basic user.
type tokenServer struct {
	*httptest.Server
	requests   atomic.Int32
	mu         sync.Mutex
	form       url.Values
	basicUser  string
	basicFound bool
}

func newTokenServer(t *testing.T, status int, golden string) *tokenServer {
	t.Helper()
	body, err := os.ReadFile("testdata/" + golden)
	if err != nil {
		t.Fatal(err)
	}
	ts := &tokenServer{}
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/oauth2/token" {
			http.NotFound(w, r)
			return
		}
		ts.requests.Add(1)
		_ = r.ParseForm()
		user, _, ok := r.BasicAuth()
		ts.mu.Lock()
		ts.form, ts.basicUser, ts.basicFound = r.PostForm, user, ok
		ts.mu.Unlock()
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}))
	t.Cleanup(ts.Close)
	return ts
}

func connectTo(t *testing.T, ts *tokenServer) *Connector {
	t.Helper()
	c, err := New(Config{Server: ts.URL, ClientID: "AAAAAAAAAABBBBBBBBBBCCCCCCCCCCDDDDDDDDDD", ClientSecret: "the-client-secret"})
	if err != nil {
		t.Fatal(err)
	}
	c.api.Backoff, c.api.Limiter, c.api.Pace = time.Millisecond, nil, nil
	return c
}

// The documented client credentials request: grant_type and client_id
// in the form, the secret by HTTP Basic; the documented success answer
// (the page's example body) is read.
func TestTokenRequestAsDocumented(t *testing.T) {
	ts := newTokenServer(t, http.StatusOK, "auth_token_example.json")
	c := connectTo(t, ts)
	tok, err := c.token(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if tok != "ab345cdef123ef1267890abcdef04567890abcd1" {
		t.Fatalf("token %q", tok)
	}
	if exp := time.Until(c.tok.Expiry); exp < 23*time.Hour || exp > 25*time.Hour {
		t.Fatalf("the token expires in %v, want expires_in 86400 s", exp)
	}
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.form.Get("grant_type") != "client_credentials" || ts.form.Get("client_id") != "AAAAAAAAAABBBBBBBBBBCCCCCCCCCCDDDDDDDDDD" {
		t.Fatalf("form %v: want grant_type and client_id", ts.form)
	}
	if ts.form.Has("client_secret") || !ts.basicFound || ts.basicUser != "AAAAAAAAAABBBBBBBBBBCCCCCCCCCCDDDDDDDDDD" {
		t.Fatalf("the secret must go by HTTP Basic only: form %v, basic %v %q", ts.form, ts.basicFound, ts.basicUser)
	}
}

// IBM's error table: a wrong secret is 400 invalid_client, another grant
// 501 unsupported_grant_type. Each is one request, in plain words.
func TestTokenErrorsArePlainAndNotRetried(t *testing.T) {
	for _, tc := range []struct {
		status int
		golden string
		kind   fetch.ErrorKind
		words  string
	}{
		{http.StatusBadRequest, "auth_error_invalid_client.json", fetch.KindAuth, "did not accept the client ID or client secret"},
		{http.StatusNotImplemented, "auth_error_unsupported_grant_type.json", fetch.KindInvalid, "does not offer the kind of sign-in"},
	} {
		ts := newTokenServer(t, tc.status, tc.golden)
		c := connectTo(t, ts)
		err := c.Check(context.Background())
		if fetch.KindOf(err) != tc.kind || fetch.Retryable(err) {
			t.Fatalf("%d: kind %v, retryable %v: %v", tc.status, fetch.KindOf(err), fetch.Retryable(err), err)
		}
		plain := fetch.Plain(err)
		if !strings.Contains(plain, tc.words) || strings.ContainsAny(plain, "{}\"") || strings.Contains(plain, "the-client-secret") {
			t.Fatalf("%d: not plain words: %q", tc.status, plain)
		}
		if n := ts.requests.Load(); n != 1 {
			t.Fatalf("%d: %d token requests, want 1 (no retry)", tc.status, n)
		}
	}
}

// The documented API base gets the documented token URL, on another
// host; a private deployment gets its own host's, or the one it names.
func TestTokenURL(t *testing.T) {
	for _, tc := range []struct{ server, tokenURL, want string }{
		{"", "", DefaultTokenURL},
		{"https://api.video.ibm.com", "", DefaultTokenURL},
		{" https://API.video.ibm.com/ ", "", DefaultTokenURL},
		{"https://api.video.ibm.com:443", "", DefaultTokenURL},
		{"https://video.example.org/api", "", "https://video.example.org/api/oauth2/token"},
		{"https://video.example.org", "https://login.example.org/oauth2/token/", "https://login.example.org/oauth2/token"},
		{"https://api.video.ibm.com", "https://login.example.org/token", "https://login.example.org/token"},
	} {
		c, err := New(Config{Server: tc.server, TokenURL: tc.tokenURL, ClientID: "id", ClientSecret: "secret-value"})
		if err != nil {
			t.Fatalf("%q %q: %v", tc.server, tc.tokenURL, err)
		}
		if c.creds.TokenURL != tc.want {
			t.Errorf("server %q, token URL %q: signs in at %q, want %q", tc.server, tc.tokenURL, c.creds.TokenURL, tc.want)
		}
	}
	if _, err := New(Config{TokenURL: "video.ibm.com/oauth2/token", ClientID: "id", ClientSecret: "secret-value"}); fetch.KindOf(err) != fetch.KindInvalid {
		t.Fatalf("a token URL that is no address: %v", err)
	}
}

// Issue 12, for IBM: ten calls refused together after the token died
// ask for one new token, and all succeed with it.
func TestConcurrentCallsAfterRevocationSignInOnce(t *testing.T) {
	s := newSim(t, 4)
	c := newConnector(t, s, s.Config().Credentials.IBMSecret)
	if err := c.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.RevokeIBMTokens()
	before := s.Requests("POST /ibm/oauth2/token")
	start := make(chan struct{})
	errs := make([]error, 10)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() {
			<-start
			_, errs[i] = collect(t, c, fetch.Query{})
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("call %d: %v", i, err)
		}
	}
	if n := s.Requests("POST /ibm/oauth2/token") - before; n != 1 {
		t.Fatalf("%d token requests for ten calls refused together, want 1", n)
	}
}

package valt

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"cloudreel/fetch/sim"
)

// slowLoginSim serves a simulator whose sign-in takes a moment, as a
// real server's does, so that calls rejected together all ask for a new
// token while the first sign-in is still under way.
func slowLoginSim(t *testing.T, n int) *sim.Server {
	t.Helper()
	s := sim.New(sim.Config{Recordings: n, MinSize: 1 << 10, MaxSize: 2 << 10})
	h := s.Handler()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/api/v3/login") {
			time.Sleep(50 * time.Millisecond)
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	s.SetURL(hs.URL)
	return s
}

// Issue 12: ten calls that meet a 401 at once sign in once. Valt cancels
// a user's previous token on each sign-in, so ten sign-ins at once left
// most calls holding a dead token and failing with "signed out".
func TestConcurrentCallsAfterExpirySignInOnce(t *testing.T) {
	s := slowLoginSim(t, 10)
	c := newConnector(t, s, nil)
	recs := collect(t, c, everything(s))
	s.ExpireValtSessions()
	before := s.Requests(loginRoute)

	ctx := context.Background()
	start := make(chan struct{})
	errs := make([]error, 10)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() {
			<-start
			_, errs[i] = c.Resolve(ctx, recs[i%len(recs)].Files[0])
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("call %d: %v", i, err)
		}
	}
	if n := s.Requests(loginRoute) - before; n != 1 {
		t.Fatalf("%d sign-ins for ten calls rejected together, want 1", n)
	}
}

// A call that was in flight while another renewed the token, and is
// then refused with the old one, uses the renewed token: no new sign-in.
func TestTokenRenewedDuringACallIsUsed(t *testing.T) {
	s := newSim(t, 3)
	c := newConnector(t, s, nil)
	rec := collect(t, c, everything(s))[0]
	c.mu.Lock()
	old := c.token
	c.mu.Unlock()
	// Another call renews the token (the old one dies with it).
	s.ExpireValtSessions()
	if _, err := c.Resolve(context.Background(), rec.Files[0]); err != nil {
		t.Fatal(err)
	}
	before := s.Requests(loginRoute)
	tok, err := c.accessToken(context.Background(), old)
	if err != nil {
		t.Fatal(err)
	}
	if tok == old || tok == "" || s.Requests(loginRoute) != before {
		t.Fatalf("after a refusal of the old token: got a new one %v, %d more sign-ins", tok != old, s.Requests(loginRoute)-before)
	}
}

// A caller that gives up while the sign-in runs leaves it to the others:
// its cancellation does not fail them.
func TestCanceledCallerDoesNotFailTheSignIn(t *testing.T) {
	s := slowLoginSim(t, 3)
	c := newConnector(t, s, nil)
	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() {
		_, err := c.accessToken(ctx, "")
		first <- err
	}()
	time.Sleep(10 * time.Millisecond) // the sign-in is under way
	second := make(chan error, 1)
	go func() {
		_, err := c.accessToken(context.Background(), "")
		second <- err
	}()
	cancel()
	if err := <-first; err == nil {
		t.Fatal("the canceled caller got a token")
	}
	if err := <-second; err != nil {
		t.Fatalf("the other caller: %v", err)
	}
	if n := s.Requests(loginRoute); n != 1 {
		t.Fatalf("%d sign-ins, want 1", n)
	}
}

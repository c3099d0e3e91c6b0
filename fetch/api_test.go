package fetch

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestAPIClientHonoursRetryAfterAndSaysItWaits(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	c := NewAPIClient(srv.Client(), 100)
	c.Backoff = time.Millisecond
	var waited []time.Duration
	var kinds []ErrorKind
	ctx := WithWaitNotice(context.Background(), func(d time.Duration, reason error) {
		waited = append(waited, d)
		kinds = append(kinds, KindOf(reason))
	})
	resp, err := c.Do(ctx, func(ctx context.Context) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if calls.Load() != 2 {
		t.Fatalf("%d calls, want 2", calls.Load())
	}
	if len(waited) != 1 || waited[0] != time.Second || kinds[0] != KindRateLimited {
		t.Fatalf("wait notices %v %v, want one of 1s for a rate limit", waited, kinds)
	}
}

func TestAPIClientGivesUpOnALongRetryAfter(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	c := NewAPIClient(srv.Client(), 100)
	_, err := c.Do(context.Background(), func(ctx context.Context) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	})
	var e *Error
	if KindOf(err) != KindRateLimited || !errors.As(err, &e) || e.Retry != time.Hour {
		t.Fatalf("got %v, want a rate-limited error asking for an hour", err)
	}
}

func TestDoSignedSignsInAgainOnceOn401(t *testing.T) {
	valid := "fresh"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Token") != valid {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	defer srv.Close()
	c := NewAPIClient(srv.Client(), 100)
	var asked []string
	call := SignedCall{
		Platform: "Test",
		Token: func(_ context.Context, rejected string) (string, error) {
			asked = append(asked, rejected)
			if rejected == "" {
				return "stale", nil
			}
			return "fresh", nil
		},
		Request: func(ctx context.Context, tok string) (*http.Request, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
			if err == nil {
				req.Header.Set("X-Token", tok)
			}
			return req, err
		},
	}
	resp, body, err := c.DoSigned(context.Background(), call)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("DoSigned: %v %v", resp, err)
	}
	var out struct{ OK bool }
	if err := DecodeJSON("Test", body, &out); err != nil || !out.OK {
		t.Fatalf("decoding %q: %v", body, err)
	}
	if len(asked) != 2 || asked[0] != "" || asked[1] != "stale" {
		t.Fatalf("tokens asked with rejected=%q, want \"\" then the refused one", asked)
	}

	// Refused twice: the second 401 is the answer, not a loop.
	valid, asked = "never", nil
	resp, _, err = c.DoSigned(context.Background(), call)
	if err != nil || resp.StatusCode != http.StatusUnauthorized || len(asked) != 2 {
		t.Fatalf("refused twice: %v %v after %d sign-ins", resp, err, len(asked))
	}
	if err := DecodeJSON("Test", []byte("<html>"), &out); KindOf(err) != KindInvalid {
		t.Fatalf("an HTML answer decoded as %v", err)
	}
}

func TestServerBase(t *testing.T) {
	ok := map[[2]string]string{
		{" https://valt.school.edu/ ", ""}: "https://valt.school.edu",
		{"", "https://api.zoom.us/v2"}:     "https://api.zoom.us/v2",
		{"http://127.0.0.1:8090/ibm", "x"}: "http://127.0.0.1:8090/ibm",
	}
	for in, want := range ok {
		if got, err := ServerBase(in[0], in[1], "https://example.org"); err != nil || got != want {
			t.Errorf("ServerBase(%q, %q) = %q, %v; want %q", in[0], in[1], got, err, want)
		}
	}
	for _, bad := range []string{"ftp://valt.example", "valt.school.edu", "https://", ""} {
		if _, err := ServerBase(bad, "", "https://example.org"); KindOf(err) != KindInvalid || !strings.Contains(Plain(err), "https://example.org") {
			t.Errorf("ServerBase(%q) gave %v, want a plain KindInvalid error with the example", bad, err)
		}
	}
	for _, withUser := range []string{"https://bob:hunter2@valt.school.edu", "https://bob@valt.school.edu/api",
		"bob:hunter2@valt.school.edu", "https://valt.school.edu@evil.example", "https://bob:hunter2@"} {
		_, err := ServerBase(withUser, "", "https://example.org")
		if KindOf(err) != KindInvalid || !strings.Contains(Plain(err), "user name or password") {
			t.Errorf("ServerBase(%q) gave %v, want a plain refusal of the user name and password", withUser, err)
		}
		if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "bob") {
			t.Errorf("ServerBase(%q) repeats the user info: %v", withUser, err)
		}
	}
	if got := ColonHex("abcdef01"); got != "AB:CD:EF:01" {
		t.Errorf("ColonHex = %q", got)
	}
}

// silentServer accepts connections and never answers; it counts them.
func silentServer(t *testing.T) (addr string, accepted *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	accepted = new(atomic.Int32)
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			mu.Lock()
			conns = append(conns, c) // held open, unread, unanswered
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	})
	return ln.Addr().String(), accepted
}

// A server that accepts and never answers is a network fault after the
// header timeout, tried again with backoff like any other, and the call
// ends in a plain KindUnreachable error rather than hanging.
func TestAPIClientGivesUpOnASilentServer(t *testing.T) {
	addr, accepted := silentServer(t)
	for name, viaContext := range map[string]bool{"the client's timeout": false, "the context's timeout": true} {
		t.Run(name, func(t *testing.T) {
			c := &APIClient{HTTP: &http.Client{}, Tries: 3, Backoff: time.Millisecond}
			before := accepted.Load()
			// The test's own bound: without a header timeout the call
			// would run into it and fail the checks below.
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			if viaContext {
				ctx = WithHeaderTimeout(ctx, 50*time.Millisecond)
			} else {
				c.HeaderTimeout = 50 * time.Millisecond
			}
			_, err := c.Do(ctx, func(ctx context.Context) (*http.Request, error) {
				return http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/api/records", nil)
			})
			if KindOf(err) != KindUnreachable || !strings.Contains(Plain(err), "did not answer within") {
				t.Fatalf("got %v, want a KindUnreachable error saying the server did not answer", err)
			}
			if n := accepted.Load() - before; n != 3 {
				t.Errorf("the server saw %d tries, want 3", n)
			}
		})
	}
}

// The try's context lives as long as its answer's body: a body read
// after Do returns is whole.
func TestAPIClientBodyOutlivesTheHeaderTimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		time.Sleep(100 * time.Millisecond)
		w.Write([]byte("the rest"))
	}))
	defer srv.Close()
	c := &APIClient{HTTP: srv.Client(), HeaderTimeout: 50 * time.Millisecond}
	heard := 0
	ctx := WithAnswerNotice(context.Background(), func() { heard++ })
	resp, err := c.Do(ctx, func(ctx context.Context) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	body, err := ReadBody(resp, 1<<10)
	if err != nil || string(body) != "the rest" || heard != 1 {
		t.Errorf("body %q, %v, answers heard %d; want the whole body and one answer", body, err, heard)
	}
}

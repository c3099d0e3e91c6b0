package huawei

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"cloudreel/fetch/sim"
)

// testClock is a clock a test moves while the connector's goroutines read it.
type testClock struct{ offset atomic.Int64 }

func (c *testClock) now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *testClock) advance(d time.Duration) { c.offset.Store(int64(d)) }

// withClock makes c go by a test clock.
func withClock(c *Connector) *testClock {
	k := &testClock{}
	c.now = k.now
	return k
}

func hmacHex(text, key string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(text))
	return hex.EncodeToString(m.Sum(nil))
}

func signIns(s *sim.Server) int  { return s.Requests("POST /huawei/v1/usg/acs/auth/account") }
func renewals(s *sim.Server) int { return s.Requests("PUT /huawei/v1/usg/acs/token") }

func check(c *Connector) error { return c.Check(context.Background()) }

// TestAppIDSignInRequest checks, on a fake server that records it, what
// each App ID sign-in sends: a single enterprise's App ID sends no corpId
// and signs appId:userId:expireTime:nonce; an SP's sends corpId and signs
// appId:corpId:userId:expireTime:nonce; an empty user ID is left out of
// the body and keeps its place in the signed text.
func TestAppIDSignInRequest(t *testing.T) {
	var got struct {
		body map[string]any
		auth string
	}
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.auth = r.Header.Get("Authorization")
		got.body = nil
		_ = json.NewDecoder(r.Body).Decode(&got.body)
		_, _ = io.WriteString(w, `{"accessToken":"fake-token-123","validPeriod":43200}`)
	}))
	defer api.Close()
	for _, tc := range []struct {
		name             string
		corp, user       string
		signed           string // with EXP and NONCE for the body's values
		hasCorp, hasUser bool
	}{
		{"single enterprise", "", "alice", "app-1:alice:EXP:NONCE", false, true},
		{"single enterprise, default administrator", "", "", "app-1::EXP:NONCE", false, false},
		{"SP", "corp-9", "alice", "app-1:corp-9:alice:EXP:NONCE", true, true},
		{"SP, the enterprise's administrator", "corp-9", "", "app-1:corp-9::EXP:NONCE", true, false},
	} {
		c := connect(t, Config{Server: api.URL, AppID: "app-1", AppKey: "key-1", UserID: tc.user, CorpID: tc.corp})
		if _, err := c.accessToken(context.Background(), ""); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		b := got.body
		_, hasCorp := b["corpId"]
		_, hasUser := b["userId"]
		if hasCorp != tc.hasCorp || hasUser != tc.hasUser || b["appId"] != "app-1" || b["clientType"] != float64(72) {
			t.Fatalf("%s: body %v", tc.name, b)
		}
		if hasCorp && b["corpId"] != tc.corp || hasUser && b["userId"] != tc.user {
			t.Fatalf("%s: body %v", tc.name, b)
		}
		nonce, _ := b["nonce"].(string)
		exp := int64(b["expireTime"].(float64))
		if len(nonce) < 32 || len(nonce) > 64 || exp <= time.Now().Unix() {
			t.Fatalf("%s: nonce %q, expireTime %d", tc.name, nonce, exp)
		}
		text := strings.NewReplacer("EXP", fmt.Sprint(exp), "NONCE", nonce).Replace(tc.signed)
		if want := "HMAC-SHA256 signature=" + hmacHex(text, "key-1"); got.auth != want {
			t.Fatalf("%s: Authorization %q, want the signature of %q", tc.name, got.auth, text)
		}
	}
}

// TestTokenRenewal: before its expiry a token is kept; close to it, it is
// renewed with PUT /v1/usg/acs/token, in each reading of what the renewal
// hands back; a renewal that fails falls back to signing in again; a token
// the platform dropped is replaced on its 401.
func TestTokenRenewal(t *testing.T) {
	for _, sameToken := range []bool{false, true} {
		t.Run(fmt.Sprintf("same token %v", sameToken), func(t *testing.T) {
			s := newSim(t, 2)
			s.Faults().Update(func(f *sim.FaultSet) { f.HuaweiRenewSameToken = sameToken })
			c := connect(t, accountConfig(s))
			clock := withClock(c)
			if err := check(c); err != nil || signIns(s) != 1 {
				t.Fatalf("first check: %v, %d sign-ins", err, signIns(s))
			}
			first := c.token
			// 12 h tokens are renewed ten minutes early.
			clock.advance(11*time.Hour + 45*time.Minute)
			if err := check(c); err != nil || signIns(s) != 1 || renewals(s) != 0 {
				t.Fatalf("at 11h45: %v, %d sign-ins, %d renewals", err, signIns(s), renewals(s))
			}
			clock.advance(11*time.Hour + 55*time.Minute)
			if err := check(c); err != nil || signIns(s) != 1 || renewals(s) != 1 {
				t.Fatalf("at 11h55: %v, %d sign-ins, %d renewals", err, signIns(s), renewals(s))
			}
			if (c.token == first) != sameToken {
				t.Fatalf("after renewal the token changed: %v", c.token != first)
			}
			// The renewed token lives another 12 h from 11h55.
			clock.advance(23*time.Hour + 30*time.Minute)
			if err := check(c); err != nil || signIns(s) != 1 || renewals(s) != 1 {
				t.Fatalf("at 23h30: %v, %d sign-ins, %d renewals", err, signIns(s), renewals(s))
			}
			// A renewal refused (the platform dropped the token) falls back
			// to signing in again.
			s.RevokeHuaweiTokens()
			clock.advance(23*time.Hour + 50*time.Minute)
			if err := check(c); err != nil || signIns(s) != 2 || renewals(s) != 2 {
				t.Fatalf("renewal refused: %v, %d sign-ins, %d renewals", err, signIns(s), renewals(s))
			}
			// A token dropped before its time is replaced on its 401,
			// by signing in (renewing a dead token cannot work).
			s.RevokeHuaweiTokens()
			if err := check(c); err != nil || signIns(s) != 3 || renewals(s) != 2 {
				t.Fatalf("after revocation: %v, %d sign-ins, %d renewals", err, signIns(s), renewals(s))
			}
		})
	}
}

// heldTransport passes requests to the simulator, except that it can
// hold a request before sending it, or its answer after, until released.
type heldTransport struct {
	before  func(*http.Request) bool                 // hold this request before sending it
	after   func(*http.Request, *http.Response) bool // hold this answer
	arrived chan struct{}                            // one value per held request or answer
	release chan struct{}                            // closed to let them go
}

func (h *heldTransport) wait() {
	h.arrived <- struct{}{}
	<-h.release
}

func (h *heldTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if h.before != nil && h.before(r) {
		h.wait()
	}
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err == nil && h.after != nil && h.after(r, resp) {
		h.wait()
	}
	return resp, err
}

func isList(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/record/files") }

// TestConcurrent401sSignInOnce: calls that all meet a 401 at the same
// time (their answers held until every one has arrived) cause one
// sign-in between them.
func TestConcurrent401sSignInOnce(t *testing.T) {
	const calls = 8
	s := newSim(t, 2)
	ht := &heldTransport{arrived: make(chan struct{}, calls), release: make(chan struct{})}
	var held atomic.Int32
	ht.after = func(r *http.Request, resp *http.Response) bool {
		return isList(r) && resp.StatusCode == http.StatusUnauthorized && held.Add(1) <= calls
	}
	cfg := accountConfig(s)
	cfg.HTTP = &http.Client{Transport: ht}
	c := connect(t, cfg)
	if err := check(c); err != nil {
		t.Fatal(err)
	}
	s.RevokeHuaweiTokens()
	var wg sync.WaitGroup
	errs := make(chan error, calls)
	for range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.filesPage(context.Background(), 0, time.Now().UnixMilli(), 0, 10)
			errs <- err
		}()
	}
	for range calls {
		select {
		case <-ht.arrived:
		case <-time.After(10 * time.Second):
			t.Fatal("the calls did not all meet their 401")
		}
	}
	close(ht.release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := signIns(s); n != 2 {
		t.Fatalf("%d sign-ins, want the first and one for the %d calls that met a 401", n, calls)
	}
}

// TestTokenRenewedInFlightIsUsed: a call sent with the old token while
// another call renews it (the simulator then drops the old token) meets a
// 401 and takes the renewed token, without signing in.
func TestTokenRenewedInFlightIsUsed(t *testing.T) {
	s := newSim(t, 2)
	ht := &heldTransport{arrived: make(chan struct{}, 1), release: make(chan struct{})}
	var lists atomic.Int32
	var sent []string // the token each list request carried
	var mu sync.Mutex
	ht.before = func(r *http.Request) bool {
		if !isList(r) {
			return false
		}
		mu.Lock()
		sent = append(sent, r.Header.Get("X-Access-Token"))
		mu.Unlock()
		return lists.Add(1) == 2 // the held call's first try
	}
	cfg := accountConfig(s)
	cfg.HTTP = &http.Client{Transport: ht}
	c := connect(t, cfg)
	clock := withClock(c)
	if err := check(c); err != nil { // list request 1
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := c.filesPage(context.Background(), 0, time.Now().UnixMilli(), 0, 10) // request 2, held
		done <- err
	}()
	<-ht.arrived
	clock.advance(11*time.Hour + 55*time.Minute)
	if err := check(c); err != nil || renewals(s) != 1 { // renews, then request 3
		t.Fatalf("renewal: %v, %d renewals", err, renewals(s))
	}
	close(ht.release)
	if err := <-done; err != nil { // request 2 meets a 401, request 4 carries the new token
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(sent) != 4 || sent[1] != sent[0] || sent[3] != sent[2] || sent[2] == sent[0] {
		t.Fatalf("tokens sent: %d requests, old token on the held call %v, new one on its retry %v",
			len(sent), sent[1] == sent[0], len(sent) == 4 && sent[3] == sent[2])
	}
	if n := signIns(s); n != 1 {
		t.Fatalf("%d sign-ins, want 1: the renewed token is used", n)
	}
}

package sim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"cloudreel/fetch"
)

func ibmHuaweiSim(t *testing.T, recordings int) *Server {
	t.Helper()
	s := New(Config{Recordings: recordings, MinSize: 1 << 10, MaxSize: 4 << 10})
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	s.SetURL(hs.URL)
	return s
}

// ibmHuaweiCall sends a request and decodes a JSON answer into out (when not nil).
func ibmHuaweiCall(t *testing.T, method, u string, hdr http.Header, body io.Reader, out any) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatalf("%s %s: decoding: %v", method, u, err)
		}
	}
	return resp
}

func ibmSignIn(t *testing.T, s *Server, id, secret string) (int, map[string]any) {
	t.Helper()
	return ibmTokenRequest(t, s, url.Values{"grant_type": {"client_credentials"}, "client_id": {id}}, id, secret)
}

// ibmTokenRequest posts form to the token endpoint with HTTP Basic
// id:secret (none when id is empty).
func ibmTokenRequest(t *testing.T, s *Server, form url.Values, id, secret string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.BaseURL(fetch.IBMVideo)+"/oauth2/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if id != "" {
		req.SetBasicAuth(id, secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, out
}

func ibmBearer(t *testing.T, s *Server) http.Header {
	t.Helper()
	c := s.Config().Credentials
	code, tok := ibmSignIn(t, s, c.IBMClientID, c.IBMSecret)
	if code != http.StatusOK || tok["token_type"] != "bearer" || tok["expires_in"] != float64(86400) {
		t.Fatalf("sign-in: %d %v", code, tok)
	}
	return http.Header{"Authorization": {"Bearer " + tok["access_token"].(string)}}
}

func TestIBMSignInAndBearer(t *testing.T) {
	s := ibmHuaweiSim(t, 3)
	code, body := ibmSignIn(t, s, s.Config().Credentials.IBMClientID, "wrong")
	if code != http.StatusBadRequest || body["error"] != "invalid_client" {
		t.Fatalf("wrong secret: %d %v", code, body)
	}
	list := s.BaseURL(fetch.IBMVideo) + "/users/self/videos.json"
	var e map[string]any
	if resp := ibmHuaweiCall(t, "GET", list, http.Header{"Authorization": {"Bearer nope"}}, nil, &e); resp.StatusCode != 401 || e["error"] != "invalid_token" {
		t.Fatalf("bad token: %d %v", resp.StatusCode, e)
	}
	h := ibmBearer(t, s)
	if resp := ibmHuaweiCall(t, "GET", list, h, nil, nil); resp.StatusCode != 200 {
		t.Fatalf("good token: %d", resp.StatusCode)
	}
	s.RevokeIBMTokens()
	if resp := ibmHuaweiCall(t, "GET", list, h, nil, nil); resp.StatusCode != 401 {
		t.Fatalf("revoked token: %d", resp.StatusCode)
	}
}

func TestIBMVideosPagesFollowNext(t *testing.T) {
	s := ibmHuaweiSim(t, 120)
	h := ibmBearer(t, s)
	recs := s.Recordings(fetch.IBMVideo)
	// A range that cuts the data set: from the 30th newest to the 100th.
	from, to := recs[99].Start.Unix(), recs[30].Start.Unix()
	q := url.Values{"pagesize": {"80"}, "filter[fromdate]": {strconv.FormatInt(from, 10)}, "filter[todate]": {strconv.FormatInt(to, 10)}}
	next := s.BaseURL(fetch.IBMVideo) + "/users/self/videos.json?" + q.Encode()
	seen := map[string]bool{}
	pages := 0
	for next != "" {
		var page struct {
			Videos []map[string]any `json:"videos"`
			Paging map[string]any   `json:"paging"`
		}
		ibmHuaweiCall(t, "GET", next, h, nil, &page)
		pages++
		if len(page.Videos) > ibmMaxPageSize {
			t.Fatalf("page of %d videos, over the maximum", len(page.Videos))
		}
		for _, v := range page.Videos {
			id := v["id"].(string)
			if seen[id] {
				t.Fatalf("video %s listed twice", id)
			}
			seen[id] = true
			if _, ok := v["length"].(string); !ok {
				t.Fatalf("length is not a string: %#v", v["length"])
			}
			if _, ok := v["file_size"].(string); !ok {
				t.Fatalf("file_size is not a string: %#v", v["file_size"])
			}
			if c := int64(v["created_at"].(float64)); c < from || c > to {
				t.Fatalf("video created at %d, outside [%d, %d]", c, from, to)
			}
		}
		next, _ = page.Paging["next"].(string)
		if next != "" && !strings.HasPrefix(next, s.URL()) {
			t.Fatalf("next is not absolute: %q", next)
		}
	}
	if len(seen) != 70 || pages != 2 {
		t.Fatalf("got %d videos in %d pages, want 70 in 2", len(seen), pages)
	}
}

type ibmDownloadableAnswer struct {
	Downloadable struct {
		Status      string  `json:"status"`
		DownloadURL *string `json:"download_url"`
		ExpiresAt   *int64  `json:"expires_at"`
	} `json:"downloadable"`
}

func TestIBMDownloadablePendingThenAvailable(t *testing.T) {
	s := ibmHuaweiSim(t, 2)
	s.Faults().Update(func(f *FaultSet) { f.IBMPendingPolls = 2 })
	h := ibmBearer(t, s)
	rec := s.Recordings(fetch.IBMVideo)[0]
	u := s.BaseURL(fetch.IBMVideo) + "/videos/" + rec.ID + "/downloadable/mp4.json"
	poll := func(method string) ibmDownloadableAnswer {
		var a ibmDownloadableAnswer
		if resp := ibmHuaweiCall(t, method, u, h, nil, &a); resp.StatusCode != 200 {
			t.Fatalf("%s: %d", method, resp.StatusCode)
		}
		return a
	}
	if a := poll("GET"); a.Downloadable.Status != "unavailable" || a.Downloadable.DownloadURL != nil {
		t.Fatalf("before any POST: %+v", a.Downloadable)
	}
	if a := poll("POST"); a.Downloadable.Status != "pending" {
		t.Fatalf("POST: %+v", a.Downloadable)
	}
	for i := 0; i < 2; i++ {
		if a := poll("GET"); a.Downloadable.Status != "pending" || a.Downloadable.DownloadURL != nil {
			t.Fatalf("poll %d: %+v", i+1, a.Downloadable)
		}
	}
	a := poll("GET")
	if a.Downloadable.Status != "available" || a.Downloadable.DownloadURL == nil || a.Downloadable.ExpiresAt == nil {
		t.Fatalf("after the pending polls: %+v", a.Downloadable)
	}
	if exp := time.Unix(*a.Downloadable.ExpiresAt, 0); exp.Before(time.Now().Add(23*time.Hour)) || exp.After(time.Now().Add(25*time.Hour)) {
		t.Fatalf("expires_at %v is not a day away", exp)
	}
	resp, err := http.Get(*a.Downloadable.DownloadURL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || int64(len(body)) != rec.Files[0].Size {
		t.Fatalf("download: %d, %d bytes of %d", resp.StatusCode, len(body), rec.Files[0].Size)
	}
	if resp, _ := http.Get(strings.Replace(*a.Downloadable.DownloadURL, "token=", "token=x", 1)); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("forged link: %d", resp.StatusCode)
	}

	var e map[string]any
	if resp := ibmHuaweiCall(t, "GET", s.BaseURL(fetch.IBMVideo)+"/videos/1/downloadable/mp4.json", h, nil, &e); resp.StatusCode != 404 || e["error"] != "not_found" {
		t.Fatalf("unknown video: %d %v", resp.StatusCode, e)
	}
}

func TestIBMLinkExpiry(t *testing.T) {
	s := ibmHuaweiSim(t, 1)
	s.Faults().Update(func(f *FaultSet) { f.LinkTTL = 20 * time.Millisecond })
	h := ibmBearer(t, s)
	u := s.BaseURL(fetch.IBMVideo) + "/videos/" + s.Recordings(fetch.IBMVideo)[0].ID + "/downloadable/mp4.json"
	var a ibmDownloadableAnswer
	ibmHuaweiCall(t, "POST", u, h, nil, &a)
	if a.Downloadable.Status != "available" || a.Downloadable.DownloadURL == nil {
		t.Fatalf("with no pending polls a POST is available at once: %+v", a.Downloadable)
	}
	time.Sleep(40 * time.Millisecond)
	if resp, _ := http.Get(*a.Downloadable.DownloadURL); resp.StatusCode != http.StatusGone {
		t.Fatalf("expired link: %d", resp.StatusCode)
	}
	var again ibmDownloadableAnswer
	ibmHuaweiCall(t, "GET", u, h, nil, &again)
	if again.Downloadable.Status != "unavailable" {
		t.Fatalf("after expires_at: %+v", again.Downloadable)
	}
}

// The token endpoint's documented error table, and client_id required in
// the form besides HTTP Basic.
func TestIBMTokenErrors(t *testing.T) {
	s := ibmHuaweiSim(t, 1)
	c := s.Config().Credentials
	for _, tc := range []struct {
		name       string
		form       url.Values
		id, secret string
		code       int
		err        string
	}{
		{"no client_id in the form", url.Values{"grant_type": {"client_credentials"}}, c.IBMClientID, c.IBMSecret, 400, "invalid_request"},
		{"no HTTP Basic", url.Values{"grant_type": {"client_credentials"}, "client_id": {c.IBMClientID}, "client_secret": {c.IBMSecret}}, "", "", 400, "invalid_client"},
		{"another client in Basic", url.Values{"grant_type": {"client_credentials"}, "client_id": {c.IBMClientID}}, "someone-else", c.IBMSecret, 400, "invalid_client"},
		{"unknown client", url.Values{"grant_type": {"client_credentials"}, "client_id": {"nobody"}}, "nobody", c.IBMSecret, 400, "invalid_client"},
		{"another grant", url.Values{"grant_type": {"password"}, "client_id": {c.IBMClientID}}, c.IBMClientID, c.IBMSecret, 501, "unsupported_grant_type"},
		{"no grant", url.Values{"client_id": {c.IBMClientID}}, c.IBMClientID, c.IBMSecret, 400, "invalid_request"},
	} {
		code, body := ibmTokenRequest(t, s, tc.form, tc.id, tc.secret)
		if code != tc.code || body["error"] != tc.err {
			t.Errorf("%s: %d %v, want %d %s", tc.name, code, body, tc.code, tc.err)
		}
	}
	code, body := ibmSignIn(t, s, c.IBMClientID, c.IBMSecret)
	tok, _ := body["access_token"].(string)
	if code != 200 || len(tok) != 40 || strings.Trim(tok, "0123456789abcdef") != "" || body["refresh_token"] == nil {
		t.Fatalf("sign-in: %d %v", code, body)
	}
}

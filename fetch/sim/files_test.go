package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"cloudreel/fetch"
)

func newTestServer(t *testing.T) (*Server, *File) {
	t.Helper()
	s := New(Config{Recordings: 3, MinSize: 300 << 10, MaxSize: 400 << 10})
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	s.SetURL(hs.URL)
	return s, s.Recordings(fetch.ZoomSDK)[0].Files[0]
}

func get(t *testing.T, url string, hdr map[string]string) (*http.Response, []byte, error) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

func TestContentIsStableAndStartsLikeMP4(t *testing.T) {
	s, f := newTestServer(t)
	_, body, err := get(t, s.FileURL(f, 0, false), nil)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(body)) != f.Size {
		t.Fatalf("got %d bytes, want %d", len(body), f.Size)
	}
	sum := sha256.Sum256(body)
	if hex.EncodeToString(sum[:]) != ContentSHA256(f) {
		t.Fatal("served bytes differ from Content")
	}
	if string(body[4:8]) != "ftyp" {
		t.Fatalf("file does not start with an ftyp box: %q", body[:12])
	}
}

func TestRangeIsHonouredOrIgnored(t *testing.T) {
	s, f := newTestServer(t)
	resp, body, err := get(t, s.FileURL(f, 0, false), map[string]string{"Range": "bytes=100000-"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusPartialContent || int64(len(body)) != f.Size-100000 {
		t.Fatalf("Range: status %d, %d bytes", resp.StatusCode, len(body))
	}
	if got := resp.Header.Get("Content-Range"); got == "" {
		t.Fatal("206 without Content-Range")
	}
	s.Faults().Update(func(fs *FaultSet) { fs.IgnoreRange = true })
	resp, body, err = get(t, s.FileURL(f, 0, false), map[string]string{"Range": "bytes=100000-"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || int64(len(body)) != f.Size || resp.Header.Get("Accept-Ranges") != "" {
		t.Fatalf("IgnoreRange: status %d, %d bytes", resp.StatusCode, len(body))
	}
}

func TestCutMidBodyAndErrorBody(t *testing.T) {
	s, f := newTestServer(t)
	s.Faults().Update(func(fs *FaultSet) { fs.CutMidBody = 1; fs.ErrorBody200 = 1 })
	// The error body comes first (it is checked before the cut).
	resp, body, err := get(t, s.FileURL(f, 0, false), nil)
	if err != nil || resp.StatusCode != 200 || len(body) != 59 {
		t.Fatalf("error body: %v, %d bytes", err, len(body))
	}
	_, body, err = get(t, s.FileURL(f, 0, false), nil)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("cut: want unexpected EOF, got %v after %d bytes", err, len(body))
	}
	_, body, err = get(t, s.FileURL(f, 0, false), nil)
	if err != nil || int64(len(body)) != f.Size {
		t.Fatalf("after faults: %v, %d bytes", err, len(body))
	}
}

func TestOneTimeLinksAndHead(t *testing.T) {
	s, f := newTestServer(t)
	u := s.FileURL(f, time.Hour, true)
	req, _ := http.NewRequest(http.MethodHead, u, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("HEAD: %v %v", err, resp.Status)
	}
	if resp, _, _ := get(t, u, nil); resp.StatusCode != 200 {
		t.Fatalf("first GET after a harmless HEAD: %s", resp.Status)
	}
	if resp, _, _ := get(t, u, nil); resp.StatusCode != http.StatusGone {
		t.Fatalf("second GET of a one-time link: %s", resp.Status)
	}
	s.Faults().Update(func(fs *FaultSet) { fs.HeadSpendsToken = true })
	u = s.FileURL(f, time.Hour, true)
	req, _ = http.NewRequest(http.MethodHead, u, nil)
	if _, err := http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	if resp, _, _ := get(t, u, nil); resp.StatusCode != http.StatusGone {
		t.Fatalf("GET after a spending HEAD: %s", resp.Status)
	}
	u = s.FileURL(f, time.Millisecond, false)
	time.Sleep(5 * time.Millisecond)
	if resp, _, _ := get(t, u, nil); resp.StatusCode != http.StatusGone {
		t.Fatalf("expired link: %s", resp.Status)
	}
}

func TestDataHasTheHardCases(t *testing.T) {
	s := New(Config{})
	var split, special, long bool
	for _, p := range fetch.Platforms {
		recs := s.Recordings(p)
		if len(recs) != 40 {
			t.Fatalf("%s: %d recordings", p, len(recs))
		}
		for _, r := range recs {
			if len(r.Files) == 0 {
				t.Fatalf("%s %s has no files", p, r.ID)
			}
			for _, f := range r.Files {
				if f.Part > 1 {
					split = true
				}
			}
			if len(r.Title) > 255 {
				long = true
			}
			for _, c := range `:/?*"<>|` {
				if containsRune(r.Title, c) {
					special = true
				}
			}
		}
	}
	if !split || !special || !long {
		t.Fatalf("split %v, special %v, long %v", split, special, long)
	}
}

func containsRune(s string, r rune) bool {
	for _, c := range s {
		if c == r {
			return true
		}
	}
	return false
}

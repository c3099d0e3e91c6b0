package valt

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"cloudreel/fetch"
)

func golden(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Seed 000's own successful answer, bare and under "data" as its table
// shows it, decoded with the connector's types.
func TestSeedDownloadAnswer(t *testing.T) {
	bare := golden(t, "seed000_download.json")
	wrapped, _ := json.Marshal(map[string]json.RawMessage{"data": bare})
	for name, raw := range map[string][]byte{"bare": bare, "under data": wrapped} {
		var ans downloadAnswer
		if err := json.Unmarshal(unwrapData(raw), &ans); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// The seed's token was issued at 1746563416 and lives 30 minutes.
		src, err := sourceFromURL("https://ivssvdev1.ad.ipivs.com", ans.URL, time.Unix(1746563416, 0))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		u, _ := url.Parse(src.URL)
		if u.Host != "ivssvdev1.ad.ipivs.com:8000" || u.Path != "/distribution/6ecfe37c-a2e9-4f2d-b56e-847a4e730ed0/1_6ecfe37c-a2e9-4f2d-b56e-847a4e730ed0_1.mp4" {
			t.Fatalf("%s: URL %s", name, u.Redacted())
		}
		if !strings.HasPrefix(u.Query().Get("access_token"), "eyJ0eXAiOiJKV1Qi") {
			t.Fatalf("%s: the link lost its token", name)
		}
		if want := "Just a room  TW3304.ad.ipivs.com 05-06-2025 10-18-AM.mp4"; src.SuggestedName != want {
			t.Fatalf("%s: suggested name %q, want %q", name, src.SuggestedName, want)
		}
		if want := time.Unix(1746565216, 0).UTC(); !src.Expires.Equal(want) {
			t.Fatalf("%s: expires %v, want the token's exp %v", name, src.Expires, want)
		}
		if red := fetch.Redact(src.URL); strings.Contains(red, "eyJ0eXAi") {
			t.Fatalf("%s: the link's token survives redaction: %s", name, red)
		}
	}
}

// A server that answers with seed 000's error bodies: the connector types
// them, and signs in again exactly once on a 401.
func TestSeedErrorBodies(t *testing.T) {
	notFound := golden(t, "seed000_not_found.json")
	badCreds := golden(t, "seed000_bad_credentials.json")
	noKey := golden(t, "seed000_no_api_key.json")
	var logins atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v3/login", func(w http.ResponseWriter, r *http.Request) {
		logins.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"data":{"access_token":"2407c9d2cfde75c49e5d356ee9f83422"}}`))
	})
	var listCalls atomic.Int32
	mux.HandleFunc("POST /api/v3/records", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		if listCalls.Add(1) == 1 {
			_, _ = w.Write(noKey)
			return
		}
		_, _ = w.Write(badCreds)
	})
	mux.HandleFunc("GET /api/v3/records/download/{rec}/{video}", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write(notFound)
	})
	hs := httptest.NewServer(mux)
	defer hs.Close()
	c, err := New(Config{Server: hs.URL, Username: "office", Password: "secret-password", HTTP: hs.Client(), RateLimit: 1000, Backoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}

	_, err = c.Resolve(context.Background(), fetch.File{ID: "d6799d1c", RecordingID: "6ecfe37c", Ref: "d6799d1c"})
	if fetch.KindOf(err) != fetch.KindNotFound || !strings.Contains(fetch.Plain(err), "no longer") {
		t.Fatalf("404: %v", err)
	}
	if strings.Contains(err.Error(), "2407c9d2cfde75c49e5d356ee9f83422") {
		t.Fatalf("the error shows the access token: %v", err)
	}

	logins.Store(0)
	err = c.Check(context.Background())
	if fetch.KindOf(err) != fetch.KindAuth {
		t.Fatalf("401 after a fresh sign-in: %v", err)
	}
	if n := logins.Load(); n != 2 || listCalls.Load() != 2 {
		t.Fatalf("signed in %d times and listed %d times, want 2 and 2 (once again on the 401)", n, listCalls.Load())
	}
}

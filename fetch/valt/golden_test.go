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

// The record details in the shapes the wiki's "API Recording Details"
// page documents: "videos" (VALT 6, as platforms.md's corrections give
// it) and "cameras" {cameraId: name} (VALT 5). The stored copies of the
// page show the field tables but not their example bodies, so these two
// files are the tables' fields with the ids of the wiki's other examples
// (seed 000's record and video, the camera list's camera 52).
func TestWikiRecordDetails(t *testing.T) {
	for _, tc := range []struct {
		file, recID string
		wantIDs     []string
		wantRefs    []string
		duration    time.Duration
	}{
		{"wiki_details_valt6_videos.json", "6ecfe37c-a2e9-4f2d-b56e-847a4e730ed0",
			[]string{"d6799d1c-8e0f-4dc6-9483-8f3545fc5ce5"}, []string{"d6799d1c-8e0f-4dc6-9483-8f3545fc5ce5"}, 62 * time.Second},
		{"wiki_details_valt5_cameras.json", "1187",
			[]string{"1187/camera/52", "1187/camera/53"}, []string{"52", "53"}, 30 * time.Minute},
	} {
		var r record
		if err := json.Unmarshal(unwrapData(golden(t, tc.file)), &r); err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		rec, files := r.recording(), r.files()
		if rec.ID != tc.recID || rec.Duration != tc.duration || rec.Start.IsZero() {
			t.Fatalf("%s: recording %+v", tc.file, rec)
		}
		if len(files) != len(tc.wantIDs) {
			t.Fatalf("%s: %d files, want %d", tc.file, len(files), len(tc.wantIDs))
		}
		for i, f := range files {
			if f.ID != tc.wantIDs[i] || f.Ref != tc.wantRefs[i] || f.RecordingID != tc.recID || f.Ext != "mp4" {
				t.Fatalf("%s: file %d is %+v", tc.file, i, f)
			}
		}
		if files[0].Kind != "video" || len(files) > 1 && files[1].Kind != "video 2" {
			t.Fatalf("%s: kinds %q", tc.file, files[0].Kind)
		}
	}
}

// Every way a record can name no video reads as no file.
func TestNoVideoShapes(t *testing.T) {
	for _, body := range []string{
		`{}`, `{"videos":[]}`, `{"videos":null}`, `{"cameras":{}}`, `{"cameras":[]}`, `{"videos":[],"cameras":[]}`, `{"cameras":null}`,
	} {
		var r record
		if err := json.Unmarshal([]byte(body), &r); err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		if f := r.files(); len(f) != 0 {
			t.Fatalf("%s: %+v", body, f)
		}
	}
	var r record
	if err := json.Unmarshal([]byte(`{"id":"r","cameras":[52,{"id":"53","name":"x"}]}`), &r); err != nil {
		t.Fatal(err)
	}
	if f := r.files(); len(f) != 2 || f[0].Ref != "52" || f[1].ID != "r/camera/53" {
		t.Fatalf("cameras as an array: %+v", f)
	}
}

package zoomsdk

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"testing"
	"time"
)

// Seed 003's own session, decoded with the connector's types.
func TestSeedSession(t *testing.T) {
	raw, err := os.ReadFile("testdata/seed003_session.json")
	if err != nil {
		t.Fatal(err)
	}
	var s session
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	rec := s.recording()
	if rec.ID != "KkMHZ4y8QhSUWAHi5sWvfg==" || rec.Title != "session name" || rec.Duration != 2*time.Minute ||
		!rec.Start.Equal(time.Date(2022, 3, 10, 2, 27, 24, 0, time.UTC)) || rec.Pending {
		t.Fatalf("recording %+v", rec)
	}
	if len(rec.Files) != 2 || rec.Size() != 2*12125 || s.TotalSize != 444601 || s.RecordingCount != 4 {
		t.Fatalf("%d files of %d bytes", len(rec.Files), rec.Size())
	}
	// The seed lists both files under one id: the second gets one of its
	// own, or the queue would take it for the first, already downloaded.
	if rec.Files[0].ID == rec.Files[1].ID || rec.Files[1].ID != "35497738-9fef-4f8a-97db-0ec34caef065/2" {
		t.Fatalf("file ids %q and %q", rec.Files[0].ID, rec.Files[1].ID)
	}
	f := rec.Files[0]
	// recording_type audio_only, file_type MP4: the kind from the one,
	// the extension from the other.
	if f.ID != "35497738-9fef-4f8a-97db-0ec34caef065" || f.RecordingID != rec.ID || f.Kind != "audio" || f.Ext != "mp4" ||
		f.Size != 12125 || f.Ref != "https://example/download_url" {
		t.Fatalf("file %+v", f)
	}

	c, err := New(Config{APIKey: "key", APISecret: "a-secret-for-the-seed"})
	if err != nil {
		t.Fatal(err)
	}
	src, err := c.Resolve(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(src.URL)
	if u.Host != "example" || u.Path != "/download_url" || u.Query().Get("access_token") == "" {
		t.Fatalf("resolved to %s", u.Redacted())
	}
}

// The reference's example page of "List recordings of an account": a
// session with a participant's own file (participant_video_files) beside
// its recording_files, and the page token.
func TestReferenceListPage(t *testing.T) {
	raw, err := os.ReadFile("testdata/reference_list_page.json")
	if err != nil {
		t.Fatal(err)
	}
	var page listPage
	if err := json.Unmarshal(raw, &page); err != nil {
		t.Fatal(err)
	}
	if page.From != "2021-10-11" || page.To != "2021-11-11" || page.PageSize != 30 || page.TotalRecords != 100 ||
		page.NextPageToken != "Usse957pzxvmYwlmCZ50a6CNXFrhztxuj82" || len(page.Sessions) != 1 {
		t.Fatalf("page %+v", page)
	}
	rec := page.Sessions[0].recording()
	if rec.ID != "JZiFOknTQ4yH/tJgaUTlkg==" || len(rec.Files) != 2 {
		t.Fatalf("recording %+v", rec)
	}
	f := rec.Files[1]
	// No user_name in the reference: the person is named by file_name.
	// individual_shared_screen is what the participant shared.
	if f.ID != "24698bd1-589e-4c33-9ba3-bc788b2a0ac2" || f.Kind != "screen (recording_name)" || f.Ext != "mp4" ||
		f.Size != 900452 || f.Ref != "https://download.example.com/download_url" || f.RecordingID != rec.ID {
		t.Fatalf("participant file %+v", f)
	}
}

// What Zoom's reference gives for a next_page_token past its 15 minutes:
// HTTP 400, code 300. The walk takes it for an expired token.
func TestExpiredPageTokenBody(t *testing.T) {
	raw, err := os.ReadFile("testdata/error_next_page_token.json")
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, "https://api.zoom.us/v2/videosdk/recordings?next_page_token=x", nil)
	resp := &http.Response{StatusCode: http.StatusBadRequest, Status: "400 Bad Request", Request: req, Header: http.Header{}}
	err = zoomError(resp, raw)
	if !pageTokenRefused(err) {
		t.Fatalf("the documented answer was not taken for an expired token: %v", err)
	}
	resp.StatusCode = http.StatusUnauthorized
	if pageTokenRefused(zoomError(resp, raw)) {
		t.Fatal("a 401 was taken for an expired page token")
	}
	other := []byte(`{"code":300,"message":"The date range can be at most one month."}`)
	resp.StatusCode = http.StatusBadRequest
	if !pageTokenRefused(zoomError(resp, other)) {
		t.Fatal("code 300 after a token was not taken for the token")
	}
	if pageTokenRefused(zoomError(resp, []byte(`{"code":124,"message":"Invalid access token."}`))) {
		t.Fatal("a refused JWT was taken for an expired page token")
	}
}

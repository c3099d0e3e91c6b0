package zoomsdk

import (
	"context"
	"encoding/json"
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

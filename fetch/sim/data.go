package sim

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"time"

	"cloudreel/fetch"
)

// Recording is one simulated recording, in platform-neutral form; each
// platform's file renders it in that platform's JSON.
type Recording struct {
	ID       string
	Title    string
	Start    time.Time
	Duration time.Duration
	Author   string
	Room     string
	Files    []*File
}

// File is one simulated file: its bytes are generated from its id, so
// they are the same every time and need no storage.
type File struct {
	ID          string
	RecordingID string
	Platform    fetch.Platform
	Kind        string // the platform's own name: "MP4", "Hd", "shared_screen", ...
	Ext         string
	Size        int64
	Part        int // 0 for an unsplit file; 1, 2, ... for a split meeting's parts
}

// The titles people give recordings, including the characters that break
// file names on Windows, a very long one and ones with stray spaces/dots.
var titles = []string{
	"Staff meeting",
	"Year 9 Science: Forces & Motion",
	"Parent evening / Q&A",
	"Fire drill briefing?",
	"Budget 2026 \"final\" review",
	"Interview room 3 <recorded>",
	"Therapy session A|B",
	"Training: First aid * refresher",
	"  Morning assembly  ",
	"Board meeting...",
	"CON",
	"Onboarding for new reception staff, covering the phone system, the visitor book, the fire exits, the first-aid boxes, the parking rules, the lunch rota and everything else nobody writes down anywhere but everybody is somehow expected to know by the end of their first week",
	"Mathematics – revision (Ünit 4)",
	"教师培训 第二节",
	"Safeguarding update",
	"Weekly stand-up",
	"Case review: J. Smith",
	"Simulation lab 2",
	"Guest lecture: Dr. O'Brien",
	"Quarterly all-hands",
}

var rooms = []string{"Room 1", "Room 2", "Interview suite", "Main hall", "Lab B"}
var authors = []string{"A. Patel", "M. García", "K. Müller", "L. Chen", "S. Okafor"}

// generate builds each platform's recordings from the seed: spread over
// the months before cfg.Now, newest first.
func generate(cfg Config) map[fetch.Platform][]*Recording {
	out := map[fetch.Platform][]*Recording{}
	for pi, p := range fetch.Platforms {
		rng := rand.New(rand.NewPCG(cfg.Seed, uint64(pi)+1))
		var recs []*Recording
		// About two recordings a week, going back from today.
		t := cfg.Now.Add(-time.Duration(rng.IntN(20)+2) * time.Hour).Truncate(time.Minute)
		for i := 0; i < cfg.Recordings; i++ {
			title := titles[(i+pi*3)%len(titles)]
			if i >= len(titles) {
				title = fmt.Sprintf("%s (%d)", title, i/len(titles)+1)
			}
			r := &Recording{
				ID:       recordingID(p, cfg.Seed, i),
				Title:    title,
				Start:    t,
				Duration: time.Duration(10+rng.IntN(80)) * time.Minute,
				Author:   authors[rng.IntN(len(authors))],
				Room:     rooms[rng.IntN(len(rooms))],
			}
			// Huawei splits meetings over 3 hours: make the second one long,
			// and the third a whole conference day of 8 parts (24 files, more
			// than downloadurls' default page of 20).
			if p == fetch.Huawei && i == 1 {
				r.Duration = 3*time.Hour + 25*time.Minute
				r.Title = "Governors' annual meeting (3½ hours)"
			}
			if p == fetch.Huawei && i == 2 {
				r.Duration = 22*time.Hour + 30*time.Minute
				r.Title = "Open day livestream (all day)"
			}
			r.Files = makeFiles(p, r, rng, cfg)
			recs = append(recs, r)
			t = t.Add(-time.Duration(36+rng.IntN(72)) * time.Hour)
			if cfg.Span > 0 {
				t = cfg.Now.Add(-time.Duration(i+1) * (cfg.Span / time.Duration(cfg.Recordings))).Truncate(time.Minute)
			}
		}
		out[p] = recs
	}
	return out
}

func makeFiles(p fetch.Platform, r *Recording, rng *rand.Rand, cfg Config) []*File {
	size := func() int64 {
		return cfg.MinSize + rng.Int64N(cfg.MaxSize-cfg.MinSize+1)
	}
	add := func(kind, ext string, part int) *File {
		return &File{ID: fileID(r.ID, kind, part), RecordingID: r.ID, Platform: p, Kind: kind, Ext: ext, Size: size(), Part: part}
	}
	switch p {
	case fetch.Valt:
		fs := []*File{add("video", "mp4", 0)}
		if rng.IntN(3) == 0 { // some rooms record two cameras
			fs = append(fs, add("video2", "mp4", 0))
		}
		return fs
	case fetch.IBMVideo:
		return []*File{add("mp4", "mp4", 0)}
	case fetch.ZoomSDK:
		fs := []*File{add("shared_screen_with_speaker_view", "mp4", 0), add("audio_only", "m4a", 0)}
		if rng.IntN(2) == 0 {
			fs = append(fs, add("audio_transcript", "vtt", 0))
			fs[2].Size = 4096 + rng.Int64N(8192)
		}
		return fs
	case fetch.Huawei:
		// One part per started 3 hours.
		parts := max(int((r.Duration+3*time.Hour-1)/(3*time.Hour)), 1)
		var fs []*File
		for part := 0; part < parts; part++ {
			n := part
			if parts == 1 {
				n = 0
			} else {
				n = part + 1
			}
			fs = append(fs, add("Hd", "mp4", n), add("Sd", "mp4", n), add("Aux", "mp4", n))
		}
		return fs
	}
	return nil
}

func recordingID(p fetch.Platform, seed uint64, i int) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%s/%d/%d", p, seed, i))
	h := hex.EncodeToString(sum[:16])
	switch p {
	case fetch.Valt: // a UUID, as Valt's record ids are
		return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
	case fetch.IBMVideo: // a number
		return fmt.Sprint(100000000 + binary.BigEndian.Uint32(sum[:4])%900000000)
	case fetch.ZoomSDK: // a base64-looking session id
		return base64.StdEncoding.EncodeToString(sum[:16])
	}
	return h // Huawei confUUID: 32 hex
}

func fileID(recID, kind string, part int) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%s/%s/%d", recID, kind, part))
	h := hex.EncodeToString(sum[:16])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

// `recordings` lists a Zoom session's participants' own files with the
// person in the kind, and `download -kind` fetches exactly one of them,
// whole; `download` of the session then fetches all its other files.
func TestZoomParticipantFilesListAndDownload(t *testing.T) {
	now := time.Now().UTC()
	s := newCLIHome(t, sim.Config{Now: now, Recordings: 6, MinSize: 1000, MaxSize: 3000})
	const account = "Demo school (Zoom)"
	code, stdout, stderr := runCLI(t, "recordings", "-account", account, "-from", now.AddDate(0, -2, 0).Format(time.DateOnly), "-json")
	if code != 0 {
		t.Fatalf("recordings: exit %d: %s", code, stderr)
	}
	var recs []recordingJSON
	if err := json.Unmarshal([]byte(stdout), &recs); err != nil {
		t.Fatal(err)
	}
	var rec *recordingJSON
	var audio fileJSON
	for i := range recs {
		for _, f := range recs[i].Files {
			if strings.HasPrefix(f.Kind, "audio (") && rec == nil {
				rec, audio = &recs[i], f
			}
		}
	}
	if rec == nil {
		t.Fatalf("no participant's audio among %d recordings", len(recs))
	}
	simRec := simRecording(t, s, rec.ID)
	if len(rec.Files) != len(simRec.Files) {
		t.Fatalf("%d files listed, the session has %d", len(rec.Files), len(simRec.Files))
	}
	name, _ := s.ZoomParticipant(audio.ID)
	if audio.Kind != "audio ("+name+")" || audio.Ext != "m4a" {
		t.Fatalf("participant audio %+v of %q", audio, name)
	}

	dest := t.TempDir()
	code, stdout, stderr = runCLI(t, "download", "-account", account, "-id", rec.ID, "-kind", audio.Kind, "-dest", dest)
	if code != 0 {
		t.Fatalf("download -kind: exit %d: %s\n%s", code, stderr, stdout)
	}
	got := filesUnder(t, dest)
	sf, _ := s.File(audio.ID)
	if len(got) != 1 || !strings.Contains(filepath.Base(got[0]), name) {
		t.Fatalf("downloaded %v, want the one file of %s", got, name)
	}
	if sum, err := fileSHA256(got[0]); err != nil || sum != sim.ContentSHA256(sf) {
		t.Fatalf("%s is not the participant's audio (%v)", got[0], err)
	}

	all := t.TempDir()
	if code, stdout, stderr = runCLI(t, "download", "-account", account, "-id", rec.ID, "-dest", all); code != 0 {
		t.Fatalf("download: exit %d: %s\n%s", code, stderr, stdout)
	}
	// The participant's audio is already on disk (in dest): the queue
	// skips it rather than fetching it twice.
	if got := filesUnder(t, all); len(got) != len(simRec.Files)-1 || !strings.Contains(stdout, "1 already there") {
		t.Fatalf("downloaded %d files of the session's %d: %v\n%s", len(got), len(simRec.Files), got, stdout)
	}
}

func simRecording(t *testing.T, s *sim.Server, id string) *sim.Recording {
	t.Helper()
	for _, r := range s.Recordings(fetch.ZoomSDK) {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no simulated recording %s", id)
	return nil
}

// filesUnder lists the files in dir and below, .part files included.
func filesUnder(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

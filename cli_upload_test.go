package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

const valtDemo = "Interview suite (Valt)"

// writeVideo writes n made-up bytes to dir/name and returns the path and
// its SHA-256.
func writeVideo(t *testing.T, dir, name string, n int) (string, string) {
	t.Helper()
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*31 + len(name))
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	sum, err := fileSHA256(p)
	if err != nil {
		t.Fatal(err)
	}
	return p, sum
}

// uploadedSums are the SHA-256 of every file the simulated Valt holds, by
// record name.
func uploadedSums(s *sim.Server) map[string]string {
	out := map[string]string{}
	for _, r := range s.ValtUploadRecords() {
		if !r.Empty() {
			out[r.Name] = r.Videos[0].SHA256
		}
	}
	return out
}

func TestUploadFilesToValt(t *testing.T) {
	s := newCLIHome(t, sim.Config{Recordings: 2, MinSize: 1000, MaxSize: 2000})
	// A server that takes the bare bytes by PUT: found from its answers.
	s.Faults().Update(func(f *sim.FaultSet) { f.ValtUploadReading = "raw-put" })
	dir := t.TempDir()
	a, sumA := writeVideo(t, dir, "a.mp4", 150<<10)
	b, sumB := writeVideo(t, dir, "b.mov", 90<<10)
	code, stdout, stderr := runCLI(t, "upload", "-account", valtDemo, "-name", "Visit", a, b)
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, stdout, stderr)
	}
	got := uploadedSums(s)
	if len(got) != 2 || got["Visit (1 of 2)"] != sumA || got["Visit (2 of 2)"] != sumB {
		t.Fatalf("Valt holds %v", got)
	}
	if !strings.Contains(stdout, "2 of 2 files are in Valt") {
		t.Fatalf("stdout: %s", stdout)
	}
	// Sent again: already there, no new record.
	if code, stdout, stderr := runCLI(t, "upload", "-account", valtDemo, "-name", "Visit", a, b); code != 0 || len(s.ValtUploadRecords()) != 2 {
		t.Fatalf("second run: exit %d, %d records: %s%s", code, len(s.ValtUploadRecords()), stdout, stderr)
	}
}

// A Zoom recording copied to Valt ends with the same bytes there.
func TestUploadCopiesZoomRecordingToValt(t *testing.T) {
	s := newCLIHome(t, sim.Config{Recordings: 3, MinSize: 1000, MaxSize: 2000})
	rec := s.Recordings(fetch.ZoomSDK)[0]
	want := map[string]bool{}
	for _, f := range rec.Files {
		if f.Ext == "mp4" {
			want[sim.ContentSHA256(f)] = true
		}
	}
	if len(want) == 0 {
		t.Fatal("the simulated Zoom recording has no video")
	}
	dest := t.TempDir()
	args := []string{"upload", "-account", valtDemo, "-from-account", "Demo school (Zoom)", "-id", rec.ID, "-dest", dest}
	code, stdout, stderr := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, stdout, stderr)
	}
	got := uploadedSums(s)
	if len(got) != len(want) {
		t.Fatalf("Valt holds %d files, want the %d videos: %v", len(got), len(want), got)
	}
	for name, sum := range got {
		if !want[sum] {
			t.Fatalf("%q in Valt is not the Zoom file's bytes", name)
		}
		if !strings.HasPrefix(name, rec.Title+" (Zoom") || !strings.Contains(name, "Demo school (Zoom)") || !strings.Contains(name, rec.Start.Local().Format("2006-01-02")) {
			t.Fatalf("record name %q lacks the title, source or date", name)
		}
	}
	// Run again: the files are taken from the disk, nothing is sent twice.
	code, stdout, stderr = runCLI(t, args...)
	if code != 0 || strings.Contains(stdout, "Downloading") || len(s.ValtUploadRecords()) != len(want) {
		t.Fatalf("second run: exit %d, %d records: %s%s", code, len(s.ValtUploadRecords()), stdout, stderr)
	}
}

func TestUploadErrorsArePlain(t *testing.T) {
	s := newCLIHome(t, sim.Config{Recordings: 2, MinSize: 1000, MaxSize: 2000})
	dir := t.TempDir()
	a, _ := writeVideo(t, dir, "a.mp4", 1000)
	for _, tc := range []struct {
		args  []string
		words string
	}{
		{[]string{"upload", "-account", "Demo school (Zoom)", a}, "only to a Valt account"},
		{[]string{"upload", "-account", valtDemo, filepath.Join(dir, "none.mp4")}, "cannot read"},
		{[]string{"upload", "-account", valtDemo}, "give the video files"},
		{[]string{"upload", "-account", valtDemo, "-from-account", valtDemo}, "the same account"},
	} {
		code, stdout, stderr := runCLI(t, tc.args...)
		if code != 1 || !strings.Contains(stderr, tc.words) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q (stdout %q)", tc.args, code, stderr, stdout)
		}
	}
	if n := len(s.ValtUploadRecords()); n != 0 {
		t.Fatalf("%d records made by failed commands", n)
	}
}

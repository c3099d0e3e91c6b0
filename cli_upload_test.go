package main

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
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

// `copy` sends a Zoom recording's video with the Valt account's template
// fields (placeholders filled) and sharing, and a second run sends nothing
// again; the old `upload -from-account` spelling finds the same jobs.
func TestCopyFillsTheAccountsTemplateAndShares(t *testing.T) {
	s := newCLIHome(t, sim.Config{Recordings: 3, MinSize: 1000, MaxSize: 2000})
	store, closeStore, err := openAccounts()
	if err != nil {
		t.Fatal(err)
	}
	a, err := store.ByName(valtDemo)
	if err != nil {
		t.Fatal(err)
	}
	a.UploadTemplate = map[string]string{"7": "{title}, {date}", "12": "from {source}"}
	a.ShareUsers, a.ShareGroups = []int64{5, 3}, []int64{2}
	if err := store.Update(context.Background(), a, ""); err != nil {
		t.Fatal(err)
	}
	closeStore()
	rec := s.Recordings(fetch.ZoomSDK)[0]
	want := map[string]bool{}
	for _, f := range rec.Files {
		if f.Ext == "mp4" {
			want[sim.ContentSHA256(f)] = true
		}
	}
	args := []string{"copy", "-from", "Demo school (Zoom)", "-to", valtDemo, "-id", rec.ID, "-dest", t.TempDir()}
	if code, stdout, stderr := runCLI(t, args...); code != 0 {
		t.Fatalf("exit %d: %s%s", code, stdout, stderr)
	}
	recs := s.ValtUploadRecords()
	if len(recs) != len(want) || len(recs) == 0 {
		t.Fatalf("%d records in Valt, want %d", len(recs), len(want))
	}
	for _, r := range recs {
		if r.Empty() || !want[r.Videos[0].SHA256] {
			t.Fatalf("record %q does not hold the Zoom file's bytes", r.Name)
		}
		date := rec.Start.Local().Format("2006-01-02")
		if r.Template["7"] != rec.Title+", "+date || r.Template["12"] != "from Zoom Video SDK: Demo school (Zoom)" || len(r.Template) != 2 {
			t.Fatalf("template fields sent: %v", r.Template)
		}
		if !reflect.DeepEqual(r.Users, []string{"3", "5"}) || !reflect.DeepEqual(r.Groups, []string{"2"}) {
			t.Fatalf("shared with users %v, groups %v", r.Users, r.Groups)
		}
	}
	old := []string{"upload", "-account", valtDemo, "-from-account", "Demo school (Zoom)", "-id", rec.ID, "-dest", t.TempDir()}
	if code, stdout, stderr := runCLI(t, old...); code != 0 || len(s.ValtUploadRecords()) != len(want) {
		t.Fatalf("upload -from-account: exit %d, %d records: %s%s", code, len(s.ValtUploadRecords()), stdout, stderr)
	}
	for _, tc := range []struct {
		args  []string
		words string
	}{
		{[]string{"copy", "-to", valtDemo}, "-from ACCOUNT"},
		{[]string{"copy", "-from", "Demo school (Zoom)"}, "-to VALT_ACCOUNT"},
		{[]string{"copy", "-from", "Demo school (Zoom)", "-to", "Demo school (Zoom)"}, "only to a Valt account"},
	} {
		if code, _, stderr := runCLI(t, tc.args...); code != 1 || !strings.Contains(stderr, tc.words) {
			t.Errorf("%v: exit %d, stderr %q", tc.args, code, stderr)
		}
	}
}

// A folder given to upload sends the videos in it, and nothing else.
func TestUploadSendsTheVideosOfAFolder(t *testing.T) {
	s := newCLIHome(t, sim.Config{Recordings: 2, MinSize: 1000, MaxSize: 2000})
	dir := t.TempDir()
	_, sumA := writeVideo(t, dir, "a.mp4", 3000)
	_, sumB := writeVideo(t, dir, "b.webm", 2000)
	writeVideo(t, dir, "notes.txt", 100)
	if code, stdout, stderr := runCLI(t, "upload", "-account", valtDemo, dir); code != 0 {
		t.Fatalf("exit %d: %s%s", code, stdout, stderr)
	}
	if got := uploadedSums(s); len(got) != 2 || got["a"] != sumA || got["b"] != sumB {
		t.Fatalf("Valt holds %v", got)
	}
}

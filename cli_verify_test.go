package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

// downloadedFiles lists the files under dir.
func downloadedFiles(t *testing.T, dir string) []string {
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

// TestVerifyFindsAChangedAndAMissingFile downloads a split Huawei meeting
// (six files, each proven by Huawei's SHA-256), then changes one file's
// bytes without changing its size and deletes another: verify must name
// both in plain words and exit 1, and all is well again for the others.
func TestVerifyFindsAChangedAndAMissingFile(t *testing.T) {
	s := newCLIHome(t, sim.Config{Recordings: 3, MinSize: 1000, MaxSize: 2000})
	split := s.Recordings(fetch.Huawei)[1]
	const account = "Board meetings (Huawei)"
	dest := t.TempDir()
	if code, stdout, stderr := runCLI(t, "download", "-account", account, "-id", split.ID, "-dest", dest); code != 0 {
		t.Fatalf("download: exit %d: %s%s", code, stdout, stderr)
	}
	code, stdout, stderr := runCLI(t, "verify", "-account", account)
	if code != 0 || !strings.Contains(stdout, "Checked 6 files: 6 as downloaded, 0 changed, 0 missing.") || strings.Contains(stdout, "no proof") {
		t.Fatalf("verify of untouched files: exit %d: %s%s", code, stdout, stderr)
	}

	files := downloadedFiles(t, dest)
	if len(files) != 6 {
		t.Fatalf("%d files downloaded, want 6", len(files))
	}
	changed, gone := files[0], files[1]
	b, err := os.ReadFile(changed)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0xff // same size, other bytes
	if err := os.WriteFile(changed, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(gone); err != nil {
		t.Fatal(err)
	}

	code, stdout, stderr = runCLI(t, "verify", "-dest", dest)
	if code != 1 {
		t.Fatalf("verify after the changes: exit %d, want 1: %s%s", code, stdout, stderr)
	}
	for _, want := range []string{
		"Changed: " + changed + "\n  Its bytes are no longer the ones that were downloaded (the SHA-256 differs), though its size is the same.",
		"Missing: " + gone + "\n  It is no longer on disk.",
		"Checked 6 files: 4 as downloaded, 1 changed, 1 missing.",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("verify does not say %q; it says:\n%s", want, stdout)
		}
	}

	// Another folder holds none of them; another account none either.
	if code, stdout, _ := runCLI(t, "verify", "-dest", t.TempDir()); code != 0 || !strings.Contains(stdout, "no downloaded files") {
		t.Errorf("verify of an empty folder: exit %d: %s", code, stdout)
	}
	if code, stdout, _ := runCLI(t, "verify", "-account", "Demo school (Zoom)"); code != 0 || !strings.Contains(stdout, "no downloaded files") {
		t.Errorf("verify of another account: exit %d: %s", code, stdout)
	}
	if code, _, stderr := runCLI(t, "verify", "-account", "Nobody"); code != 1 || stderr == "" {
		t.Errorf("verify of an unknown account: exit %d: %s", code, stderr)
	}
}

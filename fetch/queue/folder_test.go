package queue

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A run interrupted into folder A and started again into folder B puts
// the file in B: the partial bytes move along and the file continues from
// them; nothing is left in A.
func TestAJobGoesToTheFolderLastAskedFor(t *testing.T) {
	t.Parallel()
	s, sp := newSim(t, slow)
	conn := newConn(s)
	a, b := t.TempDir(), t.TempDir()
	o := fastOptions(testDB(t, t.TempDir()), conn, nil)
	q1, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	f := files(s, 1)[0]
	j := addOne(t, q1, request(s, f, a))
	q1.Start(context.Background())
	waitFor(t, q1, j.ID, "received bytes", func(j Job) bool { return j.Done > 0 })
	if err := q1.Close(); err != nil {
		t.Fatal(err)
	}
	have := fileSize(j.Path + partSuffix)

	q2, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = q2.Close() })
	moved := addOne(t, q2, request(s, f, b))
	if moved.ID != j.ID || moved.Folder != b || !insideFolder(b, moved.Path) || moved.Done != have {
		t.Fatalf("job after asking for %s: %+v; want the same job there with its %d bytes", b, moved, have)
	}
	runToEnd(t, q2)
	done := assertWhole(t, q2, j.ID, f)
	if !insideFolder(b, done.Path) {
		t.Fatalf("the file went to %s, want inside %s", done.Path, b)
	}
	if left := filesUnder(t, a); len(left) != 0 {
		t.Fatalf("files left in the old folder: %q", left)
	}
	ranges := sp.Ranges()
	if got := rangeStart(t, ranges[len(ranges)-1]); got != have {
		t.Fatalf("continued from byte %d, want %d (the moved bytes)", got, have)
	}
}

// A folder that was a file fails the job; asked again with a real folder,
// the job runs there instead of failing on the old path for ever.
func TestAFailedJobRunsInTheNewFolder(t *testing.T) {
	t.Parallel()
	s, _ := newSim(t, 0)
	conn := newConn(s)
	q, _ := newQueue(t, conn, nil)
	notDir := filepath.Join(t.TempDir(), "a file")
	if err := os.WriteFile(notDir, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	f := files(s, 1)[0]
	j := addOne(t, q, request(s, f, notDir))
	runToEnd(t, q)
	if got, _ := q.Job(j.ID); got.State != Failed {
		t.Fatalf("job into a file is %s, want failed", got.State)
	}
	b := t.TempDir()
	again := addOne(t, q, request(s, f, b))
	if again.ID != j.ID || again.Folder != b {
		t.Fatalf("job asked again into %s: %+v", b, again)
	}
	runToEnd(t, q)
	if done := assertWhole(t, q, j.ID, f); !insideFolder(b, done.Path) {
		t.Fatalf("the file went to %s, want inside %s", done.Path, b)
	}
}

// A file downloading into A when it is asked for in B (the window's "Download
// to…" again) stops, moves its bytes and continues in B.
func TestARunningDownloadMovesToTheNewFolder(t *testing.T) {
	t.Parallel()
	s, sp := newSim(t, slow)
	conn := newConn(s)
	q, _ := newQueue(t, conn, nil)
	a, b := t.TempDir(), t.TempDir()
	f := files(s, 1)[0]
	j := addOne(t, q, request(s, f, a))
	q.Start(context.Background())
	waitFor(t, q, j.ID, "received bytes", func(j Job) bool { return j.State == Downloading && j.Done > 0 })
	addOne(t, q, request(s, f, b))
	runToEnd(t, q)
	if done := assertWhole(t, q, j.ID, f); !insideFolder(b, done.Path) {
		t.Fatalf("the file went to %s, want inside %s", done.Path, b)
	}
	if left := filesUnder(t, a); len(left) != 0 {
		t.Fatalf("files left in the old folder: %q", left)
	}
	ranges := sp.Ranges()
	if len(ranges) != 2 || rangeStart(t, ranges[1]) <= 0 {
		t.Fatalf("ranges %q: want the moved bytes continued with a Range", ranges)
	}
}

// filesUnder lists the files (not folders) under dir.
func filesUnder(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, strings.TrimPrefix(p, dir))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

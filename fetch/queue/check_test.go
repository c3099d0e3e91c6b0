package queue

import (
	"context"
	"os"
	"testing"

	"cloudreel/fetch/verify"
)

// CheckFiles finds a file changed on disk (same size, other bytes) and one
// gone, also after their jobs were cleared from the list, and takes the
// Verified status from the changed one.
func TestCheckFilesFindsChangedAndMissingFiles(t *testing.T) {
	t.Parallel()
	s, _ := newSim(t, 0)
	q, _ := newQueue(t, newConn(s), nil)
	fs := files(s, 3)
	dir := t.TempDir()
	var jobs []Job
	for _, f := range fs {
		jobs = append(jobs, addOne(t, q, request(s, f, dir)))
	}
	runToEnd(t, q)
	for i, j := range jobs {
		jobs[i] = assertWhole(t, q, j.ID, fs[i])
	}
	checks, err := q.CheckFiles(context.Background(), "", dir)
	if err != nil || len(checks) != 3 {
		t.Fatalf("%d checks, %v", len(checks), err)
	}
	for _, c := range checks {
		if !c.OK() || c.Problem != "" {
			t.Fatalf("an untouched file: %+v", c)
		}
	}

	b, err := os.ReadFile(jobs[0].Path)
	if err != nil {
		t.Fatal(err)
	}
	b[100] ^= 1
	if err := os.WriteFile(jobs[0].Path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(jobs[1].Path); err != nil {
		t.Fatal(err)
	}
	// The third file's job is cleared: the store still knows the file.
	q.ClearFinished()
	if err := q.persist(false); err != nil {
		t.Fatal(err)
	}
	if len(q.Jobs()) != 0 {
		t.Fatalf("jobs left after clearing: %d", len(q.Jobs()))
	}
	checks, err = q.CheckFiles(context.Background(), "acc-1", "")
	if err != nil || len(checks) != 3 {
		t.Fatalf("%d checks, %v", len(checks), err)
	}
	by := map[string]FileCheck{}
	for _, c := range checks {
		by[c.Job.Path] = c
	}
	if c := by[jobs[0].Path]; !c.Changed || c.Missing {
		t.Errorf("changed file: %+v", c)
	}
	if c := by[jobs[1].Path]; !c.Missing {
		t.Errorf("missing file: %+v", c)
	}
	if c := by[jobs[2].Path]; !c.OK() || c.Job.SHA256 != jobs[2].SHA256 || c.Job.Proof != verify.Length {
		t.Errorf("untouched file: %+v", c)
	}
	// The changed file is forgotten: added again, it is downloaded again
	// rather than skipped with its old proof.
	again := addOne(t, q, request(s, fs[0], dir))
	if again.Skipped {
		t.Fatal("the changed file was skipped as already downloaded")
	}
	if checks, _ := q.CheckFiles(context.Background(), "another account", ""); len(checks) != 0 {
		t.Errorf("another account: %d checks", len(checks))
	}
}

// A file changed while its job is still in the list loses Verified.
func TestCheckFilesTakesVerifiedFromAChangedFile(t *testing.T) {
	t.Parallel()
	s, _ := newSim(t, 0)
	q, _ := newQueue(t, newConn(s), nil)
	f := files(s, 1)[0]
	j := addOne(t, q, request(s, f, t.TempDir()))
	runToEnd(t, q)
	done := assertWhole(t, q, j.ID, f)
	if !done.Verified() {
		t.Fatalf("not verified: %+v", done)
	}
	if err := os.WriteFile(done.Path, []byte("short"), 0o644); err != nil {
		t.Fatal(err)
	}
	checks, err := q.CheckFiles(context.Background(), "", "")
	if err != nil || len(checks) != 1 || !checks[0].Changed {
		t.Fatalf("checks %+v, %v", checks, err)
	}
	after, _ := q.Job(j.ID)
	if after.Verified() || after.Unproven == "" {
		t.Fatalf("a changed file is still verified: %+v", after)
	}
}

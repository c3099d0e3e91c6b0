package queue

import (
	"context"
	"testing"

	"cloudreel/fetch"
)

// A platform that lists no size (Valt): the server's Content-Length gives
// the job its size while it downloads, so the window can show a percentage.
func TestUnlistedSizeIsLearntFromTheServer(t *testing.T) {
	t.Parallel()
	s, _ := newSim(t, slow)
	conn := newConn(s)
	conn.resolve = func(f fetch.File) (fetch.Source, error, bool) {
		sf, _ := s.File(f.ID)
		return fetch.Source{URL: s.FileURL(sf, 0, false)}, nil, true // no Size in the link either
	}
	q, _ := newQueue(t, conn, nil)
	f := files(s, 1)[0]
	req := request(s, f, t.TempDir())
	req.File.Size = 0
	j := addOne(t, q, req)
	if j.Size != 0 {
		t.Fatalf("a job with no listed size starts with size %d", j.Size)
	}
	q.Start(context.Background())
	waitFor(t, q, j.ID, "a size while downloading", func(j Job) bool { return j.State == Downloading && j.Size == f.Size })
	runToEnd(t, q)
	assertWhole(t, q, j.ID, f)
}

// IBM lists the original upload's size; the generated MP4 differs. Such an
// estimated size is shown but must not fail the download.
func TestEstimatedSizeDoesNotRejectTheFile(t *testing.T) {
	t.Parallel()
	s, _ := newSim(t, 0)
	conn := newConn(s)
	conn.resolve = func(f fetch.File) (fetch.Source, error, bool) {
		sf, _ := s.File(f.ID)
		return fetch.Source{URL: s.FileURL(sf, 0, false)}, nil, true
	}
	q, _ := newQueue(t, conn, nil)
	f := files(s, 1)[0]
	req := request(s, f, t.TempDir())
	req.File.Size = f.Size + 12345
	req.File.SizeEstimated = true
	j := addOne(t, q, req)
	runToEnd(t, q)
	assertWhole(t, q, j.ID, f)

	// Without the estimate flag the same wrong size is a broken file.
	q2, _ := newQueue(t, conn, nil)
	req.File.SizeEstimated = false
	req.Folder = t.TempDir()
	j2 := addOne(t, q2, req)
	runToEnd(t, q2)
	if got, _ := q2.Job(j2.ID); got.State != Failed {
		t.Fatalf("a file whose length differs from the listed size ended %s, want failed", got.State)
	}
}

package queue

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"cloudreel/fetch"
	"cloudreel/fetch/sim"
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

// A body without a Content-Length that runs on past the file's size is
// stopped soon after it, not written until the disk is full, and fails as
// a bad body.
func TestEndlessBodyIsStoppedAtTheFileSize(t *testing.T) {
	t.Parallel()
	s, sp := newSim(t, 0)
	const sent = 64 << 20
	var mu sync.Mutex
	var written []int64
	sp.answer = func(w http.ResponseWriter, f *sim.File) bool {
		w.Header().Set("Content-Type", "video/mp4")
		w.WriteHeader(http.StatusOK) // no Content-Length: chunked
		chunk := make([]byte, 64<<10)
		n := int64(0)
		for n < sent {
			k, err := w.Write(chunk)
			n += int64(k)
			if err != nil {
				break
			}
		}
		mu.Lock()
		written = append(written, n)
		mu.Unlock()
		return true
	}
	conn := newConn(s)
	q, _ := newQueue(t, conn, nil)
	f := files(s, 1)[0]
	j := addOne(t, q, request(s, f, t.TempDir()))
	runToEnd(t, q)
	got, _ := q.Job(j.ID)
	if got.State != Failed || !strings.Contains(got.Err, "more than") {
		t.Fatalf("job is %s (%q), want failed saying the server sent more than the file", got.State, got.Err)
	}
	assertNoFinalFile(t, got)
	if n := fileSize(got.Path + partSuffix); n != 0 {
		t.Fatalf("%d bytes of the overlong body kept in the partial file", n)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, n := range written {
		if n >= sent/2 {
			t.Fatalf("the server could send %d bytes of a %d-byte file: the body was not stopped", n, f.Size)
		}
	}
}

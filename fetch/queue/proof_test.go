package queue

import (
	"context"
	"crypto/rand"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"cloudreel/fetch"
	"cloudreel/fetch/huawei"
	"cloudreel/fetch/sim"
	"cloudreel/fetch/verify"
)

// huaweiJob lists the simulator's Huawei meetings with the real connector
// (ShowRecordInfo gives each file its size and SHA-256) and queues the
// first file of the first meeting.
func huaweiJob(t *testing.T, s *sim.Server, q *Queue) (Job, fetch.File) {
	t.Helper()
	var rec fetch.Recording
	for r, err := range huaweiConn(t, s).List(context.Background(), fetch.Query{From: time.Unix(0, 0), To: time.Now().AddDate(0, 0, 1)}) {
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Files) > 0 {
			rec = r
			break
		}
	}
	f := rec.Files[0]
	if len(f.SHA256) != 64 || f.Size <= 0 {
		t.Fatalf("the connector listed no checksum: %+v", f)
	}
	return addOne(t, q, AddRequest{AccountID: "acc-1", AccountName: "Office", Platform: fetch.Huawei, Recording: rec, File: f, Folder: t.TempDir()}), f
}

func huaweiConn(t *testing.T, s *sim.Server) *huawei.Connector {
	t.Helper()
	c := s.Config().Credentials
	conn, err := huawei.New(huawei.Config{Server: s.BaseURL(fetch.Huawei), Account: c.HuaweiAccount, Password: c.HuaweiPwd})
	if err != nil {
		t.Fatal(err)
	}
	return conn
}

func TestHuaweiFileMatchingItsSHA256IsVerified(t *testing.T) {
	t.Parallel()
	s, _ := newSim(t, 0)
	q, _ := newQueue(t, huaweiConn(t, s), nil)
	j, f := huaweiJob(t, s, q)
	runToEnd(t, q)
	done, _ := q.Job(j.ID)
	if done.State != Done || !done.Verified() || done.Proof != verify.SHA256 || done.SHA256 != f.SHA256 {
		t.Fatalf("job %s (%s), proof %q, sha256 %s; want done, verified by sha256 %s", done.State, done.Err, done.Proof, done.SHA256, f.SHA256)
	}
	if got := sha256File(t, done.Path); got != done.SHA256 {
		t.Fatalf("the stored digest %s is not the file's %s", done.SHA256, got)
	}
	if s := done.Proof.Sentence(done.Platform); s != "SHA-256 matches Huawei's" {
		t.Fatalf("sentence %q", s)
	}
}

// A file whose bytes differ from the SHA-256 Huawei gives (at the right
// size) is never Verified: the queue throws the bytes away, tries once
// more from the start, then fails the job, saying why in plain words.
func TestWrongSHA256OfTheRightSizeIsNotVerified(t *testing.T) {
	t.Parallel()
	s, _ := newSim(t, 0)
	s.Faults().Update(func(f *sim.FaultSet) { f.HuaweiWrongSHA256 = true })
	q, _ := newQueue(t, huaweiConn(t, s), nil)
	j, f := huaweiJob(t, s, q)
	runToEnd(t, q)
	failed, _ := q.Job(j.ID)
	if failed.State != Failed || failed.Verified() || failed.Proof.Holds() {
		t.Fatalf("job %s, proof %q; want failed and not verified", failed.State, failed.Proof)
	}
	if !strings.Contains(failed.Err, "SHA-256 does not match") || !strings.Contains(failed.Err, "threw the download away") {
		t.Fatalf("the job says %q", failed.Err)
	}
	if failed.Attempts != 2 {
		t.Fatalf("%d attempts; want the file fetched once more from the start, then given up", failed.Attempts)
	}
	assertNoFinalFile(t, failed)
	if n := fileSize(failed.Path + partSuffix); n != 0 {
		t.Fatalf("%d damaged bytes kept in the partial file", n)
	}
	if f.Size <= 0 {
		t.Fatal("the file had no listed size")
	}
}

// A job that failed on Huawei's checksum is downloaded again with the
// checksum of a fresh listing when the recording is queued again: the
// platform made the file anew, and the old checksum would fail it forever.
func TestRequeuedHuaweiJobTakesTheFreshChecksum(t *testing.T) {
	t.Parallel()
	s, _ := newSim(t, 0)
	s.Faults().Update(func(f *sim.FaultSet) { f.HuaweiWrongSHA256 = true })
	q, _ := newQueue(t, huaweiConn(t, s), nil)
	j, wrong := huaweiJob(t, s, q)
	runToEnd(t, q)
	if failed, _ := q.Job(j.ID); failed.State != Failed {
		t.Fatalf("job %s; want it failed on the wrong checksum", failed.State)
	}
	s.Faults().Update(func(f *sim.FaultSet) { f.HuaweiWrongSHA256 = false })
	again, right := huaweiJob(t, s, q)
	if again.ID != j.ID || right.SHA256 == wrong.SHA256 {
		t.Fatalf("job %s (was %s), checksum %s (was %s): want the same job and a new checksum", again.ID, j.ID, right.SHA256, wrong.SHA256)
	}
	runToEnd(t, q)
	done, _ := q.Job(j.ID)
	if done.State != Done || done.Proof != verify.SHA256 || done.SHA256 != right.SHA256 {
		t.Fatalf("job %s (%s), proof %q, sha256 %s; want done and verified by the fresh %s", done.State, done.Err, done.Proof, done.SHA256, right.SHA256)
	}
}

// The digest of a file downloaded in pieces (a cut connection resumed in
// the same process, or a restart that kept the partial file) is the
// digest of the whole file.
func TestResumedFilesDigestIsTheWholeFilesDigest(t *testing.T) {
	t.Parallel()
	t.Run("cut connection", func(t *testing.T) {
		t.Parallel()
		s, sp := newSim(t, 0)
		s.Faults().Update(func(fs *sim.FaultSet) { fs.CutMidBody = 1 })
		q, logs := newQueue(t, newConn(s), nil)
		f := files(s, 1)[0]
		j := addOne(t, q, request(s, f, t.TempDir()))
		runToEnd(t, q)
		done := assertWhole(t, q, j.ID, f)
		if strings.Contains(logs.String(), "reading the whole file") {
			t.Fatal("the digest was not computed while the bytes were written")
		}
		if r := sp.Ranges(); len(r) != 2 || r[1] == "" {
			t.Fatalf("ranges %q: the file was not resumed", r)
		}
		if done.SHA256 != sim.ContentSHA256(f) || done.Proof != verify.Length {
			t.Fatalf("digest %s proof %q, want %s by length", done.SHA256, done.Proof, sim.ContentSHA256(f))
		}
	})
	t.Run("restart", func(t *testing.T) {
		t.Parallel()
		s, sp := newSim(t, slow)
		conn := newConn(s)
		logs := &logBuffer{}
		o := fastOptions(testDB(t, t.TempDir()), conn, logs)
		q1, err := New(o)
		if err != nil {
			t.Fatal(err)
		}
		f := files(s, 1)[0]
		j := addOne(t, q1, request(s, f, t.TempDir()))
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
		runToEnd(t, q2)
		done := assertWhole(t, q2, j.ID, f)
		r := sp.Ranges()
		if have <= 0 || rangeStart(t, r[len(r)-1]) != have {
			t.Fatalf("kept %d bytes, resumed with %q", have, r)
		}
		if strings.Contains(logs.String(), "reading the whole file") {
			t.Fatal("the resumed file was read again in full instead of its kept part once")
		}
		if done.SHA256 != sim.ContentSHA256(f) || !done.Verified() {
			t.Fatalf("digest %s verified %v, want %s", done.SHA256, done.Verified(), sim.ContentSHA256(f))
		}
	})
}

// Each platform's proof: Zoom's listed size, IBM's estimate replaced by
// the server's length plus the container, and none for a server that
// gives no length or a body that is no playable video.
func TestProofOfEachPlatform(t *testing.T) {
	t.Parallel()
	s, sp := newSim(t, 0)
	q, _ := newQueue(t, newConn(s), nil)
	fs := files(s, 4)
	zoom := request(s, fs[0], t.TempDir())
	zoom.Platform = fetch.ZoomSDK
	ibm := request(s, fs[1], t.TempDir())
	ibm.Platform, ibm.File.Size, ibm.File.SizeEstimated = fetch.IBMVideo, fs[1].Size+999, true
	chunked := request(s, fs[2], t.TempDir())
	chunked.File.Size = 0
	notVideo := request(s, fs[3], t.TempDir())
	notVideo.File.Size = 0
	sp.mu.Lock()
	sp.answer = func(w http.ResponseWriter, f *sim.File) bool {
		switch f.ID {
		case fs[2].ID: // no Content-Length: the body is sent chunked
			w.Header().Set("Content-Type", "video/mp4")
			w.WriteHeader(http.StatusOK)
			b := make([]byte, f.Size)
			_, _ = io.ReadFull(sim.Content(f), b)
			for i := 0; i < len(b); i += 4096 {
				_, _ = w.Write(b[i:min(i+4096, len(b))])
				w.(http.Flusher).Flush()
			}
			return true
		case fs[3].ID: // the right length of random bytes, no MP4
			b := make([]byte, f.Size)
			_, _ = rand.Read(b)
			w.Header().Set("Content-Type", "video/mp4")
			w.Header().Set("Content-Length", strconv.Itoa(len(b)))
			_, _ = w.Write(b)
			return true
		}
		return false
	}
	sp.mu.Unlock()
	ids := map[string]string{}
	for name, r := range map[string]AddRequest{"zoom": zoom, "ibm": ibm, "chunked": chunked, "not video": notVideo} {
		ids[name] = addOne(t, q, r).ID
	}
	runToEnd(t, q)
	want := map[string]verify.Proof{"zoom": verify.Size, "ibm": verify.Length, "chunked": verify.None, "not video": verify.None}
	for name, id := range ids {
		j, _ := q.Job(id)
		if j.State != Done || j.Proof != want[name] || j.Verified() != want[name].Holds() || len(j.SHA256) != 64 {
			t.Errorf("%s: %s (%s), proof %q, sha256 %q; want done, proof %q", name, j.State, j.Err, j.Proof, j.SHA256, want[name])
		}
		if !j.Verified() && j.Unproven == "" {
			t.Errorf("%s: not verified, and nothing says why", name)
		}
		if j.Verified() && j.SHA256 != sha256File(t, j.Path) {
			t.Errorf("%s: stored digest is not the file's", name)
		}
	}
	if j, _ := q.Job(ids["not video"]); !strings.Contains(j.Unproven, "not a playable video") {
		t.Errorf("not video: %q", j.Unproven)
	}
}

// A file skipped because it was downloaded before keeps the digest and
// proof of that download, also when the list was saved and read again.
func TestSkippedFileKeepsItsProof(t *testing.T) {
	t.Parallel()
	s, o, q1 := restartable(t)
	f := files(s, 1)[0]
	dir := t.TempDir()
	first := addOne(t, q1, request(s, f, dir))
	runToEnd(t, q1)
	done := assertWhole(t, q1, first.ID, f)
	q1.ClearFinished()
	if err := q1.Close(); err != nil {
		t.Fatal(err)
	}
	q2, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = q2.Close() })
	again := addOne(t, q2, request(s, f, dir))
	if !again.Skipped || !again.Verified() || again.Proof != done.Proof || again.SHA256 != done.SHA256 || again.SHA256 == "" {
		t.Fatalf("skipped job %+v; want the first download's proof %q and digest %s", again, done.Proof, done.SHA256)
	}
}

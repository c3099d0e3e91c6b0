package valt

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

const (
	uploadPOST = "POST /valt/api/v3/records/{rec}/videos/{video}"
	uploadPUT  = "PUT /valt/api/v3/records/{rec}/videos/{video}"
)

// videoBytes is a made-up file of n bytes and its hex SHA-256.
func videoBytes(n int) ([]byte, string) {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i/251)
	}
	sum := sha256.Sum256(b)
	return b, hex.EncodeToString(sum[:])
}

func uploadedVideo(t *testing.T, s *sim.Server, recordID string) sim.ValtUploadedVideo {
	t.Helper()
	for _, r := range s.ValtUploadRecords() {
		if r.ID == recordID {
			return r.Videos[0]
		}
	}
	t.Fatalf("the simulated Valt has no record %s", recordID)
	return sim.ValtUploadedVideo{}
}

// The wiki's create-upload examples: its request (with the trailing comma
// after "Field Value 2" taken out, which makes the page's example invalid
// JSON) is what CreateUpload sends, and its answer decodes bare and under
// "data".
func TestWikiCreateUploadBodies(t *testing.T) {
	var want createUploadRequest
	if err := json.Unmarshal(golden(t, "wiki_upload_create_request.json"), &want); err != nil {
		t.Fatal(err)
	}
	got := createUploadRequest{Name: "Upload Recording", Template: map[string]string{"1": "Field Value 1", "2": "Field Value 2"},
		Share: &Share{Users: []int64{1, 2, 3}, Groups: []int64{4, 5, 6}}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("the request CreateUpload builds %+v differs from the wiki's %+v", got, want)
	}
	bare := golden(t, "wiki_upload_create_answer.json")
	wrapped, _ := json.Marshal(map[string]json.RawMessage{"data": bare})
	for name, raw := range map[string][]byte{"bare": bare, "under data": wrapped} {
		var ans createUploadAnswer
		if err := json.Unmarshal(unwrapData(raw), &ans); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		v := videoEntries(ans.Videos, false)
		if ans.ID != "1bc87bea-9412-43f1-9e95-dbad0e60c99a" || len(v) != 1 || v[0].ID != "198016d2-edf4-4eaa-aa84-1545b07270e2" {
			t.Fatalf("%s: read %+v", name, ans)
		}
	}
	for _, f := range []string{"wiki_upload_server_error.json", "wiki_upload_no_api_token.json"} {
		var e struct {
			Error struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
		}
		if err := json.Unmarshal(golden(t, f), &e); err != nil || e.Error.Code == 0 || e.Error.Message == "" {
			t.Fatalf("%s: %v %+v", f, err, e)
		}
	}
}

func TestCreateUploadSendsNameTemplateAndShare(t *testing.T) {
	for _, underData := range []bool{false, true} {
		s := newSim(t, 3)
		s.Faults().Update(func(f *sim.FaultSet) { f.ValtUploadUnderData = underData; f.ValtCreateUploadErrors = 1 })
		c := newConnector(t, s, nil)
		rec, err := c.CreateUpload(context.Background(), "Interview 3", map[string]string{"7": "Room B"}, Share{Users: []int64{4}, Groups: []int64{9, 10}})
		if err != nil {
			t.Fatalf("under data %v: %v", underData, err)
		}
		all := s.ValtUploadRecords()
		if len(all) != 1 {
			t.Fatalf("%d records after one 500 and a retry, want 1", len(all))
		}
		got := all[0]
		if rec.ID != got.ID || len(rec.Videos) != 1 || rec.Videos[0] != got.Videos[0].ID {
			t.Fatalf("connector read %+v, server made %+v", rec, got)
		}
		if got.Name != "Interview 3" || got.Template["7"] != "Room B" || !reflect.DeepEqual(got.Users, []string{"4"}) || !reflect.DeepEqual(got.Groups, []string{"9", "10"}) {
			t.Fatalf("the server received %+v", got)
		}
	}
}

// Each reading of "Upload Video to Record" that a server may take is
// found from its answers, the bytes arrive whole, and the next upload goes
// straight to the reading learned.
func TestUploadInEachReading(t *testing.T) {
	data, sum := videoBytes(300 << 10)
	for _, reading := range Readings {
		t.Run(string(reading), func(t *testing.T) {
			s := newSim(t, 3)
			s.Faults().Update(func(f *sim.FaultSet) { f.ValtUploadReading = string(reading) })
			c := newConnector(t, s, nil)
			ctx := context.Background()
			for round := range 2 {
				rec, err := c.CreateUpload(ctx, "Observation", nil, Share{})
				if err != nil {
					t.Fatal(err)
				}
				before := s.Requests(uploadPOST) + s.Requests(uploadPUT)
				got, err := c.UploadVideo(ctx, rec.ID, rec.Videos[0], bytes.NewReader(data), int64(len(data)), "observation.mp4")
				if err != nil {
					t.Fatalf("round %d: %v", round, err)
				}
				if got != reading || c.Reading() != reading {
					t.Fatalf("round %d: learned %q (kept %q), the server takes %q", round, got, c.Reading(), reading)
				}
				v := uploadedVideo(t, s, rec.ID)
				if v.SHA256 != sum || v.Size != int64(len(data)) || v.Reading != string(reading) {
					t.Fatalf("round %d: the server kept %+v", round, v)
				}
				if reading.Multipart() && v.Filename != "observation.mp4" {
					t.Fatalf("the form named the file %q", v.Filename)
				}
				if v.ContentType != "video/mp4" {
					t.Fatalf("the file went as %q", v.ContentType)
				}
				if tries := s.Requests(uploadPOST) + s.Requests(uploadPUT) - before; round == 1 && tries != 1 {
					t.Fatalf("the second upload took %d requests, not 1: the reading was not remembered", tries)
				}
			}
		})
	}
}

// A reading stored with the account is tried first.
func TestStoredReadingIsTriedFirst(t *testing.T) {
	s := newSim(t, 3)
	s.Faults().Update(func(f *sim.FaultSet) { f.ValtUploadReading = string(RawPUT) })
	c := newConnector(t, s, nil)
	c.SetReading(RawPUT)
	data, _ := videoBytes(10 << 10)
	rec, err := c.CreateUpload(context.Background(), "x", nil, Share{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.UploadVideo(context.Background(), rec.ID, rec.Videos[0], bytes.NewReader(data), int64(len(data)), "x.mp4"); err != nil {
		t.Fatal(err)
	}
	if n := s.Requests(uploadPUT) + s.Requests(uploadPOST); n != 1 {
		t.Fatalf("%d upload requests with the reading known, want 1", n)
	}
}

// A body that cannot be read twice gets one try a call; the refusal is
// remembered and the next call uses the next reading.
func TestUnseekableBodyLearnsOverCalls(t *testing.T) {
	s := newSim(t, 3)
	s.Faults().Update(func(f *sim.FaultSet) { f.ValtUploadReading = string(RawPOST) })
	c := newConnector(t, s, nil)
	data, sum := videoBytes(20 << 10)
	rec, err := c.CreateUpload(context.Background(), "x", nil, Share{})
	if err != nil {
		t.Fatal(err)
	}
	var last error
	for range len(Readings) {
		body := io.MultiReader(bytes.NewReader(data)) // no Seek
		if _, last = c.UploadVideo(context.Background(), rec.ID, rec.Videos[0], body, int64(len(data)), "x.mp4"); last == nil {
			break
		}
		if !errors.Is(last, ErrReadingRefused) || !fetch.Retryable(last) {
			t.Fatalf("a refused reading with a one-time body: %v", last)
		}
	}
	if last != nil || c.Reading() != RawPOST || uploadedVideo(t, s, rec.ID).SHA256 != sum {
		t.Fatalf("never reached the server's reading: %v, learned %q", last, c.Reading())
	}
}

func TestUploadCutIsRetryable(t *testing.T) {
	s := newSim(t, 3)
	s.Faults().Update(func(f *sim.FaultSet) { f.ValtUploadCuts = 1 })
	c := newConnector(t, s, nil)
	data, sum := videoBytes(200 << 10)
	rec, err := c.CreateUpload(context.Background(), "x", nil, Share{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.UploadVideo(context.Background(), rec.ID, rec.Videos[0], bytes.NewReader(data), int64(len(data)), "x.mp4")
	if fetch.KindOf(err) != fetch.KindUnreachable || !strings.Contains(fetch.Plain(err), "broke off") {
		t.Fatalf("a cut connection: %v", err)
	}
	if v := uploadedVideo(t, s, rec.ID); v.Uploads != 0 {
		t.Fatalf("the cut upload was kept: %+v", v)
	}
	if _, err := c.UploadVideo(context.Background(), rec.ID, rec.Videos[0], bytes.NewReader(data), int64(len(data)), "x.mp4"); err != nil {
		t.Fatal(err)
	}
	if v := uploadedVideo(t, s, rec.ID); v.SHA256 != sum {
		t.Fatalf("after the retry the server has %+v", v)
	}
}

func TestUploadSignsInAgainAfterExpiry(t *testing.T) {
	s := newSim(t, 3)
	c := newConnector(t, s, nil)
	data, sum := videoBytes(8 << 10)
	rec, err := c.CreateUpload(context.Background(), "x", nil, Share{})
	if err != nil {
		t.Fatal(err)
	}
	s.ExpireValtSessions()
	if _, err := c.UploadVideo(context.Background(), rec.ID, rec.Videos[0], bytes.NewReader(data), int64(len(data)), "x.mp4"); err != nil {
		t.Fatal(err)
	}
	if uploadedVideo(t, s, rec.ID).SHA256 != sum || s.Requests(loginRoute) != 2 {
		t.Fatalf("sign-ins %d", s.Requests(loginRoute))
	}
}

// failingReader fails like a disk that cannot be read.
type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, &os.PathError{Op: "read", Path: "/media/usb/x.mp4", Err: errors.New("input/output error")}
	}
	k := min(len(p), f.n)
	f.n -= k
	return k, nil
}

func TestUploadErrorsInPlainWords(t *testing.T) {
	status := 0
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/login"):
			w.Write([]byte(`{"data":{"access_token":"0123456789abcdef0123456789abcdef"}}`))
		case strings.HasSuffix(r.URL.Path, "/create-upload"):
			if status == http.StatusForbidden {
				w.WriteHeader(status)
				w.Write([]byte(`{"error":{"code":403,"message":"Forbidden"}}`))
				return
			}
			w.Write([]byte(`{"id":"r1","videos":["v1"]}`))
		default:
			_, _ = io.Copy(io.Discard, r.Body)
			w.WriteHeader(status)
			w.Write([]byte(`{"error":{"code":0,"message":"no"}}`))
		}
	}))
	defer hs.Close()
	c, err := New(Config{Server: hs.URL, Username: "u", Password: "p", HTTP: &http.Client{Timeout: 5 * time.Second}, Backoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	data, _ := videoBytes(4 << 10)
	for _, tc := range []struct {
		status int
		kind   fetch.ErrorKind
		words  string
	}{
		{http.StatusForbidden, fetch.KindPermission, "not allowed to add"},
		{http.StatusRequestEntityTooLarge, fetch.KindInvalid, "too large"},
		{http.StatusUnsupportedMediaType, fetch.KindInvalid, "may not take this type of file"},
	} {
		status = tc.status
		_, err := c.CreateUpload(ctx, "x", nil, Share{})
		if err == nil {
			_, err = c.UploadVideo(ctx, "r1", "v1", bytes.NewReader(data), int64(len(data)), "x.mp4")
		}
		if fetch.KindOf(err) != tc.kind || !strings.Contains(fetch.Plain(err), tc.words) {
			t.Errorf("%d: %v (%q)", tc.status, err, fetch.Plain(err))
		}
	}
	status = http.StatusOK
	_, err = c.UploadVideo(ctx, "r1", "v1", &failingReader{n: 1000}, 5000, "x.mp4")
	if !strings.Contains(fetch.Plain(err), "could not read x.mp4 from the disk") || fetch.Retryable(err) {
		t.Errorf("a disk read error: %v", err)
	}
	var pe *os.PathError
	if !errors.As(err, &pe) {
		t.Errorf("the disk's error is not in the chain: %v", err)
	}
	_, err = c.UploadVideo(ctx, "r1", "v1", bytes.NewReader(data), int64(len(data))+10, "x.mp4")
	if !strings.Contains(fetch.Plain(err), "changed on the disk") {
		t.Errorf("a file shorter than announced: %v", err)
	}
}

// The pinned certificate is used for uploads as for downloads.
func TestUploadThroughPin(t *testing.T) {
	s := sim.New(sim.Config{Recordings: 3, MinSize: 1 << 10, MaxSize: 2 << 10})
	ts := httptest.NewTLSServer(s.Handler())
	defer ts.Close()
	s.SetURL(ts.URL)
	creds := s.Config().Credentials
	cfg := Config{Server: s.BaseURL(fetch.Valt), Username: creds.ValtUser, Password: creds.ValtPassword, Backoff: time.Millisecond}
	c, _ := New(cfg)
	if _, err := c.CreateUpload(context.Background(), "x", nil, Share{}); fetch.KindOf(err) != fetch.KindUntrusted {
		t.Fatalf("without the pin: %v", err)
	}
	cfg.Pin = fetch.Fingerprint(ts.Certificate())
	c, _ = New(cfg)
	rec, err := c.CreateUpload(context.Background(), "x", nil, Share{})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "x.mp4")
	data, sum := videoBytes(64 << 10)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(path)
	defer f.Close()
	if _, err := c.UploadVideo(context.Background(), rec.ID, rec.Videos[0], f, int64(len(data)), "x.mp4"); err != nil {
		t.Fatal(err)
	}
	if uploadedVideo(t, s, rec.ID).SHA256 != sum {
		t.Fatal("the bytes differ")
	}
}

// A one-time body refused only for an expired sign-in is said so, not as
// a refused reading, and the next call goes through in the same reading.
func TestUnseekableBodyAfterExpiredSignIn(t *testing.T) {
	s := newSim(t, 3)
	c := newConnector(t, s, nil)
	data, sum := videoBytes(8 << 10)
	rec, err := c.CreateUpload(context.Background(), "x", nil, Share{})
	if err != nil {
		t.Fatal(err)
	}
	s.ExpireValtSessions()
	_, err = c.UploadVideo(context.Background(), rec.ID, rec.Videos[0], io.MultiReader(bytes.NewReader(data)), int64(len(data)), "x.mp4")
	if errors.Is(err, ErrReadingRefused) || !fetch.Retryable(err) || !strings.Contains(fetch.Plain(err), "sign in again") {
		t.Fatalf("after an expired sign-in: %v", err)
	}
	got, err := c.UploadVideo(context.Background(), rec.ID, rec.Videos[0], io.MultiReader(bytes.NewReader(data)), int64(len(data)), "x.mp4")
	if err != nil || got != MultipartPOST || uploadedVideo(t, s, rec.ID).SHA256 != sum {
		t.Fatalf("the next call: %v, %q", err, got)
	}
}

package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

// recordingsRange is -from/-to covering every recording of p.
func recordingsRange(s *sim.Server, p fetch.Platform) []string {
	recs := s.Recordings(p)
	return []string{"-from", recs[len(recs)-1].Start.Format(time.DateOnly), "-to", time.Now().UTC().Format(time.DateOnly)}
}

// `cloudreel recordings` and `cloudreel download` for IBM and for Valt,
// with the record details naming their videos as "videos" (VALT 6) and
// as "cameras" (VALT 5): every file is listed, and downloaded whole.
func TestRecordingsAndDownloadIBMAndValt(t *testing.T) {
	for _, tc := range []struct {
		name     string
		account  string
		platform fetch.Platform
		cameras  bool
	}{
		{"ibm", "Lectures (IBM)", fetch.IBMVideo, false},
		{"valt videos", "Interview suite (Valt)", fetch.Valt, false},
		{"valt cameras", "Interview suite (Valt)", fetch.Valt, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newCLIHome(t, sim.Config{Recordings: 5, MinSize: 2000, MaxSize: 6000})
			s.Faults().Update(func(f *sim.FaultSet) { f.ValtCameras = tc.cameras })
			span := recordingsRange(s, tc.platform)

			code, stdout, stderr := runCLI(t, append([]string{"recordings", "-account", tc.account, "-json"}, span...)...)
			if code != 0 {
				t.Fatalf("recordings: exit %d: %s", code, stderr)
			}
			var listed []recordingJSON
			if err := json.Unmarshal([]byte(stdout), &listed); err != nil {
				t.Fatalf("recordings -json: %v\n%s", err, stdout)
			}
			want := map[string]string{} // SHA-256 of every file → its id
			files := 0
			for _, r := range s.Recordings(tc.platform) {
				for _, f := range r.Files {
					want[sim.ContentSHA256(f)] = f.ID
				}
			}
			for _, r := range listed {
				files += len(r.Files)
			}
			if len(listed) != 5 || files != len(want) {
				t.Fatalf("listed %d recordings with %d files, want 5 with %d", len(listed), files, len(want))
			}

			dest := t.TempDir()
			code, stdout, stderr = runCLI(t, append([]string{"download", "-account", tc.account, "-dest", dest}, span...)...)
			if code != 0 {
				t.Fatalf("download: exit %d: %s\n%s", code, stderr, stdout)
			}
			got := 0
			_ = filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				if strings.HasSuffix(p, ".part") {
					t.Errorf("a partial file is left: %s", p)
				}
				sum, err := fileSHA256(p)
				if err != nil {
					return err
				}
				if _, ok := want[sum]; !ok {
					t.Errorf("%s is not one of the simulator's files", p)
				}
				delete(want, sum)
				got++
				return nil
			})
			if len(want) != 0 {
				t.Fatalf("%d files downloaded, %d of the simulator's files missing\n%s", got, len(want), stdout)
			}
		})
	}
}

// A Valt record whose details name no video is listed with no file and
// `download` does not wait for it: the others download, and it says why.
func TestValtRecordWithoutVideoInCommands(t *testing.T) {
	s := newCLIHome(t, sim.Config{Recordings: 3, MinSize: 2000, MaxSize: 4000})
	s.Faults().Update(func(f *sim.FaultSet) { f.ValtRecordsWithoutVideo = 1 })
	span := recordingsRange(s, fetch.Valt)
	code, stdout, stderr := runCLI(t, append([]string{"recordings", "-account", "Interview suite (Valt)", "-json"}, span...)...)
	if code != 0 {
		t.Fatalf("recordings: exit %d: %s", code, stderr)
	}
	var listed []recordingJSON
	if err := json.Unmarshal([]byte(stdout), &listed); err != nil || len(listed) != 3 {
		t.Fatalf("recordings -json: %v, %d recordings", err, len(listed))
	}
	empty := s.Recordings(fetch.Valt)[0].ID
	for _, r := range listed {
		if (r.ID == empty) != (len(r.Files) == 0) {
			t.Fatalf("recording %s has %d files", r.ID, len(r.Files))
		}
		if (r.ID == empty) != strings.Contains(r.Status, "lists no video") {
			t.Fatalf("recording %s (%d files) has status %q", r.ID, len(r.Files), r.Status)
		}
	}
	// The table says why the row has no files, in the same words.
	code, stdout, stderr = runCLI(t, append([]string{"recordings", "-account", "Interview suite (Valt)"}, span...)...)
	if code != 0 || strings.Count(stdout, "lists no video") != 1 {
		t.Fatalf("recordings: exit %d, want one line saying the record lists no video:\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = runCLI(t, append([]string{"download", "-account", "Interview suite (Valt)", "-dest", t.TempDir()}, span...)...)
	if code != 0 {
		t.Fatalf("download: exit %d: %s\n%s", code, stderr, stdout)
	}
}

// `accounts add -token-url` for an IBM deployment whose token endpoint is
// not on its API host: without the flag the sign-in goes to the API host
// and fails; with it the account is tested, saved and lists.
func TestAccountsAddIBMTokenURL(t *testing.T) {
	s := newCLIHome(t, sim.Config{Recordings: 3, MinSize: 1000, MaxSize: 2000})
	target, _ := url.Parse(s.URL())
	proxy := httputil.NewSingleHostReverseProxy(target)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/oauth2/token") {
			http.NotFound(w, r) // this deployment signs in elsewhere
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	defer api.Close()
	creds := s.Config().Credentials
	add := func(extra ...string) (int, string) {
		args := append([]string{"accounts", "add", "-platform", "ibm", "-name", "Private IBM",
			"-server", api.URL + "/ibm", "-client-id", creds.IBMClientID}, extra...)
		var out, errb bytes.Buffer
		code := run(args, strings.NewReader(creds.IBMSecret+"\n"), &out, &errb)
		return code, out.String() + errb.String()
	}
	if code, out := add(); code == 0 {
		t.Fatalf("without -token-url the sign-in should fail: %s", out)
	}
	if code, out := add("-token-url", s.BaseURL(fetch.IBMVideo)+"/oauth2/token"); code != 0 || !strings.Contains(out, "connection tested") {
		t.Fatalf("with -token-url: exit %d: %s", code, out)
	}
	code, stdout, stderr := runCLI(t, append([]string{"recordings", "-account", "Private IBM", "-json"}, recordingsRange(s, fetch.IBMVideo)...)...)
	var listed []recordingJSON
	if code != 0 || json.Unmarshal([]byte(stdout), &listed) != nil || len(listed) != 3 {
		t.Fatalf("recordings: exit %d, %d listed: %s", code, len(listed), stderr)
	}
}

// A Huawei meeting still being transcoded is listed as preparing, with the
// time Huawei expects it to be ready, in the table and in -json.
func TestRecordingsSaysAHuaweiMeetingIsPreparing(t *testing.T) {
	s := newCLIHome(t, sim.Config{Recordings: 3, MinSize: 2000, MaxSize: 4000})
	s.Faults().Update(func(f *sim.FaultSet) { f.HuaweiTranscoding = 1 })
	span := recordingsRange(s, fetch.Huawei)
	code, stdout, stderr := runCLI(t, append([]string{"recordings", "-account", "Board meetings (Huawei)", "-json"}, span...)...)
	if code != 0 {
		t.Fatalf("recordings: exit %d: %s", code, stderr)
	}
	var listed []recordingJSON
	if err := json.Unmarshal([]byte(stdout), &listed); err != nil || len(listed) != 3 {
		t.Fatalf("recordings -json: %v, %d recordings", err, len(listed))
	}
	preparing := 0
	for _, r := range listed {
		if r.Status == "" {
			continue
		}
		preparing++
		if len(r.Files) != 0 || r.ReadyAt == nil || !strings.HasPrefix(r.Status, "preparing, ready about ") {
			t.Errorf("recording %s: status %q, ready at %v, %d files", r.ID, r.Status, r.ReadyAt, len(r.Files))
		}
	}
	if preparing != 1 {
		t.Fatalf("%d recordings preparing, want 1: %s", preparing, stdout)
	}
	code, stdout, stderr = runCLI(t, append([]string{"recordings", "-account", "Board meetings (Huawei)"}, span...)...)
	if code != 0 || strings.Count(stdout, ": preparing, ready about ") != 1 {
		t.Fatalf("recordings: exit %d, want one preparing line:\n%s%s", code, stdout, stderr)
	}
}

package sim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"cloudreel/fetch"
)

func newZoomSim(t *testing.T, n int) (*Server, string) {
	t.Helper()
	s := New(Config{Recordings: n, MinSize: 1 << 10, MaxSize: 4 << 10})
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	s.SetURL(hs.URL)
	return s, s.BaseURL(fetch.ZoomSDK)
}

func zoomJWT(t *testing.T, key, secret string, ttl time.Duration) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"iss": key, "iat": time.Now().Unix(), "exp": time.Now().Add(ttl).Unix(),
	}).SignedString([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// zoomGet calls the API with a Bearer token and decodes the JSON answer.
func zoomGet(t *testing.T, u, tok string, out any) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatalf("GET %s: body is not JSON: %v", u, err)
	}
	return resp.StatusCode
}

type zoomTestPage struct {
	From, To      string
	PageSize      int    `json:"page_size"`
	Total         int    `json:"total_records"`
	NextPageToken string `json:"next_page_token"`
	Sessions      []struct {
		SessionID      string `json:"session_id"`
		SessionName    string `json:"session_name"`
		Duration       int    `json:"duration"`
		RecordingFiles []struct {
			ID            string `json:"id"`
			FileType      string `json:"file_type"`
			DownloadURL   string `json:"download_url"`
			Status        string `json:"status"`
			RecordingType string `json:"recording_type"`
			FileSize      int64  `json:"file_size"`
		} `json:"recording_files"`
	}
	Code    int
	Message string
}

func TestZoomJWTChecks(t *testing.T) {
	s, base := newZoomSim(t, 10)
	c := s.Config().Credentials
	u := base + "/videosdk/recordings"
	for name, tok := range map[string]string{
		"wrong secret":       zoomJWT(t, c.ZoomKey, "not-the-secret", time.Hour),
		"wrong key":          zoomJWT(t, "someone-else", c.ZoomSecret, time.Hour),
		"expired":            zoomJWT(t, c.ZoomKey, c.ZoomSecret, -5*time.Minute),
		"lives over an hour": zoomJWT(t, c.ZoomKey, c.ZoomSecret, 3*time.Hour),
		"not a JWT":          "hello",
	} {
		var out zoomTestPage
		if code := zoomGet(t, u, tok, &out); code != http.StatusUnauthorized || out.Code != 124 || out.Message != "Invalid access token." {
			t.Errorf("%s: %d %+v", name, code, out)
		}
	}
	var out zoomTestPage
	if code := zoomGet(t, u, zoomJWT(t, c.ZoomKey, c.ZoomSecret, time.Hour), &out); code != http.StatusOK {
		t.Fatalf("good token: %d %+v", code, out)
	}
	today := s.Config().Now.Format(time.DateOnly)
	if out.From != today || out.To != s.Config().Now.AddDate(0, 0, 1).Format(time.DateOnly) {
		t.Fatalf("without from/to: %s..%s, want today and tomorrow", out.From, out.To)
	}
}

func TestZoomRangeAndPaging(t *testing.T) {
	s, base := newZoomSim(t, 30)
	c := s.Config().Credentials
	tok := zoomJWT(t, c.ZoomKey, c.ZoomSecret, time.Hour)
	list := func(v url.Values) (int, zoomTestPage) {
		var out zoomTestPage
		code := zoomGet(t, base+"/videosdk/recordings?"+v.Encode(), tok, &out)
		return code, out
	}

	code, out := list(url.Values{"from": {"2025-01-01"}, "to": {"2025-02-02"}})
	if code != http.StatusBadRequest || out.Code != 300 {
		t.Fatalf("a range over a month: %d %+v", code, out)
	}
	if code, _ := list(url.Values{"from": {"2025-01-31"}, "to": {"2025-02-28"}}); code != http.StatusOK {
		t.Fatalf("January 31 to February 28 is one month: %d", code)
	}

	to := s.Config().Now
	from := to.AddDate(0, -1, 0)
	var want []string
	for _, r := range s.Recordings(fetch.ZoomSDK) {
		if !r.Start.Before(from.Truncate(24*time.Hour)) && r.Start.Before(to.Truncate(24*time.Hour).AddDate(0, 0, 1)) {
			want = append(want, r.ID)
		}
	}
	if len(want) < 4 {
		t.Fatalf("only %d recordings in the last month; the test needs more", len(want))
	}
	s.Faults().Update(func(fs *FaultSet) { fs.ZoomMaxPageSize = 3 })
	v := url.Values{"from": {from.Format(time.DateOnly)}, "to": {to.Format(time.DateOnly)}, "page_size": {"300"}}
	var got []string
	for pages := 0; ; pages++ {
		code, out := list(v)
		if code != http.StatusOK || out.PageSize != 3 || out.Total != len(want) {
			t.Fatalf("page %d: %d %+v", pages, code, out)
		}
		for _, ss := range out.Sessions {
			got = append(got, ss.SessionID)
			for _, f := range ss.RecordingFiles {
				if f.Status != "completed" || f.DownloadURL == "" || f.FileSize <= 0 {
					t.Fatalf("file %+v", f)
				}
			}
		}
		if out.NextPageToken == "" {
			break
		}
		v.Set("next_page_token", out.NextPageToken)
	}
	if len(got) != len(want) {
		t.Fatalf("walked %d sessions, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("session %d is %s, want %s", i, got[i], want[i])
		}
	}

	v.Del("next_page_token")
	_, out = list(v)
	s.ExpireZoomPageTokens()
	v.Set("next_page_token", out.NextPageToken)
	if code, out := list(v); code != http.StatusBadRequest || out.Code != 300 {
		t.Fatalf("expired page token: %d %+v", code, out)
	}
}

func TestZoomMediaWantsAValidJWT(t *testing.T) {
	s, _ := newZoomSim(t, 3)
	c := s.Config().Credentials
	f := s.Recordings(fetch.ZoomSDK)[0].Files[0]
	link := s.URL() + "/zoom/rec/download/" + f.ID
	get := func(u string) (*http.Response, []byte) {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}

	resp, body := get(link + "?access_token=" + zoomJWT(t, c.ZoomKey, c.ZoomSecret, time.Hour))
	if resp.StatusCode != http.StatusOK || int64(len(body)) != f.Size {
		t.Fatalf("valid JWT: %s, %d bytes of %d", resp.Status, len(body), f.Size)
	}
	resp, body = get(link + "?access_token=" + zoomJWT(t, c.ZoomKey, c.ZoomSecret, -10*time.Minute))
	if resp.StatusCode != http.StatusOK || len(body) != 59 || string(body) != zoomForbidden ||
		resp.Header.Get("Content-Type") != "application/json;charset=UTF-8" {
		t.Fatalf("expired JWT: %s %q %q", resp.Status, resp.Header.Get("Content-Type"), body)
	}
	if resp, _ := get(link); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("no token: %s", resp.Status)
	}
	if resp, _ := get(s.URL() + "/zoom/rec/download/nope?access_token=x"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown file: %s", resp.Status)
	}
}

// Sessions recorded with separate participant files list them in
// participant_video_files and participant_audio_files, with the fields of
// Zoom's reference; user_name only when PlayZoomUserName asks for it.
func TestZoomParticipantArrays(t *testing.T) {
	s, base := newZoomSim(t, 8)
	c := s.Config().Credentials
	tok := zoomJWT(t, c.ZoomKey, c.ZoomSecret, time.Hour)
	to := s.Config().Now
	v := url.Values{"from": {to.AddDate(0, -1, 0).Format(time.DateOnly)}, "to": {to.Format(time.DateOnly)}, "page_size": {"300"}}
	for _, userName := range []bool{false, true} {
		s.PlayZoomUserName(userName)
		var page struct {
			Sessions []map[string]json.RawMessage
		}
		if code := zoomGet(t, base+"/videosdk/recordings?"+v.Encode(), tok, &page); code != http.StatusOK {
			t.Fatalf("list: %d", code)
		}
		with := 0
		for i, ss := range page.Sessions {
			var own, video, audio []map[string]any
			_ = json.Unmarshal(ss["recording_files"], &own)
			_, hasVideo := ss["participant_video_files"]
			_ = json.Unmarshal(ss["participant_video_files"], &video)
			_ = json.Unmarshal(ss["participant_audio_files"], &audio)
			if i%2 == 0 && hasVideo {
				t.Fatalf("session %d has participant files", i)
			}
			for _, f := range own {
				if _, ok := s.ZoomParticipant(f["id"].(string)); ok {
					t.Fatalf("a participant's file in recording_files: %v", f)
				}
			}
			if len(video) == 0 {
				continue
			}
			with++
			if len(audio) == 0 {
				t.Fatalf("session %d: video of participants but no audio", i)
			}
			for _, f := range append(video, audio...) {
				name, ok := s.ZoomParticipant(f["id"].(string))
				for _, k := range []string{"id", "recording_start", "recording_end", "file_name", "file_type", "file_extension", "file_size", "download_url", "status", "user_id", "user_key"} {
					if _, has := f[k]; !has {
						t.Fatalf("participant file without %s: %v", k, f)
					}
				}
				if got, has := f["user_name"]; has != userName || (has && got != name) || !ok || !strings.Contains(f["file_name"].(string), name) {
					t.Fatalf("user_name %v: file %v of %q", userName, f, name)
				}
			}
			for _, f := range audio {
				if f["file_extension"] != "M4A" || f["file_type"] != "M4A" {
					t.Fatalf("audio %v", f)
				}
			}
			for _, f := range video {
				if rt := f["recording_type"]; rt != "individual_user" && rt != "individual_shared_screen" {
					t.Fatalf("video %v", f)
				}
			}
		}
		if with == 0 {
			t.Fatal("no session in the last month has participant files")
		}
	}
}

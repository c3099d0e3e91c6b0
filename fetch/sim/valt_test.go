package sim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"cloudreel/fetch"
)

func newValtSim(t *testing.T) (*Server, string) {
	t.Helper()
	s := New(Config{Recordings: 25, MinSize: 1 << 10, MaxSize: 4 << 10})
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	s.SetURL(hs.URL)
	return s, s.BaseURL(fetch.Valt)
}

// valtDo sends a request and decodes the JSON answer into a generic map.
func valtDo(t *testing.T, method, u string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, u, rd)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s %s: body is not JSON: %v", method, u, err)
	}
	return resp.StatusCode, out
}

func valtSignIn(t *testing.T, s *Server, base string) string {
	t.Helper()
	c := s.Config().Credentials
	code, out := valtDo(t, http.MethodPost, base+"/api/v3/login", map[string]string{"username": c.ValtUser, "password": c.ValtPassword})
	if code != http.StatusOK {
		t.Fatalf("login: %d %v", code, out)
	}
	tok, _ := out["data"].(map[string]any)["access_token"].(string)
	if len(tok) != 32 || strings.Trim(tok, "0123456789abcdef") != "" {
		t.Fatalf("access token %q is not 32 hex digits", tok)
	}
	return tok
}

func TestValtLoginAndTokens(t *testing.T) {
	s, base := newValtSim(t)
	code, out := valtDo(t, http.MethodPost, base+"/api/v3/login", map[string]string{"username": "office", "password": "wrong"})
	if code != http.StatusUnauthorized || out["data"] != "Invalid username or password" {
		t.Fatalf("wrong password: %d %v", code, out)
	}
	tok := valtSignIn(t, s, base)

	code, out = valtDo(t, http.MethodPost, base+"/api/v3/records", nil)
	if code != http.StatusUnauthorized || out["error"].(map[string]any)["message"] != "No API key provided" {
		t.Fatalf("no token: %d %v", code, out)
	}
	code, out = valtDo(t, http.MethodPost, base+"/api/v3/records?access_token=0123456789abcdef0123456789abcdef", nil)
	if code != http.StatusUnauthorized || out["error"].(map[string]any)["message"] != "Bad credentials." {
		t.Fatalf("unknown token: %d %v", code, out)
	}
	if code, _ = valtDo(t, http.MethodPost, base+"/api/v3/records?access_token="+tok, nil); code != http.StatusOK {
		t.Fatalf("good token: %d", code)
	}
	s.ExpireValtSessions()
	if code, _ = valtDo(t, http.MethodPost, base+"/api/v3/records?access_token="+tok, nil); code != http.StatusUnauthorized {
		t.Fatalf("expired session: %d", code)
	}
}

func TestValtRecordsFilterAndPage(t *testing.T) {
	s, base := newValtSim(t)
	tok := valtSignIn(t, s, base)
	recs := s.Recordings(fetch.Valt)
	u := base + "/api/v3/records?access_token=" + tok

	// No body: every record.
	_, out := valtDo(t, http.MethodPost, u, nil)
	all := out["data"].(map[string]any)["records"].([]any)
	if len(all) != len(recs) {
		t.Fatalf("no body: %d records, want %d", len(all), len(recs))
	}
	first := all[0].(map[string]any)
	if first["id"] != recs[0].ID || first["name"] != recs[0].Title || int64(first["created"].(float64)) != recs[0].Start.Unix() ||
		int(first["duration"].(float64)) != int(recs[0].Duration/time.Second) || first["room"].(map[string]any)["name"] != recs[0].Room {
		t.Fatalf("record rendered as %v", first)
	}

	// A date range (MM-DD-YYYY, both days inclusive), in pages of 4.
	from, to := recs[len(recs)-1].Start, recs[5].Start
	var want []string
	for _, r := range recs {
		if !r.Start.Before(from.Truncate(24*time.Hour)) && r.Start.Before(to.Truncate(24*time.Hour).AddDate(0, 0, 1)) {
			want = append(want, r.ID)
		}
	}
	var got []string
	for offset := 0; ; offset += 4 {
		_, out := valtDo(t, http.MethodPost, u, map[string]any{
			"start_date": from.Format("01-02-2006"), "end_date": to.Format("01-02-2006"), "offset": offset, "limit": 4})
		page := out["data"].(map[string]any)["records"].([]any)
		for _, r := range page {
			got = append(got, r.(map[string]any)["id"].(string))
		}
		if len(page) < 4 {
			break
		}
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("paged range gave %d records, want %d", len(got), len(want))
	}

	code, _ := valtDo(t, http.MethodPost, u, map[string]any{"start_date": "2025-01-31"})
	if code != http.StatusBadRequest {
		t.Fatalf("a date not in MM-DD-YYYY: %d", code)
	}
}

func TestValtDetailsDownloadAndMedia(t *testing.T) {
	s, base := newValtSim(t)
	tok := valtSignIn(t, s, base)
	rec := s.Recordings(fetch.Valt)[1] // the record whose filename climbs out
	f := rec.Files[0]

	_, out := valtDo(t, http.MethodGet, base+"/api/v3/records/"+rec.ID+"?access_token="+tok, nil)
	videos := out["data"].(map[string]any)["videos"].([]any)
	if len(videos) != len(rec.Files) || videos[0] != f.ID {
		t.Fatalf("videos as ids: %v", videos)
	}
	s.Faults().Update(func(fs *FaultSet) { fs.ValtVideoObjects = true })
	_, out = valtDo(t, http.MethodGet, base+"/api/v3/records/"+rec.ID+"?access_token="+tok, nil)
	if v := out["data"].(map[string]any)["videos"].([]any)[0].(map[string]any); v["id"] != f.ID {
		t.Fatalf("videos as objects: %v", v)
	}

	code, out := valtDo(t, http.MethodGet, base+"/api/v3/records/nope?access_token="+tok, nil)
	if code != http.StatusNotFound || out["detail"] != "Not Found" || out["title"] != "An error occurred" {
		t.Fatalf("unknown record: %d %v", code, out)
	}
	code, _ = valtDo(t, http.MethodGet, base+"/api/v3/records/download/"+rec.ID+"/nope?access_token="+tok, nil)
	if code != http.StatusNotFound {
		t.Fatalf("unknown video: %d", code)
	}

	dl := base + "/api/v3/records/download/" + rec.ID + "/" + f.ID + "?access_token=" + tok
	_, out = valtDo(t, http.MethodGet, dl, nil)
	link, _ := out["url"].(string)
	if link == "" {
		t.Fatalf("bare answer: %v", out)
	}
	s.Faults().Update(func(fs *FaultSet) { fs.ValtURLUnderData = true })
	_, out = valtDo(t, http.MethodGet, dl, nil)
	if _, bare := out["url"]; bare || out["data"].(map[string]any)["url"] == "" {
		t.Fatalf("answer under data: %v", out)
	}

	lu, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	if name := lu.Query().Get("filename"); !strings.HasPrefix(name, "../../") || strings.Contains(name, " ") {
		t.Fatalf("filename=%q: want a '+'-joined name that starts with ../", name)
	}
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || int64(len(body)) != f.Size {
		t.Fatalf("media: %s, %d bytes of %d", resp.Status, len(body), f.Size)
	}
	q := lu.Query()
	q.Set("access_token", "forged")
	lu.RawQuery = q.Encode()
	if resp, err := http.Get(lu.String()); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("forged link token: %v %v", err, resp.Status)
	}
}

// Each sign-in cancels the previous token, as a real Valt does.
func TestValtLoginCancelsThePreviousToken(t *testing.T) {
	s, base := newValtSim(t)
	first := valtSignIn(t, s, base)
	second := valtSignIn(t, s, base)
	if code, out := valtDo(t, http.MethodPost, base+"/api/v3/records?access_token="+first, nil); code != http.StatusUnauthorized ||
		out["error"].(map[string]any)["message"] != "Bad credentials." {
		t.Fatalf("the first token after a second sign-in: %d %v", code, out)
	}
	if code, _ := valtDo(t, http.MethodPost, base+"/api/v3/records?access_token="+second, nil); code != http.StatusOK {
		t.Fatalf("the second token: %d", code)
	}
}

// The VALT 5 reading: "cameras" {cameraId: name} in the list and the
// details, no "videos", and a download by camera id.
func TestValtCameras(t *testing.T) {
	s, base := newValtSim(t)
	s.Faults().Update(func(f *FaultSet) { f.ValtCameras = true })
	tok := valtSignIn(t, s, base)
	rec := s.Recordings(fetch.Valt)[0]
	_, out := valtDo(t, http.MethodGet, base+"/api/v3/records/"+rec.ID+"?access_token="+tok, nil)
	data := out["data"].(map[string]any)
	cams, ok := data["cameras"].(map[string]any)
	if _, has := data["videos"]; has || !ok || len(cams) != len(rec.Files) || cams["51"] == nil {
		t.Fatalf("details: %v", data)
	}
	_, out = valtDo(t, http.MethodPost, base+"/api/v3/records?access_token="+tok, nil)
	if first := out["data"].(map[string]any)["records"].([]any)[0].(map[string]any); first["cameras"] == nil {
		t.Fatalf("list: %v", first)
	}
	_, out = valtDo(t, http.MethodGet, base+"/api/v3/records/download/"+rec.ID+"/51?access_token="+tok, nil)
	if u, _ := out["url"].(string); !strings.Contains(u, rec.Files[0].ID) {
		t.Fatalf("download by camera id: %v", out)
	}
}

// Records whose details name no video: an empty "videos", or "cameras"
// as [] (PHP's empty map); their videos cannot be downloaded.
func TestValtRecordsWithoutVideo(t *testing.T) {
	s, base := newValtSim(t)
	s.Faults().Update(func(f *FaultSet) { f.ValtRecordsWithoutVideo = 1 })
	tok := valtSignIn(t, s, base)
	recs := s.Recordings(fetch.Valt)
	_, out := valtDo(t, http.MethodGet, base+"/api/v3/records/"+recs[0].ID+"?access_token="+tok, nil)
	if v, ok := out["data"].(map[string]any)["videos"].([]any); !ok || len(v) != 0 {
		t.Fatalf("videos of the empty record: %v", out)
	}
	_, out = valtDo(t, http.MethodGet, base+"/api/v3/records/"+recs[1].ID+"?access_token="+tok, nil)
	if v := out["data"].(map[string]any)["videos"].([]any); len(v) != len(recs[1].Files) {
		t.Fatalf("the next record lost its videos: %v", v)
	}
	if code, _ := valtDo(t, http.MethodGet, base+"/api/v3/records/download/"+recs[0].ID+"/"+recs[0].Files[0].ID+"?access_token="+tok, nil); code != http.StatusNotFound {
		t.Fatalf("download of a video the record does not name: %d", code)
	}
	s.Faults().Update(func(f *FaultSet) { f.ValtCameras = true })
	_, out = valtDo(t, http.MethodGet, base+"/api/v3/records/"+recs[0].ID+"?access_token="+tok, nil)
	if c, ok := out["data"].(map[string]any)["cameras"].([]any); !ok || len(c) != 0 {
		t.Fatalf("cameras of the empty record: %v", out)
	}
}

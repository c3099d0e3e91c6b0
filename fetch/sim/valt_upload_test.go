package sim

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"mime/multipart"
	"net/http"
	"net/url"
	"testing"
)

// uploadTo sends body to the first video of a new record and returns the
// status and the record as the server kept it.
func uploadTo(t *testing.T, s *Server, base, tok, method, ctype string, body []byte) (int, http.Header, ValtUploadRecord) {
	t.Helper()
	code, out := valtDo(t, http.MethodPost, base+"/api/v3/records/create-upload?access_token="+tok, map[string]any{"name": "Observation 1"})
	if code != http.StatusOK {
		t.Fatalf("create-upload: %d %v", code, out)
	}
	id, _ := out["id"].(string)
	videos, _ := out["videos"].([]any)
	if id == "" || len(videos) != 1 {
		t.Fatalf("create-upload answered %v", out)
	}
	u := base + "/api/v3/records/" + id + "/videos/" + videos[0].(string) + "?access_token=" + url.QueryEscape(tok)
	req, _ := http.NewRequest(method, u, bytes.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, r := range s.ValtUploadRecords() {
		if r.ID == id {
			return resp.StatusCode, resp.Header, r
		}
	}
	t.Fatalf("record %s not kept", id)
	return 0, nil, ValtUploadRecord{}
}

func TestValtUploadReadings(t *testing.T) {
	file := bytes.Repeat([]byte("mp4 "), 5000)
	sum := sha256.Sum256(file)
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	fw, _ := mw.CreateFormFile("file", "a.mp4")
	fw.Write(file)
	mw.Close()
	s, base := newValtSim(t)
	tok := valtSignIn(t, s, base)

	// The default reading: a form, POST.
	code, _, rec := uploadTo(t, s, base, tok, http.MethodPost, mw.FormDataContentType(), form.Bytes())
	if code != http.StatusOK || rec.Empty() || rec.Videos[0].SHA256 != hex.EncodeToString(sum[:]) || rec.Videos[0].Filename != "a.mp4" {
		t.Fatalf("form POST: %d %+v", code, rec)
	}
	code, hdr, rec := uploadTo(t, s, base, tok, http.MethodPut, mw.FormDataContentType(), form.Bytes())
	if code != http.StatusMethodNotAllowed || hdr.Get("Allow") != http.MethodPost || !rec.Empty() {
		t.Fatalf("form PUT on a POST server: %d %v", code, hdr)
	}
	code, _, rec = uploadTo(t, s, base, tok, http.MethodPost, "video/mp4", file)
	if code != http.StatusBadRequest || !rec.Empty() {
		t.Fatalf("bare bytes on a form server: %d", code)
	}

	s.Faults().Update(func(f *FaultSet) { f.ValtUploadReading = "raw-put" })
	code, _, rec = uploadTo(t, s, base, tok, http.MethodPut, "video/mp4", file)
	if code != http.StatusOK || rec.Videos[0].SHA256 != hex.EncodeToString(sum[:]) || rec.Videos[0].Size != int64(len(file)) {
		t.Fatalf("bare PUT: %d %+v", code, rec)
	}
	code, _, _ = uploadTo(t, s, base, tok, http.MethodPut, mw.FormDataContentType(), form.Bytes())
	if code != http.StatusUnsupportedMediaType {
		t.Fatalf("a form on a bare-bytes server: %d", code)
	}

	// A cut connection keeps nothing.
	s.Faults().Update(func(f *FaultSet) { f.ValtUploadCuts = 1 })
	code, out := valtDo(t, http.MethodPost, base+"/api/v3/records/create-upload?access_token="+tok, map[string]any{"name": "Cut"})
	if code != http.StatusOK {
		t.Fatal(out)
	}
	u := base + "/api/v3/records/" + out["id"].(string) + "/videos/" + out["videos"].([]any)[0].(string) + "?access_token=" + tok
	req, _ := http.NewRequest(http.MethodPut, u, bytes.NewReader(file))
	req.Header.Set("Content-Type", "video/mp4")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("the cut upload was answered %s", resp.Status)
	}
	recs := s.ValtUploadRecords()
	if last := recs[len(recs)-1]; !last.Empty() {
		t.Fatalf("the cut upload was kept: %+v", last)
	}
}

func TestValtCreateUploadErrors(t *testing.T) {
	s, base := newValtSim(t)
	code, out := valtDo(t, http.MethodPost, base+"/api/v3/records/create-upload", map[string]any{"name": "x"})
	if e, _ := out["error"].(map[string]any); code != http.StatusUnauthorized || e["message"] == nil {
		t.Fatalf("no token: %d %v", code, out)
	}
	tok := valtSignIn(t, s, base)
	if code, _ := valtDo(t, http.MethodPost, base+"/api/v3/records/create-upload?access_token="+tok, map[string]any{}); code != http.StatusBadRequest {
		t.Fatalf("no name: %d", code)
	}
	s.Faults().Update(func(f *FaultSet) { f.ValtCreateUploadErrors = 1 })
	code, out = valtDo(t, http.MethodPost, base+"/api/v3/records/create-upload?access_token="+tok, map[string]any{"name": "x"})
	if e, _ := out["error"].(map[string]any); code != http.StatusInternalServerError || e["message"] != "Internal Server Error" {
		t.Fatalf("the 500 fault: %d %v", code, out)
	}
	if n := len(s.ValtUploadRecords()); n != 0 {
		t.Fatalf("%d records made by failed calls", n)
	}
}

package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"cloudreel/fetch"
)

type huaweiInfoAnswer struct {
	SegmentCount int `json:"segmentCount"`
	SegmentList  []struct {
		SegmentOrder int `json:"segmentOrder"`
		FileList     []struct {
			RecordType  string `json:"recordType"`
			FileSize    int64  `json:"fileSize"`
			SHA256      string `json:"sha256"`
			DownloadURL string `json:"downloadUrl"`
		} `json:"fileList"`
	} `json:"segmentList"`
}

func huaweiInfo(t *testing.T, s *Server, h http.Header, body string) (*http.Response, huaweiInfoAnswer) {
	t.Helper()
	hdr := http.Header{"Content-Type": {"application/json"}}
	for k, v := range h {
		hdr[k] = v
	}
	var a huaweiInfoAnswer
	resp := ibmHuaweiCall(t, "POST", s.BaseURL(fetch.Huawei)+"/v1/mmc/rlm/record/info", hdr, strings.NewReader(body), &a)
	return resp, a
}

// TestHuaweiRecordInfoChecksumsTheServedBytes downloads every file of a
// split meeting and checks ShowRecordInfo's fileSize and sha256 against
// the bytes served, then that the wrong-checksum fault changes only the
// sha256.
func TestHuaweiRecordInfoChecksumsTheServedBytes(t *testing.T) {
	s := ibmHuaweiSim(t, 3)
	h := huaweiToken(t, s)
	split := s.Recordings(fetch.Huawei)[1] // two parts of Aux, Hd and Sd
	resp, info := huaweiInfo(t, s, h, `{"confUUID":"`+split.ID+`","segmentOffset":0,"segmentLimit":100}`)
	if resp.StatusCode != 200 || info.SegmentCount != 2 || len(info.SegmentList) != 2 {
		t.Fatalf("record info: %d %+v", resp.StatusCode, info)
	}
	listed := map[string][2]any{} // URL path → size, sha256
	for _, seg := range info.SegmentList {
		if len(seg.FileList) != 3 {
			t.Fatalf("segment %d has %d files, want 3", seg.SegmentOrder, len(seg.FileList))
		}
		for _, f := range seg.FileList {
			u, _ := url.Parse(f.DownloadURL)
			listed[u.Path] = [2]any{f.FileSize, f.SHA256}
			if len(f.SHA256) != 64 || f.RecordType == "" {
				t.Errorf("file %+v", f)
			}
		}
	}
	var a huaweiURLsAnswer
	ibmHuaweiCall(t, "GET", s.BaseURL(fetch.Huawei)+"/v1/mmc/management/record/downloadurls?confUUID="+split.ID, h, nil, &a)
	for _, f := range a.RecordURLs[0].URLs {
		_, body, err := get(t, f.URL, map[string]string{"Authorization": f.Token})
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(f.URL)
		sum := sha256.Sum256(body)
		want, ok := listed[u.Path]
		if !ok || want[0] != int64(len(body)) || want[1] != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: served %d bytes, sha256 %x; record info lists %v", u.Path, len(body), sum, want)
		}
	}

	s.Faults().Update(func(f *FaultSet) { f.HuaweiWrongSHA256 = true })
	_, bad := huaweiInfo(t, s, h, `{"confUUID":"`+split.ID+`"}`)
	for _, seg := range bad.SegmentList {
		for _, f := range seg.FileList {
			u, _ := url.Parse(f.DownloadURL)
			if want := listed[u.Path]; f.FileSize != want[0] || f.SHA256 == want[1] || len(f.SHA256) != 64 {
				t.Errorf("wrong-checksum fault: %s lists %d %s, the right ones are %v", u.Path, f.FileSize, f.SHA256, want)
			}
		}
	}

	if resp, _ := huaweiInfo(t, s, h, `{"confUUID":"nope"}`); resp.StatusCode != 404 {
		t.Errorf("unknown meeting: %d", resp.StatusCode)
	}
	if resp, _ := huaweiInfo(t, s, h, `{}`); resp.StatusCode != 400 {
		t.Errorf("no confUUID: %d", resp.StatusCode)
	}
	if resp, _ := huaweiInfo(t, s, nil, `{"confUUID":"`+split.ID+`"}`); resp.StatusCode != 401 {
		t.Errorf("no token: %d", resp.StatusCode)
	}
}

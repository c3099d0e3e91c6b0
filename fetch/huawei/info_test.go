package huawei

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

// TestListGivesEveryFileItsChecksum checks that each listed file carries
// the size and SHA-256 of the bytes the simulator serves for it (through
// ShowRecordInfo, matched by download URL), split meetings included.
func TestListGivesEveryFileItsChecksum(t *testing.T) {
	s := newSim(t, 3)
	c := connect(t, accountConfig(s))
	recs, err := collect(c, everything)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range recs {
		for _, f := range r.Files {
			n++
			src, err := c.Resolve(t.Context(), f)
			if err != nil {
				t.Fatal(err)
			}
			code, sum, size := fetchMediaSize(t, src)
			if code != 200 || f.Size != size || f.SHA256 != sum {
				t.Errorf("%s: listed size %d sha256 %q; served %d, %d bytes, sha256 %s", f.ID, f.Size, f.SHA256, code, size, sum)
			}
		}
	}
	if n < 4 {
		t.Fatalf("only %d files listed", n)
	}
}

// fetchMediaSize GETs a file and returns the status, the hex SHA-256 and
// the length of its body.
func fetchMediaSize(t *testing.T, src fetch.Source) (int, string, int64) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, src.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range src.Header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	h := sha256.New()
	n, _ := io.Copy(h, resp.Body)
	return resp.StatusCode, hex.EncodeToString(h.Sum(nil)), n
}

// TestListWithoutRecordInfoStillLists: a server that refuses ShowRecordInfo
// costs the checksums, not the listing.
func TestListWithoutRecordInfoStillLists(t *testing.T) {
	s := sim.New(sim.Config{Recordings: 2, MinSize: 2 << 10, MaxSize: 8 << 10})
	h := s.Handler()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/v1/mmc/rlm/record/info") {
			http.Error(w, `{"error_code":"MMC.111070404","error_msg":"not found"}`, http.StatusNotFound)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	s.SetURL(hs.URL)
	c := connect(t, accountConfig(s))
	recs, err := collect(c, everything)
	if err != nil || len(recs) == 0 {
		t.Fatalf("list: %v (%d recordings)", err, len(recs))
	}
	for _, r := range recs {
		for _, f := range r.Files {
			if f.SHA256 != "" || f.Size != 0 {
				t.Errorf("%s: checksum %q size %d without ShowRecordInfo", f.ID, f.SHA256, f.Size)
			}
		}
	}
}

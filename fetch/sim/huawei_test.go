package sim

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"cloudreel/fetch"
)

func huaweiAccountSignIn(t *testing.T, s *Server, account, password string) (*http.Response, map[string]any) {
	t.Helper()
	body := fmt.Sprintf(`{"account":%q,"clientType":72}`, account)
	hdr := http.Header{
		"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte(account+":"+password))},
		"Content-Type":  {"application/json"},
	}
	var out map[string]any
	resp := ibmHuaweiCall(t, "POST", s.BaseURL(fetch.Huawei)+"/v1/usg/acs/auth/account", hdr, strings.NewReader(body), &out)
	return resp, out
}

func huaweiToken(t *testing.T, s *Server) http.Header {
	t.Helper()
	c := s.Config().Credentials
	resp, out := huaweiAccountSignIn(t, s, c.HuaweiAccount, c.HuaweiPwd)
	tok, _ := out["accessToken"].(string)
	if resp.StatusCode != 200 || tok == "" || out["validPeriod"].(float64) < 12*3600 {
		t.Fatalf("sign-in: %d %v", resp.StatusCode, out)
	}
	return http.Header{"X-Access-Token": {tok}}
}

func TestHuaweiSignIns(t *testing.T) {
	s := ibmHuaweiSim(t, 2)
	c := s.Config().Credentials
	if resp, out := huaweiAccountSignIn(t, s, c.HuaweiAccount, "wrong"); resp.StatusCode != 401 || out["error_code"] != "USG.000000003" {
		t.Fatalf("wrong password: %d %v", resp.StatusCode, out)
	}
	appAuth := func(key, nonce string, expire int64) (*http.Response, map[string]any) {
		body, _ := json.Marshal(map[string]any{"appId": c.HuaweiAppID, "clientType": 72, "corpId": c.HuaweiCorp,
			"expireTime": expire, "nonce": nonce, "userId": c.HuaweiUserID})
		hdr := http.Header{"Authorization": {"HMAC-SHA256 signature=" + huaweiSignature(c.HuaweiAppID, c.HuaweiUserID, expire, nonce, key)},
			"Content-Type": {"application/json"}}
		var out map[string]any
		return ibmHuaweiCall(t, "POST", s.BaseURL(fetch.Huawei)+"/v2/usg/acs/auth/appauth", hdr, strings.NewReader(string(body)), &out), out
	}
	nonce := strings.Repeat("ab", 20)
	later := time.Now().Add(time.Hour).Unix()
	if resp, out := appAuth(c.HuaweiKey, nonce, later); resp.StatusCode != 200 || out["accessToken"] == "" {
		t.Fatalf("App ID sign-in: %d %v", resp.StatusCode, out)
	}
	if resp, _ := appAuth("wrong-key", nonce, later); resp.StatusCode != 401 {
		t.Fatalf("wrong App key: %d", resp.StatusCode)
	}
	if resp, _ := appAuth(c.HuaweiKey, "short", later); resp.StatusCode != 400 {
		t.Fatalf("short nonce: %d", resp.StatusCode)
	}
	if resp, _ := appAuth(c.HuaweiKey, nonce, time.Now().Add(-time.Minute).Unix()); resp.StatusCode != 401 {
		t.Fatalf("expired request: %d", resp.StatusCode)
	}
}

type huaweiFilesAnswer struct {
	Count int `json:"count"`
	Data  []struct {
		ConfUUID  string `json:"confUUID"`
		Subject   string `json:"subject"`
		StartTime int64  `json:"startTime"`
		RcdTime   int64  `json:"rcdTime"`
		RcdSize   int64  `json:"rcdSize"`
	} `json:"data"`
}

func TestHuaweiFilesPagingReadings(t *testing.T) {
	s := ibmHuaweiSim(t, 250)
	h := huaweiToken(t, s)
	recs := s.Recordings(fetch.Huawei)
	list := func(q url.Values) (*http.Response, huaweiFilesAnswer) {
		var a huaweiFilesAnswer
		resp := ibmHuaweiCall(t, "GET", s.BaseURL(fetch.Huawei)+"/v1/mmc/management/record/files?"+q.Encode(), h, nil, &a)
		return resp, a
	}
	dates := func(offset, limit int) url.Values {
		return url.Values{"startDate": {"0"}, "endDate": {strconv.FormatInt(time.Now().Add(time.Hour).UnixMilli(), 10)},
			"offset": {strconv.Itoa(offset)}, "limit": {strconv.Itoa(limit)}}
	}
	if resp, _ := list(url.Values{"offset": {"0"}, "limit": {"10"}}); resp.StatusCode != 400 {
		t.Fatalf("without dates: %d", resp.StatusCode)
	}
	// Item offsets, limit up to 500.
	_, a := list(dates(1, 100))
	if a.Count != 250 || len(a.Data) != 100 || a.Data[0].ConfUUID != recs[1].ID {
		t.Fatalf("item offset 1: count %d, %d items, first %s", a.Count, len(a.Data), a.Data[0].ConfUUID)
	}
	if a.Data[0].RcdTime != int64(recs[1].Duration/time.Second) || a.Data[0].StartTime != recs[1].Start.UnixMilli() || a.Data[0].RcdSize < 1 {
		t.Fatalf("meeting fields: %+v", a.Data[0])
	}
	if _, a := list(dates(0, 500)); len(a.Data) != 250 {
		t.Fatalf("limit 500: %d items", len(a.Data))
	}
	if resp, _ := list(dates(0, 501)); resp.StatusCode != 400 {
		t.Fatalf("limit 501: %d", resp.StatusCode)
	}
	// Page indexes, limit up to 100.
	s.Faults().Update(func(f *FaultSet) { f.HuaweiPageIndex = true })
	_, a = list(dates(1, 100))
	if len(a.Data) != 100 || a.Data[0].ConfUUID != recs[100].ID {
		t.Fatalf("page index 1: %d items, first %s", len(a.Data), a.Data[0].ConfUUID)
	}
	if _, a := list(dates(2, 100)); len(a.Data) != 50 {
		t.Fatalf("last page: %d items", len(a.Data))
	}
	if resp, _ := list(dates(0, 101)); resp.StatusCode != 400 {
		t.Fatalf("limit 101 with page indexes: %d", resp.StatusCode)
	}
	// The range filters.
	q := dates(0, 100)
	q.Set("startDate", strconv.FormatInt(recs[9].Start.UnixMilli(), 10))
	q.Set("endDate", strconv.FormatInt(recs[5].Start.UnixMilli(), 10))
	if _, a := list(q); a.Count != 5 || len(a.Data) != 5 {
		t.Fatalf("range of 5 meetings: count %d, %d items", a.Count, len(a.Data))
	}
}

type huaweiURLsAnswer struct {
	RecordURLs []struct {
		ConfUUID string `json:"confUuid"`
		URLs     []struct {
			Token    string `json:"token"`
			FileType string `json:"fileType"`
			URL      string `json:"url"`
		} `json:"urls"`
	} `json:"recordUrls"`
}

func TestHuaweiDownloadURLsAndOneTimeTokens(t *testing.T) {
	s := ibmHuaweiSim(t, 3)
	h := huaweiToken(t, s)
	split := s.Recordings(fetch.Huawei)[1] // the 3½-hour meeting
	u := s.BaseURL(fetch.Huawei) + "/v1/mmc/management/record/downloadurls?confUUID=" + split.ID
	var a huaweiURLsAnswer
	if resp := ibmHuaweiCall(t, "GET", u, h, nil, &a); resp.StatusCode != 200 || len(a.RecordURLs) != 1 || a.RecordURLs[0].ConfUUID != split.ID {
		t.Fatalf("downloadurls: %d %+v", resp.StatusCode, a)
	}
	urls := a.RecordURLs[0].URLs
	if len(urls) != 6 {
		t.Fatalf("a split meeting has %d files, want 6", len(urls))
	}
	// Seed 004's order and names: per part Aux, Hd, Sd; parts 0_0, 0_1.
	want := []string{"videoAux/0_0.mp4", "videoHD/0_0.mp4", "videoSD/0_0.mp4", "videoAux/0_1.mp4", "videoHD/0_1.mp4", "videoSD/0_1.mp4"}
	for i, w := range want {
		if !strings.HasSuffix(urls[i].URL, w) || len(urls[i].Token) != 64 {
			t.Fatalf("file %d: %+v, want …%s", i, urls[i], w)
		}
	}
	hd := urls[1]
	req := func(method, tok string) int {
		r, _ := http.NewRequest(method, hd.URL, nil)
		if tok != "" {
			r.Header.Set("Authorization", tok)
		}
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := req("GET", ""); code != http.StatusForbidden {
		t.Fatalf("without token: %d", code)
	}
	if code := req("GET", "Bearer "+hd.Token); code != http.StatusForbidden {
		t.Fatalf("token with a scheme: %d", code)
	}
	if code := req("HEAD", hd.Token); code != 200 {
		t.Fatalf("HEAD: %d", code)
	}
	if code := req("GET", hd.Token); code != 200 {
		t.Fatalf("first GET after a harmless HEAD: %d", code)
	}
	if code := req("GET", hd.Token); code != http.StatusGone {
		t.Fatalf("second GET of a one-time token: %d", code)
	}
	s.Faults().Update(func(f *FaultSet) { f.HeadSpendsToken = true })
	var b huaweiURLsAnswer
	ibmHuaweiCall(t, "GET", u, h, nil, &b)
	hd = b.RecordURLs[0].URLs[1]
	if code := req("HEAD", hd.Token); code != 200 {
		t.Fatalf("spending HEAD: %d", code)
	}
	if code := req("GET", hd.Token); code != http.StatusGone {
		t.Fatalf("GET after a spending HEAD: %d", code)
	}

	var e map[string]any
	if resp := ibmHuaweiCall(t, "GET", s.BaseURL(fetch.Huawei)+"/v1/mmc/management/record/downloadurls?confUUID=nope", h, nil, &e); resp.StatusCode != 404 {
		t.Fatalf("unknown meeting: %d", resp.StatusCode)
	}
	s.SetHuaweiAdmin(false)
	if resp := ibmHuaweiCall(t, "GET", u, h, nil, &e); resp.StatusCode != 403 || e["error_code"] == "" {
		t.Fatalf("not an administrator: %d %v", resp.StatusCode, e)
	}
	s.RevokeHuaweiTokens()
	if resp := ibmHuaweiCall(t, "GET", u, h, nil, &e); resp.StatusCode != 401 {
		t.Fatalf("revoked token: %d", resp.StatusCode)
	}
}

package sim

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"os"
	"slices"
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

// testHMAC is hex(HMAC-SHA256(text, key)), written here again so that the
// test does not check the simulator against itself.
func testHMAC(text, key string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(text))
	return hex.EncodeToString(m.Sum(nil))
}

// huaweiAppAuth signs in with an App ID, sending body and the
// Authorization header as given.
func huaweiAppAuth(t *testing.T, s *Server, body map[string]any, authorization string) (*http.Response, map[string]any) {
	t.Helper()
	raw, _ := json.Marshal(body)
	hdr := http.Header{"Authorization": {authorization}, "Content-Type": {"application/json"}}
	var out map[string]any
	return ibmHuaweiCall(t, "POST", s.BaseURL(fetch.Huawei)+"/v2/usg/acs/auth/appauth", hdr, strings.NewReader(string(raw)), &out), out
}

func TestHuaweiSignIns(t *testing.T) {
	s := ibmHuaweiSim(t, 2)
	c := s.Config().Credentials
	if resp, out := huaweiAccountSignIn(t, s, c.HuaweiAccount, "wrong"); resp.StatusCode != 401 || out["error_code"] != "USG.000000003" {
		t.Fatalf("wrong password: %d %v", resp.StatusCode, out)
	}
	nonce := strings.Repeat("ab", 20)
	later := time.Now().Add(time.Hour).Unix()
	exp := strconv.FormatInt(later, 10)
	body := func(app, corp, user string, expire int64, nonce string) map[string]any {
		b := map[string]any{"appId": app, "clientType": 72, "expireTime": expire, "nonce": nonce, "userId": user}
		if corp != "" {
			b["corpId"] = corp
		}
		return b
	}
	sign := func(text, key string) string { return "HMAC-SHA256 signature=" + testHMAC(text, key) }
	single, sp := c.HuaweiSingleAppID, c.HuaweiAppID
	for _, tc := range []struct {
		name string
		body map[string]any
		auth string
		want int
	}{
		{"single enterprise", body(single, "", c.HuaweiUserID, later, nonce), sign(single+":"+c.HuaweiUserID+":"+exp+":"+nonce, c.HuaweiKey), 200},
		{"single, default administrator", body(single, "", "", later, nonce), sign(single+"::"+exp+":"+nonce, c.HuaweiKey), 200},
		{"single, upper-case hex and access=", body(single, "", "", later, nonce),
			"HMAC-SHA256 signature=" + strings.ToUpper(testHMAC(single+"::"+exp+":"+nonce, c.HuaweiKey)) + ",access=" + base64.StdEncoding.EncodeToString([]byte(single)), 200},
		{"single, with a corp ID", body(single, c.HuaweiCorp, "", later, nonce), sign(single+":"+c.HuaweiCorp+"::"+exp+":"+nonce, c.HuaweiKey), 401},
		{"single, corp ID sent but not signed", body(single, c.HuaweiCorp, "", later, nonce), sign(single+"::"+exp+":"+nonce, c.HuaweiKey), 401},
		{"SP", body(sp, c.HuaweiCorp, c.HuaweiUserID, later, nonce), sign(sp+":"+c.HuaweiCorp+":"+c.HuaweiUserID+":"+exp+":"+nonce, c.HuaweiKey), 200},
		{"SP, default administrator", body(sp, c.HuaweiCorp, "", later, nonce), sign(sp+":"+c.HuaweiCorp+"::"+exp+":"+nonce, c.HuaweiKey), 200},
		{"SP, signed as single", body(sp, c.HuaweiCorp, "", later, nonce), sign(sp+"::"+exp+":"+nonce, c.HuaweiKey), 401},
		{"SP, another corp", body(sp, "other-corp", "", later, nonce), sign(sp+":other-corp::"+exp+":"+nonce, c.HuaweiKey), 401},
		{"wrong App key", body(single, "", "", later, nonce), sign(single+"::"+exp+":"+nonce, "wrong-key"), 401},
		{"unknown App ID", body("nope", "", "", later, nonce), sign("nope::"+exp+":"+nonce, c.HuaweiKey), 401},
		{"short nonce", body(single, "", "", later, "short"), sign(single+"::"+exp+":short", c.HuaweiKey), 400},
		{"expired request", body(single, "", "", 1000, nonce), sign(single+"::1000:"+nonce, c.HuaweiKey), 401},
		{"never-expiring request", body(single, "", "", 0, nonce), sign(single+"::0:"+nonce, c.HuaweiKey), 200},
	} {
		resp, out := huaweiAppAuth(t, s, tc.body, tc.auth)
		if resp.StatusCode != tc.want {
			t.Errorf("%s: %d %v, want %d", tc.name, resp.StatusCode, out, tc.want)
		}
		if tc.want == 200 && (out["accessToken"] == "" || out["validPeriod"].(float64) < 12*3600 || out["expireTime"].(float64) < float64(time.Now().Unix())) {
			t.Errorf("%s: answer %v", tc.name, out)
		}
	}
}

func huaweiList(t *testing.T, s *Server, h http.Header, q url.Values) (*http.Response, map[string]any) {
	t.Helper()
	var a map[string]any
	resp := ibmHuaweiCall(t, "GET", s.BaseURL(fetch.Huawei)+"/v1/mmc/management/record/files?"+q.Encode(), h, nil, &a)
	return resp, a
}

func huaweiDates(offset, limit int) url.Values {
	return url.Values{"startDate": {"0"}, "endDate": {strconv.FormatInt(time.Now().Add(time.Hour).UnixMilli(), 10)},
		"offset": {strconv.Itoa(offset)}, "limit": {strconv.Itoa(limit)}, "queryAll": {"true"}}
}

// TestHuaweiListHasTheDocumentedShape compares a listed meeting's fields
// with the API reference's example and checks their values.
func TestHuaweiListHasTheDocumentedShape(t *testing.T) {
	s := ibmHuaweiSim(t, 5)
	raw, err := os.ReadFile("../huawei/testdata/record_files_list.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	_, got := huaweiList(t, s, huaweiToken(t, s), huaweiDates(0, 20))
	if k, w := slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(doc)); !slices.Equal(k, w) {
		t.Fatalf("answer fields %v, the example's %v", k, w)
	}
	docEntry := doc["data"].([]any)[0].(map[string]any)
	entry := got["data"].([]any)[0].(map[string]any)
	for key, dv := range docEntry {
		v, ok := entry[key]
		if !ok || fmt.Sprintf("%T", v) != fmt.Sprintf("%T", dv) {
			t.Errorf("%s: %v (%T), the example has %v (%T)", key, v, v, dv, dv)
		}
	}
	if len(entry) != len(docEntry) {
		t.Errorf("entry fields %v, the example's %v", slices.Sorted(maps.Keys(entry)), slices.Sorted(maps.Keys(docEntry)))
	}
	rec := s.Recordings(fetch.Huawei)[0]
	if entry["startTime"] != rec.Start.UTC().Format("2006-01-02 15:04") || entry["scheduserName"] != rec.Author ||
		entry["isDecodeFinish"] != true || entry["rcdTime"].(float64) != rec.Duration.Seconds() {
		t.Fatalf("entry %v, meeting %+v", entry, rec)
	}
}

func TestHuaweiQueryAll(t *testing.T) {
	s := ibmHuaweiSim(t, 40)
	h := huaweiToken(t, s)
	own := 0
	for _, r := range s.Recordings(fetch.Huawei) {
		if r.Author == huaweiAdminName {
			own++
		}
	}
	if own == 0 || own == 40 {
		t.Fatalf("the administrator scheduled %d of 40 meetings; the test needs some but not all", own)
	}
	q := huaweiDates(0, 100)
	if _, a := huaweiList(t, s, h, q); a["count"].(float64) != 40 {
		t.Fatalf("with queryAll: %v meetings", a["count"])
	}
	q.Del("queryAll")
	_, a := huaweiList(t, s, h, q)
	if a["count"].(float64) != float64(own) {
		t.Fatalf("without queryAll: %v meetings, the administrator scheduled %d", a["count"], own)
	}
	for _, e := range a["data"].([]any) {
		if e.(map[string]any)["scheduserName"] != huaweiAdminName {
			t.Fatalf("without queryAll, another's meeting: %v", e)
		}
	}
	// An ordinary user (an App ID sign-in with another user ID) sees only
	// their own meetings, queryAll or not, and may not download.
	c := s.Config().Credentials
	nonce, exp := strings.Repeat("cd", 20), time.Now().Add(time.Hour).Unix()
	resp, out := huaweiAppAuth(t, s, map[string]any{"appId": c.HuaweiSingleAppID, "clientType": 72, "expireTime": exp, "nonce": nonce, "userId": "teacher7"},
		"HMAC-SHA256 signature="+testHMAC(fmt.Sprintf("%s:teacher7:%d:%s", c.HuaweiSingleAppID, exp, nonce), c.HuaweiKey))
	if resp.StatusCode != 200 {
		t.Fatalf("ordinary user's sign-in: %d %v", resp.StatusCode, out)
	}
	user := http.Header{"X-Access-Token": {out["accessToken"].(string)}}
	if _, a := huaweiList(t, s, user, huaweiDates(0, 100)); a["count"].(float64) != 0 {
		t.Fatalf("an ordinary user listed %v meetings", a["count"])
	}
	var e map[string]any
	u := s.BaseURL(fetch.Huawei) + "/v1/mmc/management/record/downloadurls?confUUID=" + s.Recordings(fetch.Huawei)[0].ID
	if resp := ibmHuaweiCall(t, "GET", u, user, nil, &e); resp.StatusCode != 403 {
		t.Fatalf("an ordinary user's downloadurls: %d", resp.StatusCode)
	}
}

func TestHuaweiFilesPagingReadings(t *testing.T) {
	s := ibmHuaweiSim(t, 250)
	h := huaweiToken(t, s)
	recs := s.Recordings(fetch.Huawei)
	type page struct {
		Count int `json:"count"`
		Data  []struct {
			ConfUUID string `json:"confUUID"`
		} `json:"data"`
	}
	list := func(q url.Values) (*http.Response, page) {
		var a page
		resp := ibmHuaweiCall(t, "GET", s.BaseURL(fetch.Huawei)+"/v1/mmc/management/record/files?"+q.Encode(), h, nil, &a)
		return resp, a
	}
	if resp, _ := list(url.Values{"offset": {"0"}, "limit": {"10"}}); resp.StatusCode != 400 {
		t.Fatalf("without dates: %d", resp.StatusCode)
	}
	// Item offsets, limit up to 500.
	_, a := list(huaweiDates(1, 100))
	if a.Count != 250 || len(a.Data) != 100 || a.Data[0].ConfUUID != recs[1].ID {
		t.Fatalf("item offset 1: count %d, %d items", a.Count, len(a.Data))
	}
	if _, a := list(huaweiDates(0, 500)); len(a.Data) != 250 {
		t.Fatalf("limit 500: %d items", len(a.Data))
	}
	if resp, _ := list(huaweiDates(0, 501)); resp.StatusCode != 400 {
		t.Fatalf("limit 501: %d", resp.StatusCode)
	}
	// Page indexes, limit up to 100.
	s.Faults().Update(func(f *FaultSet) { f.HuaweiPageIndex = true })
	_, a = list(huaweiDates(1, 100))
	if len(a.Data) != 100 || a.Data[0].ConfUUID != recs[100].ID {
		t.Fatalf("page index 1: %d items", len(a.Data))
	}
	if _, a := list(huaweiDates(2, 100)); len(a.Data) != 50 {
		t.Fatalf("last page: %d items", len(a.Data))
	}
	if resp, _ := list(huaweiDates(0, 101)); resp.StatusCode != 400 {
		t.Fatalf("limit 101 with page indexes: %d", resp.StatusCode)
	}
	// The range filters.
	q := huaweiDates(0, 100)
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

func TestHuaweiDownloadURLsPages(t *testing.T) {
	s := ibmHuaweiSim(t, 3)
	h := huaweiToken(t, s)
	long := s.Recordings(fetch.Huawei)[2] // the all-day meeting: 8 parts
	if len(long.Files) != 24 {
		t.Fatalf("the all-day meeting has %d files, want 24", len(long.Files))
	}
	get := func(q string) (int, []string) {
		var a huaweiURLsAnswer
		resp := ibmHuaweiCall(t, "GET", s.BaseURL(fetch.Huawei)+"/v1/mmc/management/record/downloadurls?confUUID="+long.ID+q, h, nil, &a)
		var names []string
		for _, r := range a.RecordURLs {
			for _, u := range r.URLs {
				names = append(names, u.URL[strings.LastIndex(u.URL, "/video"):])
			}
		}
		return resp.StatusCode, names
	}
	if code, n := get(""); code != 200 || len(n) != 20 {
		t.Fatalf("default page: %d, %d files, want 20", code, len(n))
	}
	_, all := get("&limit=500")
	if len(all) != 24 || all[0] != "/videoAux/0_0.mp4" || all[23] != "/videoSD/0_7.mp4" {
		t.Fatalf("limit 500: %d files %v", len(all), all)
	}
	if _, rest := get("&offset=20&limit=500"); !slices.Equal(rest, all[20:]) {
		t.Fatalf("offset 20: %v", rest)
	}
	if code, _ := get("&limit=501"); code != 400 {
		t.Fatalf("limit 501: %d", code)
	}
}

func TestHuaweiTranscodingMeetings(t *testing.T) {
	s := ibmHuaweiSim(t, 3)
	s.Faults().Update(func(f *FaultSet) { f.HuaweiTranscoding = 1 })
	h := huaweiToken(t, s)
	_, a := huaweiList(t, s, h, huaweiDates(0, 20))
	data := a["data"].([]any)
	first, second := data[0].(map[string]any), data[1].(map[string]any)
	if first["isDecodeFinish"] != false || time.UnixMilli(int64(first["decodeEndTime"].(float64))).Before(time.Now()) {
		t.Fatalf("the newest meeting: %v", first)
	}
	if second["isDecodeFinish"] != true {
		t.Fatalf("an older meeting: %v", second)
	}
	var u huaweiURLsAnswer
	ibmHuaweiCall(t, "GET", s.BaseURL(fetch.Huawei)+"/v1/mmc/management/record/downloadurls?confUUID="+first["confUUID"].(string), h, nil, &u)
	if len(u.RecordURLs) != 1 || len(u.RecordURLs[0].URLs) != 0 {
		t.Fatalf("downloadurls of a meeting being transcoded: %+v", u)
	}
}

func TestHuaweiTokenRenewal(t *testing.T) {
	s := ibmHuaweiSim(t, 2)
	files := func(h http.Header) int {
		resp, _ := huaweiList(t, s, h, huaweiDates(0, 20))
		return resp.StatusCode
	}
	renew := func(h http.Header) (int, http.Header) {
		var out map[string]any
		resp := ibmHuaweiCall(t, "PUT", s.BaseURL(fetch.Huawei)+"/v1/usg/acs/token", h, nil, &out)
		tok, _ := out["accessToken"].(string)
		if resp.StatusCode == 200 && (tok == "" || out["validPeriod"].(float64) < 12*3600) {
			t.Fatalf("renewal answer %v", out)
		}
		return resp.StatusCode, http.Header{"X-Access-Token": {tok}}
	}
	old := huaweiToken(t, s)
	code, fresh := renew(old)
	if code != 200 || fresh.Get("X-Access-Token") == old.Get("X-Access-Token") {
		t.Fatalf("renewal: %d, new token %v", code, fresh.Get("X-Access-Token") != old.Get("X-Access-Token"))
	}
	if files(fresh) != 200 || files(old) != 401 {
		t.Fatalf("after renewal the new token answers %d, the old %d", files(fresh), files(old))
	}
	s.Faults().Update(func(f *FaultSet) { f.HuaweiRenewSameToken = true })
	if code, same := renew(fresh); code != 200 || same.Get("X-Access-Token") != fresh.Get("X-Access-Token") || files(same) != 200 {
		t.Fatalf("renewal of the same token: %d", code)
	}
	s.RevokeHuaweiTokens()
	if code, _ := renew(fresh); code != 401 {
		t.Fatalf("renewing a dead token: %d", code)
	}
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

// huaweiGolden reads a golden example answer of the connector's
// testdata as a JSON object.
func huaweiGolden(t *testing.T, name string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile("../huawei/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestHuaweiAnswersHaveTheDocumentedFields compares the simulator's
// sign-in and downloadurls answers with the documented examples: every
// field the example has at the top, with the same JSON type.
func TestHuaweiAnswersHaveTheDocumentedFields(t *testing.T) {
	s := ibmHuaweiSim(t, 2)
	c := s.Config().Credentials
	_, signIn := huaweiAccountSignIn(t, s, c.HuaweiAccount, c.HuaweiPwd)
	same := func(what string, got, doc map[string]any) {
		for key, dv := range doc {
			if dv == nil {
				continue // null in the example: its type is not shown
			}
			if v, ok := got[key]; !ok || fmt.Sprintf("%T", v) != fmt.Sprintf("%T", dv) {
				t.Errorf("%s: %s is %v (%T), the example has %v (%T)", what, key, v, v, dv, dv)
			}
		}
	}
	same("sign-in", signIn, huaweiGolden(t, "appauth_answer.json"))
	var urls map[string]any
	u := s.BaseURL(fetch.Huawei) + "/v1/mmc/management/record/downloadurls?confUUID=" + s.Recordings(fetch.Huawei)[1].ID
	ibmHuaweiCall(t, "GET", u, huaweiToken(t, s), nil, &urls)
	doc := huaweiGolden(t, "downloadurls_seed004.json")
	same("downloadurls", urls, doc)
	gotEntry := urls["recordUrls"].([]any)[0].(map[string]any)
	docEntry := doc["recordUrls"].([]any)[0].(map[string]any)
	same("downloadurls entry", gotEntry, docEntry)
	same("downloadurls file", gotEntry["urls"].([]any)[0].(map[string]any), docEntry["urls"].([]any)[0].(map[string]any))
}

// TestHuaweiThrottledAsTheGatewayDocuments: a throttled Huawei call is
// answered as Huawei Cloud's API gateway documents it, 429 with error
// APIG.0308 and the exceeded policy, and without a Retry-After, which no
// page documents, unless a test asks for a wait.
func TestHuaweiThrottledAsTheGatewayDocuments(t *testing.T) {
	s := ibmHuaweiSim(t, 3)
	h := huaweiToken(t, s)
	for _, ra := range []time.Duration{0, 2 * time.Second} {
		s.Faults().Set(FaultSet{RateLimited: 1, RetryAfter: ra})
		resp, a := huaweiList(t, s, h, huaweiDates(0, 20))
		if resp.StatusCode != http.StatusTooManyRequests || a["error_code"] != "APIG.0308" ||
			!strings.HasPrefix(a["error_msg"].(string), "The throttling threshold has been reached: policy user over ratelimit,limit:") {
			t.Fatalf("throttled: %d %v", resp.StatusCode, a)
		}
		if got, want := resp.Header.Get("Retry-After"), map[time.Duration]string{0: "", 2 * time.Second: "2"}[ra]; got != want {
			t.Fatalf("RetryAfter %v: Retry-After %q, want %q", ra, got, want)
		}
		if resp.Header.Get("Server") != "api-gateway" || len(resp.Header.Get("X-Request-Id")) != 32 {
			t.Fatalf("headers: %v", resp.Header)
		}
		if resp, _ := huaweiList(t, s, h, huaweiDates(0, 20)); resp.StatusCode != http.StatusOK {
			t.Fatalf("the next call: %d", resp.StatusCode)
		}
	}
}

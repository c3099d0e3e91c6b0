package sim

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"cloudreel/fetch"
)

// Huawei Cloud Meeting, as platforms.md and seed 004 describe it: account
// or App ID sign-in, a meeting list that insists on a date range in
// milliseconds, and downloadurls that hands out one-time tokens per file
// (several files per type when a long meeting was split).

func init() {
	platformRoutes[fetch.Huawei] = func(s *Server) { s.routeHuawei() }
}

// huaweiTokenLife is the validPeriod of an access token (12–24 h).
const huaweiTokenLife = 12 * time.Hour

// huaweiLinkLife is how long a download token lives (seed 004: one hour,
// and it dies after one use).
const huaweiLinkLife = time.Hour

// The largest limit of the meeting list in each reading of its paging.
const (
	huaweiMaxLimitItems = 500
	huaweiMaxLimitPages = 100
)

type huaweiState struct {
	mu       sync.Mutex
	tokens   map[string]time.Time // access token → expiry
	notAdmin bool                 // downloadurls answers 403
	// meetings is built once and only read afterwards.
	meetings map[string]*Recording // confUUID → meeting
}

func (s *Server) huawei() *huaweiState {
	return platformState(s, "huawei", func() *huaweiState {
		st := &huaweiState{tokens: map[string]time.Time{}, meetings: map[string]*Recording{}}
		for _, r := range s.Recordings(fetch.Huawei) {
			st.meetings[r.ID] = r
		}
		return st
	})
}

func (s *Server) routeHuawei() {
	s.huawei()
	p := fetch.Huawei
	s.handle(p, "POST /v1/usg/acs/auth/account", s.huaweiAccountAuth)
	s.handle(p, "POST /v2/usg/acs/auth/appauth", s.huaweiAppAuth)
	s.handle(p, "GET /v1/mmc/management/record/files", s.huaweiAuthed(s.huaweiFiles))
	s.handle(p, "GET /v1/mmc/management/record/downloadurls", s.huaweiAuthed(s.huaweiDownloadURLs))
	// The file server is not the API gateway: no API faults, media ones.
	s.mux.HandleFunc(prefix(p)+"/download/video/resource/{conf}/{dir}/{name}", s.huaweiMedia)
}

// huaweiError answers in the shape Huawei's gateway most likely uses
// (platforms.md marks it uncertain): {"error_code","error_msg"}.
func huaweiError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error_code": code, "error_msg": msg})
}

// SetHuaweiAdmin says whether the simulated Huawei account is an
// enterprise administrator with downloading enabled. With false,
// downloadurls answers 403, as Huawei does for everybody else.
func (s *Server) SetHuaweiAdmin(admin bool) {
	st := s.huawei()
	st.mu.Lock()
	st.notAdmin = !admin
	st.mu.Unlock()
}

// RevokeHuaweiTokens makes every Huawei access token handed out so far
// invalid, as an expiry or a sign-in elsewhere would.
func (s *Server) RevokeHuaweiTokens() {
	st := s.huawei()
	st.mu.Lock()
	clear(st.tokens)
	st.mu.Unlock()
}

// huaweiAccountAuth signs in with an account: Basic account:password in
// the header, {"account","clientType":72} in the body.
func (s *Server) huaweiAccountAuth(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Account    string `json:"account"`
		ClientType int    `json:"clientType"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.ClientType != 72 {
		huaweiError(w, http.StatusBadRequest, "USG.000000001", "Invalid parameters.")
		return
	}
	account, password, ok := huaweiBasic(r.Header.Get("Authorization"))
	c := s.cfg.Credentials
	if !ok || account != c.HuaweiAccount || password != c.HuaweiPwd || body.Account != account {
		huaweiError(w, http.StatusUnauthorized, "USG.000000003", "The account or password is incorrect.")
		return
	}
	s.huaweiIssueToken(w, account)
}

// huaweiBasic decodes "Basic base64(account:password)".
func huaweiBasic(h string) (account, password string, ok bool) {
	scheme, enc, _ := strings.Cut(h, " ")
	if !strings.EqualFold(scheme, "basic") {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(enc))
	if err != nil {
		return "", "", false
	}
	return strings.Cut(string(raw), ":")
}

// huaweiAppAuth signs in with an App ID: the header carries
// HMAC-SHA256(appId:userId:expireTime:nonce, appKey) in hex.
func (s *Server) huaweiAppAuth(w http.ResponseWriter, r *http.Request) {
	var body struct {
		AppID      string `json:"appId"`
		ClientType int    `json:"clientType"`
		CorpID     string `json:"corpId"`
		ExpireTime int64  `json:"expireTime"`
		Nonce      string `json:"nonce"`
		UserID     string `json:"userId"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.ClientType != 72 || body.AppID == "" {
		huaweiError(w, http.StatusBadRequest, "USG.000000001", "Invalid parameters.")
		return
	}
	if n := len(body.Nonce); n < 32 || n > 64 {
		huaweiError(w, http.StatusBadRequest, "USG.000000001", "The nonce must be 32 to 64 characters long.")
		return
	}
	if body.ExpireTime != 0 && time.Unix(body.ExpireTime, 0).Before(time.Now()) {
		huaweiError(w, http.StatusUnauthorized, "USG.000000003", "The authentication request has expired.")
		return
	}
	c := s.cfg.Credentials
	sig, ok := strings.CutPrefix(r.Header.Get("Authorization"), "HMAC-SHA256 signature=")
	want := huaweiSignature(c.HuaweiAppID, body.UserID, body.ExpireTime, body.Nonce, c.HuaweiKey)
	if !ok || body.AppID != c.HuaweiAppID || body.UserID != c.HuaweiUserID ||
		(body.CorpID != "" && body.CorpID != c.HuaweiCorp) || !hmac.Equal([]byte(sig), []byte(want)) {
		huaweiError(w, http.StatusUnauthorized, "USG.000000003", "The App ID authentication failed.")
		return
	}
	s.huaweiIssueToken(w, body.UserID)
}

// huaweiSignature is the App ID sign-in signature:
// hex(HMAC-SHA256(appId:userId:expireTime:nonce, appKey)).
func huaweiSignature(appID, userID string, expireTime int64, nonce, appKey string) string {
	m := hmac.New(sha256.New, []byte(appKey))
	fmt.Fprintf(m, "%s:%s:%d:%s", appID, userID, expireTime, nonce)
	return hex.EncodeToString(m.Sum(nil))
}

func (s *Server) huaweiIssueToken(w http.ResponseWriter, user string) {
	tok := opaqueToken()
	now := time.Now()
	st := s.huawei()
	st.mu.Lock()
	st.tokens[tok] = now.Add(huaweiTokenLife)
	st.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"accessToken": tok,
		"tokenIp":     "127.0.0.1",
		"validPeriod": int(huaweiTokenLife / time.Second),
		"createTime":  now.UnixMilli(),
		"tokenType":   0,
		"user": map[string]any{
			"userId": user, "corpId": s.cfg.Credentials.HuaweiCorp, "name": user, "status": 0,
		},
	})
}

// huaweiAuthed refuses calls without a live X-Access-Token.
func (s *Server) huaweiAuthed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		st := s.huawei()
		st.mu.Lock()
		exp, ok := st.tokens[r.Header.Get("X-Access-Token")]
		st.mu.Unlock()
		if !ok || time.Now().After(exp) {
			huaweiError(w, http.StatusUnauthorized, "USG.000000004", "The token is invalid or has expired.")
			return
		}
		h(w, r)
	}
}

// huaweiFiles lists the meetings with recordings that started in
// [startDate, endDate] (milliseconds, both mandatory), newest first. The
// paging follows whichever reading the HuaweiPageIndex fault selects.
func (s *Server) huaweiFiles(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var from, to int64
	offset, limit := 0, 20
	for key, dst := range map[string]*int64{"startDate": &from, "endDate": &to} {
		n, err := strconv.ParseInt(q.Get(key), 10, 64)
		if err != nil {
			huaweiError(w, http.StatusBadRequest, "MMC.111070001", key+" is mandatory and must be a time in milliseconds.")
			return
		}
		*dst = n
	}
	for key, dst := range map[string]*int{"offset": &offset, "limit": &limit} {
		if v := q.Get(key); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				huaweiError(w, http.StatusBadRequest, "MMC.111070001", key+" must be a number that is not negative.")
				return
			}
			*dst = n
		}
	}
	pageIndex := s.faults.Get().HuaweiPageIndex
	maxLimit := huaweiMaxLimitItems
	if pageIndex {
		maxLimit = huaweiMaxLimitPages
	}
	if limit < 1 || limit > maxLimit {
		huaweiError(w, http.StatusBadRequest, "MMC.111070001", fmt.Sprintf("limit must be between 1 and %d.", maxLimit))
		return
	}
	var match []*Recording
	for _, rec := range s.Recordings(fetch.Huawei) {
		if ms := rec.Start.UnixMilli(); ms >= from && ms <= to {
			match = append(match, rec)
		}
	}
	first := offset
	if pageIndex {
		first = offset * limit
	}
	first = min(first, len(match))
	data := make([]map[string]any, 0, limit)
	for _, rec := range match[first:min(first+limit, len(match))] {
		data = append(data, huaweiMeetingJSON(rec))
	}
	writeJSON(w, http.StatusOK, map[string]any{"count": len(match), "limit": limit, "offset": offset, "data": data})
}

func huaweiMeetingJSON(rec *Recording) map[string]any {
	var bytes int64
	for _, f := range rec.Files {
		bytes += f.Size
	}
	return map[string]any{
		"confUUID":      rec.ID,
		"confID":        huaweiConfID(rec.ID),
		"subject":       rec.Title,
		"scheduserName": rec.Author,
		"startTime":     rec.Start.UnixMilli(),
		"rcdTime":       int(rec.Duration / time.Second),
		"rcdSize":       (bytes + 1<<20 - 1) >> 20, // whole MB, rounded up
	}
}

// huaweiConfID is the 9-digit meeting number people dial, derived from
// the confUUID so that it is stable.
func huaweiConfID(confUUID string) string {
	n, _ := strconv.ParseUint(confUUID[:8], 16, 64)
	return strconv.FormatUint(100000000+n%900000000, 10)
}

// huaweiFileDir is the folder of a file type in download URLs (seed 004).
var huaweiFileDir = map[string]string{"Hd": "videoHD", "Sd": "videoSD", "Aux": "videoAux"}

// huaweiFileName is the name of a file in download URLs: 0_<part>, with
// parts counted from 0 (seed 004: 0_0.mp4, 0_1.mp4).
func huaweiFileName(f *File) string {
	return fmt.Sprintf("0_%d.%s", max(f.Part-1, 0), f.Ext)
}

// huaweiDownloadURLs hands out a fresh one-time token for every file of a
// meeting, in seed 004's shape and order (per part: Aux, Hd, Sd).
func (s *Server) huaweiDownloadURLs(w http.ResponseWriter, r *http.Request) {
	st := s.huawei()
	st.mu.Lock()
	notAdmin := st.notAdmin
	st.mu.Unlock()
	if notAdmin {
		huaweiError(w, http.StatusForbidden, "MMC.111071003", "Insufficient permissions.")
		return
	}
	conf := r.URL.Query().Get("confUUID")
	if conf == "" {
		huaweiError(w, http.StatusBadRequest, "MMC.111070001", "confUUID is mandatory.")
		return
	}
	rec, ok := st.meetings[conf]
	if !ok {
		huaweiError(w, http.StatusNotFound, "MMC.111070005", "The meeting recording does not exist.")
		return
	}
	order := map[string]int{"Aux": 0, "Hd": 1, "Sd": 2}
	files := append([]*File(nil), rec.Files...)
	slices.SortStableFunc(files, func(a, b *File) int {
		if a.Part != b.Part {
			return cmp.Compare(a.Part, b.Part)
		}
		return cmp.Compare(order[a.Kind], order[b.Kind])
	})
	base := requestOrigin(r, s.URL()) + prefix(fetch.Huawei) + "/download/video/resource/" + conf + "/"
	urls := make([]map[string]any, 0, len(files))
	for _, f := range files {
		urls = append(urls, map[string]any{
			"token":    s.issueLink(f.ID, huaweiLinkLife, true),
			"fileType": f.Kind,
			"url":      base + huaweiFileDir[f.Kind] + "/" + huaweiFileName(f),
		})
	}
	writeJSON(w, http.StatusOK, map[string]any{"recordUrls": []map[string]any{{"confUuid": conf, "urls": urls}}})
}

// huaweiMedia serves a recording file to a request whose Authorization
// header is the file's token, bare. A GET spends the token; a HEAD spends
// it only when the HeadSpendsToken fault is on.
func (s *Server) huaweiMedia(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "Method Not Allowed", http.StatusMethodNotAllowed)
		return
	}
	rec, ok := s.huawei().meetings[r.PathValue("conf")]
	var f *File
	if ok {
		for _, c := range rec.Files {
			if huaweiFileDir[c.Kind] == r.PathValue("dir") && huaweiFileName(c) == r.PathValue("name") {
				f = c
			}
		}
	}
	if f == nil {
		http.NotFound(w, r)
		return
	}
	spend := r.Method == http.MethodGet || s.faults.Get().HeadSpendsToken
	if err := s.useLink(r.Header.Get("Authorization"), f.ID, spend); err != nil {
		code := http.StatusForbidden
		if errors.Is(err, errLinkExpired) || errors.Is(err, errLinkSpent) {
			code = http.StatusGone
		}
		huaweiError(w, code, "MMC.111072001", "The download token is invalid, expired or already used.")
		return
	}
	s.serveFile(w, r, f, r.PathValue("name"))
}

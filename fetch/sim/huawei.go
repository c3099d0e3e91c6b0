package sim

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"cloudreel/fetch"
)

// Huawei Cloud Meeting, as its API reference (SearchRecordings,
// ShowRecordingFileDownloadUrls, App ID authentication, UpdateToken), the
// official SDKs and seed 004 describe it: account or App ID sign-in (a
// single-enterprise App ID and an SP App ID), tokens that can be renewed,
// a meeting list that insists on a date range in milliseconds and shows an
// administrator only their own meetings unless queryAll=true is sent, and
// downloadurls that hands out one-time tokens per file, a page at a time.
// This file plays the sign-in; huawei_records.go the recordings.

func init() {
	platformRoutes[fetch.Huawei] = func(s *Server) { s.routeHuawei() }
}

// huaweiTokenLife is the validPeriod of an access token (12–24 h).
const huaweiTokenLife = 12 * time.Hour

// huaweiAdminName is the name (scheduserName) of the enterprise
// administrator the simulated account and App IDs sign in as: without
// queryAll=true the list shows only the meetings this person scheduled.
var huaweiAdminName = authors[0]

// huaweiSession is who an access token belongs to.
type huaweiSession struct {
	expires time.Time
	admin   bool   // an enterprise administrator: queryAll and downloadurls work
	name    string // the user's name: their own meetings are the ones they scheduled
}

type huaweiState struct {
	mu       sync.Mutex
	tokens   map[string]huaweiSession // access token → session
	notAdmin bool                     // downloadurls answers 403 to everybody
	// meetings is built once and only read afterwards.
	meetings map[string]*Recording // confUUID → meeting
}

func (s *Server) huawei() *huaweiState {
	return platformState(s, "huawei", func() *huaweiState {
		st := &huaweiState{tokens: map[string]huaweiSession{}, meetings: map[string]*Recording{}}
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
	s.handle(p, "PUT /v1/usg/acs/token", s.huaweiAuthed(s.huaweiRenew))
	s.handle(p, "GET /v1/mmc/management/record/files", s.huaweiAuthed(s.huaweiFiles))
	s.handle(p, "GET /v1/mmc/management/record/downloadurls", s.huaweiAuthed(s.huaweiDownloadURLs))
	// ShowRecordInfo, the files' sizes and SHA-256s: huawei_info.go.
	s.handle(p, "POST /v1/mmc/rlm/record/info", s.huaweiAuthed(s.huaweiRecordInfo))
	// The delete route (huawei_delete.go).
	s.routeHuaweiDelete()
	// The file server is not the API gateway: no API faults, media ones.
	s.mux.HandleFunc(prefix(p)+"/download/video/resource/{conf}/{dir}/{name}", s.huaweiMedia)
}

// huaweiError answers in Huawei Cloud's common error shape,
// {"error_code","error_msg"}, which the official SDKs read; the meeting
// pages name the codes (MMC…, USG…) but show no error body.
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
// the header, {"account","clientType":72} in the body. The account is the
// enterprise administrator.
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
	s.huaweiIssueToken(w, huaweiSession{admin: true, name: huaweiAdminName})
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

// huaweiAppAuth signs in with an App ID (CreateAppIdToken). The header is
// "HMAC-SHA256 signature=<hex>" (a private deployment's page adds
// ",access=base64(appId)"; it is accepted and not required). A
// single-enterprise App ID signs appId:userId:expireTime:nonce and must not
// send corpId; an SP App ID signs appId:corpId:userId:expireTime:nonce.
// An empty userId signs in as the enterprise's default administrator; any
// other user ID is registered on first sign-in as an ordinary user, as
// Huawei does.
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
	// expireTime 0 means the signed request never expires.
	if body.ExpireTime != 0 && time.Unix(body.ExpireTime, 0).Before(time.Now()) {
		huaweiError(w, http.StatusUnauthorized, "USG.000000003", "The authentication request has expired.")
		return
	}
	c := s.cfg.Credentials
	fail := func() {
		huaweiError(w, http.StatusUnauthorized, "USG.000000003", "The App ID authentication failed.")
	}
	var signed string
	switch body.AppID {
	case c.HuaweiSingleAppID:
		if body.CorpID != "" { // "do not set it in single-enterprise mode; otherwise the authentication fails"
			fail()
			return
		}
		signed = fmt.Sprintf("%s:%s:%d:%s", body.AppID, body.UserID, body.ExpireTime, body.Nonce)
	case c.HuaweiAppID:
		if body.CorpID != "" && body.CorpID != c.HuaweiCorp {
			fail()
			return
		}
		signed = fmt.Sprintf("%s:%s:%s:%d:%s", body.AppID, body.CorpID, body.UserID, body.ExpireTime, body.Nonce)
	default:
		fail()
		return
	}
	sig, ok := huaweiSignatureParam(r.Header.Get("Authorization"))
	want := huaweiHMAC(signed, c.HuaweiKey)
	if !ok || !hmac.Equal([]byte(strings.ToLower(sig)), []byte(want)) {
		fail()
		return
	}
	sess := huaweiSession{admin: true, name: huaweiAdminName}
	switch {
	case body.AppID == c.HuaweiAppID && body.CorpID == "":
		// An SP App ID without a corp ID is the SP's own administrator,
		// who manages enterprises, not their meetings.
		sess = huaweiSession{name: "SP administrator"}
	case body.UserID != "" && body.UserID != c.HuaweiUserID:
		sess = huaweiSession{name: body.UserID}
	}
	s.huaweiIssueToken(w, sess)
}

// huaweiSignatureParam finds signature=<hex> in an
// "HMAC-SHA256 signature=…[,access=…]" header.
func huaweiSignatureParam(h string) (string, bool) {
	params, ok := strings.CutPrefix(h, "HMAC-SHA256 ")
	if !ok {
		return "", false
	}
	for _, p := range strings.Split(params, ",") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(p), "signature="); ok {
			return v, true
		}
	}
	return "", false
}

// huaweiHMAC is hex(HMAC-SHA256(signed, appKey)) in lower case.
func huaweiHMAC(signed, appKey string) string {
	m := hmac.New(sha256.New, []byte(appKey))
	m.Write([]byte(signed))
	return hex.EncodeToString(m.Sum(nil))
}

// huaweiIssueToken hands out a new access token for sess in the shape of
// the documented sign-in answer.
func (s *Server) huaweiIssueToken(w http.ResponseWriter, sess huaweiSession) {
	tok := opaqueToken()
	now := time.Now()
	sess.expires = now.Add(huaweiTokenLife)
	st := s.huawei()
	st.mu.Lock()
	st.tokens[tok] = sess
	st.mu.Unlock()
	s.huaweiTokenAnswer(w, tok, sess, now)
}

func (s *Server) huaweiTokenAnswer(w http.ResponseWriter, tok string, sess huaweiSession, now time.Time) {
	// adminType as the App ID page's example shows it for its user (2);
	// the values' meaning is not documented.
	adminType := 1
	if sess.admin {
		adminType = 2
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"accessToken":        tok,
		"tokenIp":            "127.0.0.1",
		"validPeriod":        int64(sess.expires.Sub(now) / time.Second),
		"expireTime":         sess.expires.Unix(),
		"createTime":         now.UnixMilli(),
		"clientType":         72,
		"tokenType":          0,
		"firstLogin":         false,
		"pwdExpired":         false,
		"daysPwdAvailable":   90,
		"refreshToken":       opaqueToken(),
		"refreshValidPeriod": 2592000,
		"refreshExpireTime":  now.Add(30 * 24 * time.Hour).Unix(),
		"refreshCreateTime":  now.UnixMilli(),
		"user": map[string]any{
			"userId": sess.name, "companyId": s.cfg.Credentials.HuaweiCorp, "name": sess.name, "status": 0,
			"adminType": adminType,
		},
	})
}

// huaweiRenew is UpdateToken, PUT /v1/usg/acs/token with the live token in
// X-Access-Token and no body. The API reference's login example says a new
// token comes back; the old one is then dropped. With the
// HuaweiRenewSameToken fault, the same token comes back with a new expiry
// (the page's own words: it "updates the validity period of a token").
func (s *Server) huaweiRenew(w http.ResponseWriter, r *http.Request, sess huaweiSession) {
	old := r.Header.Get("X-Access-Token")
	now := time.Now()
	sess.expires = now.Add(huaweiTokenLife)
	tok := old
	st := s.huawei()
	st.mu.Lock()
	if !s.faults.Get().HuaweiRenewSameToken {
		delete(st.tokens, old)
		tok = opaqueToken()
	}
	st.tokens[tok] = sess
	st.mu.Unlock()
	s.huaweiTokenAnswer(w, tok, sess, now)
}

// huaweiAuthed refuses calls without a live X-Access-Token and hands the
// token's session to h.
func (s *Server) huaweiAuthed(h func(http.ResponseWriter, *http.Request, huaweiSession)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		st := s.huawei()
		st.mu.Lock()
		sess, ok := st.tokens[r.Header.Get("X-Access-Token")]
		st.mu.Unlock()
		if !ok || time.Now().After(sess.expires) {
			huaweiError(w, http.StatusUnauthorized, "USG.000000004", "The token is invalid or has expired.")
			return
		}
		h(w, r, sess)
	}
}

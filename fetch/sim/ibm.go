package sim

import (
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"cloudreel/fetch"
)

// IBM Video Streaming, as platforms.md and seed 002 describe it: OAuth2
// client credentials, the user's video list paged with an absolute
// paging.next, and MP4 files that must be generated (POST) and polled
// (GET) before they can be downloaded.

func init() {
	platformRoutes[fetch.IBMVideo] = func(s *Server) { s.routeIBM() }
}

// ibmTokenLife is how long an IBM access token lives (expires_in 86400).
const ibmTokenLife = 24 * time.Hour

// ibmLinkLife is how long a generated MP4 stays downloadable (seed 002:
// "You have 24 hours to download the video file").
const ibmLinkLife = 24 * time.Hour

// ibmMaxPageSize is the largest pagesize IBM honours.
const ibmMaxPageSize = 50

type ibmState struct {
	mu     sync.Mutex
	tokens map[string]time.Time        // access token → expiry
	dl     map[string]*ibmDownloadable // video id → its downloadable MP4
	// videos and files are built once and only read afterwards.
	videos map[string]*Recording // video id → recording
	files  map[string]*File      // video id → its one file
}

// ibmDownloadable is the generation state of one video's MP4.
type ibmDownloadable struct {
	pollsLeft int       // GETs that still answer "pending"
	link      string    // the link token once available
	expires   time.Time // when the link (and the generated file) expire
}

func (s *Server) ibm() *ibmState {
	return platformState(s, "ibm", func() *ibmState {
		st := &ibmState{tokens: map[string]time.Time{}, dl: map[string]*ibmDownloadable{},
			videos: map[string]*Recording{}, files: map[string]*File{}}
		for _, r := range s.Recordings(fetch.IBMVideo) {
			st.videos[r.ID] = r
			st.files[r.ID] = r.Files[0]
		}
		return st
	})
}

func (s *Server) routeIBM() {
	s.ibm() // build the lookup tables before the first request
	p := fetch.IBMVideo
	s.handle(p, "POST /oauth2/token", s.ibmToken)
	s.handle(p, "GET /users/self/videos.json", s.ibmAuthed(s.ibmVideos))
	s.handle(p, "POST /videos/{id}/downloadable/{format}", s.ibmAuthed(s.ibmDownloadable))
	s.handle(p, "GET /videos/{id}/downloadable/{format}", s.ibmAuthed(s.ibmDownloadable))
	s.routeIBMDelete() // ibm_delete.go
	// The media route is not an API call: it is not counted as one and
	// the API faults (429, 503) do not apply; serveFile applies the media
	// faults instead.
	s.mux.HandleFunc(prefix(p)+"/downloads/{name}", s.ibmMedia)
}

// ibmToken is the OAuth2 token endpoint as IBM's "Authentication" page
// documents the client credentials flow: form parameters grant_type and
// client_id (both required), the client secret by HTTP Basic, and its
// error table: 400 invalid_client for a missing client or a wrong
// secret, 400 invalid_request for a missing parameter, 501
// unsupported_grant_type for any other grant.
func (s *Server) ibmToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		ibmTokenError(w, http.StatusBadRequest, "invalid_request", "The request body could not be read.")
		return
	}
	switch gt := r.PostForm.Get("grant_type"); gt {
	case "client_credentials":
	case "":
		ibmTokenError(w, http.StatusBadRequest, "invalid_request", "grant_type is missing.")
		return
	case "authorization_code", "refresh_token":
		// Supported by IBM, but the simulated client has no code or
		// refresh token to give.
		ibmTokenError(w, http.StatusBadRequest, "invalid_grant", "The supplied authorization grant does not exist or expired.")
		return
	default:
		ibmTokenError(w, http.StatusNotImplemented, "unsupported_grant_type", "Only authorization_code, client_credentials and refresh_token are supported.")
		return
	}
	formID := r.PostForm.Get("client_id")
	if formID == "" {
		ibmTokenError(w, http.StatusBadRequest, "invalid_request", "client_id is missing.")
		return
	}
	id, secret, ok := r.BasicAuth()
	if ok {
		// RFC 6749 2.3.1: the Basic credentials are form-encoded first.
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	}
	creds := s.cfg.Credentials
	if !ok || formID != creds.IBMClientID || id != formID || secret != creds.IBMSecret {
		ibmTokenError(w, http.StatusBadRequest, "invalid_client", "The client is missing, the secret is wrong or the clients do not match.")
		return
	}
	tok := ibmToken40()
	st := s.ibm()
	st.mu.Lock()
	st.tokens[tok] = time.Now().Add(ibmTokenLife)
	st.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token":  tok,
		"refresh_token": ibmToken40(),
		"token_type":    "bearer",
		"expires_in":    int(ibmTokenLife / time.Second),
	})
}

// ibmToken40 is a token as IBM documents its tokens: 40 hex characters
// (a hex-encoded SHA-1).
func ibmToken40() string {
	var b [20]byte
	_, _ = crand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func ibmTokenError(w http.ResponseWriter, code int, errCode, desc string) {
	writeJSON(w, code, map[string]any{"error": errCode, "error_description": desc})
}

// ibmAuthed refuses calls without a live bearer token.
func (s *Server) ibmAuthed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		st := s.ibm()
		st.mu.Lock()
		exp, ok := st.tokens[tok]
		st.mu.Unlock()
		if !strings.EqualFold(scheme, "bearer") || !ok || time.Now().After(exp) {
			writeJSON(w, http.StatusUnauthorized, map[string]any{"error": "invalid_token", "error_description": "The provided access token is missing, revoked, expired or malformed."})
			return
		}
		h(w, r)
	}
}

// RevokeIBMTokens makes every IBM access token handed out so far invalid,
// as an expiry or a revocation on the platform would.
func (s *Server) RevokeIBMTokens() {
	st := s.ibm()
	st.mu.Lock()
	clear(st.tokens)
	st.mu.Unlock()
}

// ibmVideos lists the user's videos, newest first, filtered by
// filter[fromdate]/filter[todate] (unix seconds, inclusive), in pages.
func (s *Server) ibmVideos(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, size := 1, ibmMaxPageSize
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeJSON(w, http.StatusBadRequest, map[string]any{"error": "invalid_request", "error_description": "page must be a positive number."})
			return
		}
		page = n
	}
	if v := q.Get("pagesize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeJSON(w, http.StatusBadRequest, map[string]any{"error": "invalid_request", "error_description": "pagesize must be a positive number."})
			return
		}
		size = min(n, ibmMaxPageSize)
	}
	from, to := int64(0), int64(1<<62)
	for key, dst := range map[string]*int64{"filter[fromdate]": &from, "filter[todate]": &to} {
		if v := q.Get(key); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				writeJSON(w, http.StatusBadRequest, map[string]any{"error": "invalid_request", "error_description": key + " must be a unix timestamp."})
				return
			}
			*dst = n
		}
	}
	var match []*Recording
	for _, rec := range s.Recordings(fetch.IBMVideo) {
		if t := rec.Start.Unix(); t >= from && t <= to {
			match = append(match, rec)
		}
	}
	start := min((page-1)*size, len(match))
	end := min(start+size, len(match))
	videos := make([]map[string]any, 0, end-start)
	for _, rec := range match[start:end] {
		videos = append(videos, ibmVideoJSON(rec))
	}
	paging := map[string]any{"actual": s.ibmPageURL(r, page, size)}
	if end < len(match) {
		paging["next"] = s.ibmPageURL(r, page+1, size)
	}
	writeJSON(w, http.StatusOK, map[string]any{"videos": videos, "paging": paging})
}

// ibmPageURL is the absolute URL of another page of the same list.
func (s *Server) ibmPageURL(r *http.Request, page, size int) string {
	q := r.URL.Query()
	q.Set("page", strconv.Itoa(page))
	q.Set("pagesize", strconv.Itoa(size))
	u := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
	return requestOrigin(r, s.URL()) + u.String()
}

// ibmVideoJSON renders a recording as IBM's video object: numbers that
// are strings (length, file_size) included.
func ibmVideoJSON(rec *Recording) map[string]any {
	return map[string]any{
		"id":          rec.ID,
		"title":       rec.Title,
		"description": "Recorded in " + rec.Room + " by " + rec.Author + ".",
		"length":      strconv.FormatFloat(rec.Duration.Seconds(), 'f', 3, 64),
		"created_at":  rec.Start.Unix(),
		"added_at":    rec.Start.Add(rec.Duration).Unix(),
		"file_size":   strconv.FormatInt(rec.Files[0].Size, 10),
		"protect":     "private",
		"status":      "recorded",
		"url":         "https://video.ibm.com/recorded/" + rec.ID,
	}
}

// ibmDownloadable answers POST (ask for generation) and GET (poll) on
// /videos/{id}/downloadable/mp4.json in the shape seed 002 shows.
func (s *Server) ibmDownloadable(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	st := s.ibm()
	if _, ok := st.videos[id]; !ok || s.FateOf(fetch.IBMVideo, id) != Kept || r.PathValue("format") != "mp4.json" { // deleted: ibm_delete.go
		writeJSON(w, http.StatusNotFound, map[string]any{"error": "not_found", "error_description": "Video was not found."})
		return
	}
	st.mu.Lock()
	d := st.dl[id]
	if d != nil && d.link != "" && time.Now().After(d.expires) {
		// The generated file is gone after expires_at: it has to be
		// asked for again.
		delete(st.dl, id)
		d = nil
	}
	switch {
	case d == nil && r.Method == http.MethodGet:
		st.mu.Unlock()
		s.writeIBMDownloadable(w, "unavailable", "", time.Time{})
		return
	case d == nil: // POST: generation starts
		d = &ibmDownloadable{pollsLeft: s.faults.Get().IBMPendingPolls}
		st.dl[id] = d
	case r.Method == http.MethodGet && d.link == "" && d.pollsLeft > 0:
		d.pollsLeft--
		st.mu.Unlock()
		s.writeIBMDownloadable(w, "pending", "", time.Time{})
		return
	}
	if d.link == "" && d.pollsLeft > 0 {
		// Just requested, or requested again while generating: polls
		// (GETs) are what move it on.
		st.mu.Unlock()
		s.writeIBMDownloadable(w, "pending", "", time.Time{})
		return
	}
	if d.link == "" {
		ttl := ibmLinkLife
		if o := s.faults.Get().LinkTTL; o != 0 {
			ttl = o
		}
		d.link = s.issueLink(st.files[id].ID, ttl, false)
		d.expires = time.Now().Add(ttl)
	}
	link, expires := d.link, d.expires
	st.mu.Unlock()
	u := requestOrigin(r, s.URL()) + prefix(fetch.IBMVideo) + "/downloads/" + id + ".mp4?" + url.Values{"token": {link}, "expires": {strconv.FormatInt(expires.Unix(), 10)}}.Encode()
	s.writeIBMDownloadable(w, "available", u, expires)
}

func (s *Server) writeIBMDownloadable(w http.ResponseWriter, status, u string, expires time.Time) {
	d := map[string]any{"status": status, "download_url": nil, "expires_at": nil}
	if u != "" {
		d["download_url"] = u
		d["expires_at"] = expires.Unix()
	}
	writeJSON(w, http.StatusOK, map[string]any{"downloadable": d})
}

// ibmMedia serves a generated MP4 to whoever holds its link, as a CDN's
// signed URL does: no bearer token, the link is the authorization.
func (s *Server) ibmMedia(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "Method Not Allowed", http.StatusMethodNotAllowed)
		return
	}
	id, ok := strings.CutSuffix(r.PathValue("name"), ".mp4")
	st := s.ibm()
	f := st.files[id]
	if !ok || f == nil {
		http.NotFound(w, r)
		return
	}
	if err := s.useLink(r.URL.Query().Get("token"), f.ID, r.Method == http.MethodGet); err != nil {
		code := http.StatusForbidden
		if errors.Is(err, errLinkExpired) {
			code = http.StatusGone
		}
		http.Error(w, "Access denied: "+err.Error(), code)
		return
	}
	s.serveFile(w, r, f, id+".mp4")
}

// requestOrigin is the scheme and host a request came to, so that
// absolute links point back at the simulator however it was reached;
// fallback serves requests without a Host.
func requestOrigin(r *http.Request, fallback string) string {
	if r.Host == "" {
		return fallback
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// opaqueToken is a fresh random token of 64 hex characters.
func opaqueToken() string {
	var b [32]byte
	_, _ = crand.Read(b[:])
	return hex.EncodeToString(b[:])
}

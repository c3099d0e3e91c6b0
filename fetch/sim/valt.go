package sim

import (
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"cloudreel/fetch"
)

// Valt (IPIVS) REST API v3, as platforms.md and seed 000 describe it:
// sign-in with a user name and password for a 32-hex access token passed
// as ?access_token=, records listed by POST with an optional JSON filter,
// record details with their video ids, and a per-video download answer
// whose URL carries a 30-minute token and a server-suggested filename=.

func init() {
	platformRoutes[fetch.Valt] = func(s *Server) {
		s.handle(fetch.Valt, "POST /api/v3/login", s.valtLogin)
		s.handle(fetch.Valt, "POST /api/v3/records", s.valtAuthed(s.valtRecords))
		s.handle(fetch.Valt, "GET /api/v3/records/{id}", s.valtAuthed(s.valtRecordDetails))
		s.handle(fetch.Valt, "GET /api/v3/records/download/{rec}/{video}", s.valtAuthed(s.valtDownload))
		s.valtUploadRoutes() // create-upload and the upload of a video (valt_upload.go)
		// The media server: on a real Valt it is the same host on port
		// 8000; API faults (429, 503) do not apply, media faults do.
		s.mux.HandleFunc("GET "+prefix(fetch.Valt)+"/distribution/{rec}/{name}", s.valtMedia)
	}
}

// valtSessionTTL is how long a Valt sign-in lasts. Valt documents no
// lifetime and no refresh; ExpireValtSessions plays the expiry in tests.
const valtSessionTTL = 8 * time.Hour

// valtLinkTTL is the life of a download URL's token (seed 000's JWT
// lives 30 minutes).
const valtLinkTTL = 30 * time.Minute

type valtState struct {
	mu       sync.Mutex
	sessions map[string]time.Time // access token → expiry
}

func (s *Server) valt() *valtState {
	return platformState(s, "valt", func() *valtState {
		return &valtState{sessions: map[string]time.Time{}}
	})
}

// ExpireValtSessions ends every Valt sign-in, so that the next API call
// answers 401 "Bad credentials." as a server restart or a timeout would.
func (s *Server) ExpireValtSessions() {
	st := s.valt()
	st.mu.Lock()
	clear(st.sessions)
	st.mu.Unlock()
}

// valtError is Valt's error envelope: {"error":{"code","message"}}.
func valtError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]any{"error": map[string]any{"code": code, "message": msg}})
}

// valtNotFound is Valt's 404 body, word for word from seed 000.
func valtNotFound(w http.ResponseWriter) {
	writeJSON(w, http.StatusNotFound, map[string]any{
		"type":   "https://tools.ietf.org/html/rfc2616#section-10",
		"title":  "An error occurred",
		"status": 404,
		"detail": "Not Found",
	})
}

func (s *Server) valtLogin(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	creds := s.cfg.Credentials
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&in); err != nil ||
		in.Username != creds.ValtUser || in.Password != creds.ValtPassword {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"data": "Invalid username or password"})
		return
	}
	var b [16]byte
	_, _ = crand.Read(b[:])
	tok := hex.EncodeToString(b[:])
	st := s.valt()
	st.mu.Lock()
	// Each sign-in cancels the user's earlier token, as a real Valt does
	// (issue 12): a client that signs in twice at once is left holding a
	// token that no longer works.
	clear(st.sessions)
	st.sessions[tok] = time.Now().Add(valtSessionTTL)
	st.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"access_token": tok}})
}

// valtAuthed checks ?access_token= before h runs.
func (s *Server) valtAuthed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok := r.URL.Query().Get("access_token")
		if tok == "" {
			valtError(w, http.StatusUnauthorized, "No API key provided")
			return
		}
		st := s.valt()
		st.mu.Lock()
		exp, ok := st.sessions[tok]
		st.mu.Unlock()
		if !ok || time.Now().After(exp) {
			valtError(w, http.StatusUnauthorized, "Bad credentials.")
			return
		}
		h(w, r)
	}
}

// valtDateLayout is Valt's MM-DD-YYYY.
const valtDateLayout = "01-02-2006"

func (s *Server) valtRecords(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Search    string `json:"search"`
		StartDate string `json:"start_date"`
		EndDate   string `json:"end_date"`
		Offset    int    `json:"offset"`
		Limit     int    `json:"limit"`
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		valtError(w, http.StatusBadRequest, "Could not read the request body.")
		return
	}
	// No body at all means "every record".
	if len(strings.TrimSpace(string(body))) > 0 {
		if err := json.Unmarshal(body, &in); err != nil {
			valtError(w, http.StatusBadRequest, "Invalid JSON body.")
			return
		}
	}
	if in.Offset < 0 || in.Limit < 0 {
		valtError(w, http.StatusBadRequest, "offset and limit must not be negative.")
		return
	}
	var from, to time.Time // zero: open-ended
	for _, d := range []struct {
		v   string
		out *time.Time
	}{{in.StartDate, &from}, {in.EndDate, &to}} {
		if d.v == "" {
			continue
		}
		t, err := time.ParseInLocation(valtDateLayout, d.v, time.UTC)
		if err != nil {
			valtError(w, http.StatusBadRequest, "Invalid date format, expected MM-DD-YYYY.")
			return
		}
		*d.out = t
	}
	var match []map[string]any
	for _, rec := range s.Recordings(fetch.Valt) {
		if !from.IsZero() && rec.Start.Before(from) {
			continue
		}
		// end_date is a whole day, inclusive.
		if !to.IsZero() && !rec.Start.Before(to.AddDate(0, 0, 1)) {
			continue
		}
		if in.Search != "" && !strings.Contains(strings.ToLower(rec.Title), strings.ToLower(in.Search)) {
			continue
		}
		out := valtRecordJSON(rec)
		if s.faults.Get().ValtCameras {
			// The VALT 5 list names each record's cameras too.
			out["cameras"] = s.valtCamerasJSON(rec)
		}
		match = append(match, out)
	}
	total := len(match)
	page := match[min(in.Offset, total):]
	if in.Limit > 0 {
		page = page[:min(in.Limit, len(page))]
	}
	if page == nil {
		page = []map[string]any{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"records": page, "total": total}})
}

// valtRecordJSON renders a recording as Valt's records list does.
func valtRecordJSON(rec *Recording) map[string]any {
	return map[string]any{
		"id":       rec.ID,
		"name":     rec.Title,
		"created":  rec.Start.Unix(),
		"author":   map[string]any{"id": slices.Index(authors, rec.Author) + 1, "name": rec.Author},
		"duration": int(rec.Duration / time.Second),
		"room":     map[string]any{"id": slices.Index(rooms, rec.Room) + 1, "name": rec.Room},
	}
}

func (s *Server) valtRecord(id string) (int, *Recording) {
	for i, rec := range s.Recordings(fetch.Valt) {
		if rec.ID == id {
			return i, rec
		}
	}
	return -1, nil
}

func (s *Server) valtRecordDetails(w http.ResponseWriter, r *http.Request) {
	_, rec := s.valtRecord(r.PathValue("id"))
	if rec == nil {
		valtNotFound(w)
		return
	}
	out := valtRecordJSON(rec)
	faults := s.faults.Get()
	if faults.ValtCameras {
		out["cameras"] = s.valtCamerasJSON(rec)
		writeJSON(w, http.StatusOK, map[string]any{"data": out})
		return
	}
	videos := []any{}
	for i, f := range s.valtVideos(rec) {
		if faults.ValtVideoObjects {
			videos = append(videos, map[string]any{"id": f.ID, "name": fmt.Sprintf("Camera %d", i+1)})
		} else {
			videos = append(videos, f.ID)
		}
	}
	out["videos"] = videos
	writeJSON(w, http.StatusOK, map[string]any{"data": out})
}

// valtVideos are the videos a record's details name: none for the newest
// ValtRecordsWithoutVideo records.
func (s *Server) valtVideos(rec *Recording) []*File {
	if i, _ := s.valtRecord(rec.ID); i < s.faults.Get().ValtRecordsWithoutVideo {
		return nil
	}
	return rec.Files
}

// valtCameraID is the VALT 5 camera id of a record's i-th video: a small
// number, as Valt's camera ids are (the cameras list shows "id": 52).
func valtCameraID(i int) string { return strconv.Itoa(51 + i) }

// valtCamerasJSON is the VALT 5 "cameras" object, {cameraId: name}. With
// no camera it is [], as PHP encodes an empty map; the connector reads
// both.
func (s *Server) valtCamerasJSON(rec *Recording) any {
	videos := s.valtVideos(rec)
	if len(videos) == 0 {
		return []any{}
	}
	cams := map[string]any{}
	for i := range videos {
		cams[valtCameraID(i)] = fmt.Sprintf("%s camera %d", rec.Room, i+1)
	}
	return cams
}

func (s *Server) valtDownload(w http.ResponseWriter, r *http.Request) {
	i, rec := s.valtRecord(r.PathValue("rec"))
	if rec == nil {
		valtNotFound(w)
		return
	}
	// The video is named by its id (VALT 6) or, as the VALT 5 records
	// name their cameras, by its camera id.
	var f *File
	for n, x := range s.valtVideos(rec) {
		if v := r.PathValue("video"); x.ID == v || v == valtCameraID(n) {
			f = x
		}
	}
	if f == nil {
		valtNotFound(w)
		return
	}
	// Valt names the file after the room, the host and the time, with
	// spaces as '+' and that form-encoded again (seed 000:
	// filename=Just%2Ba%2Broom%2B%2B...). Every tenth record, from the
	// second on, suggests a name that climbs out of the download folder,
	// so that the queue's path safety is tested against a server.
	name := rec.Room + "  " + valtHost(r.Host) + " " + rec.Start.Format("01-02-2006 03-04-PM") + ".mp4"
	if i%10 == 1 {
		name = "../../" + name
	}
	q := url.Values{}
	q.Set("filename", strings.ReplaceAll(name, " ", "+"))
	q.Set("access_token", s.issueLink(f.ID, valtLinkTTL, false))
	u := s.valtBase(r) + "/distribution/" + url.PathEscape(rec.ID) + "/" + url.PathEscape(f.ID) + ".mp4?" + q.Encode()
	if s.faults.Get().ValtURLUnderData {
		writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"url": u}})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"url": u})
}

// valtMedia serves a video through a download URL's token.
func (s *Server) valtMedia(w http.ResponseWriter, r *http.Request) {
	_, rec := s.valtRecord(r.PathValue("rec"))
	id, ok := strings.CutSuffix(r.PathValue("name"), ".mp4")
	var f *File
	if rec != nil && ok {
		for _, x := range rec.Files {
			if x.ID == id {
				f = x
			}
		}
	}
	if f == nil {
		valtNotFound(w)
		return
	}
	if err := s.useLink(r.URL.Query().Get("access_token"), f.ID, false); err != nil {
		msg := "Invalid token."
		if errors.Is(err, errLinkExpired) {
			msg = "Expired token."
		}
		valtError(w, http.StatusUnauthorized, msg)
		return
	}
	s.serveFile(w, r, f, f.ID+"."+f.Ext)
}

// valtBase is the Valt prefix on the simulator's URL, or on the request's
// host when the simulator was not told its URL.
func (s *Server) valtBase(r *http.Request) string {
	if u := s.URL(); u != "" {
		return u + prefix(fetch.Valt)
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + prefix(fetch.Valt)
}

// valtHost drops the port from a Host header.
func valtHost(hostport string) string {
	if i := strings.LastIndexByte(hostport, ':'); i > 0 && !strings.HasSuffix(hostport, "]") {
		return hostport[:i]
	}
	return hostport
}

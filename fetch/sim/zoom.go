package sim

import (
	crand "crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"cloudreel/fetch"
)

// Zoom Video SDK REST API, as platforms.md, seed 003 and Zoom's Video SDK
// API reference describe it: no token endpoint (the app signs an HS256 JWT
// with its API secret), the recordings list limited to a one-month range
// and paged with an opaque next_page_token that lives 15 minutes (an
// expired one answers 400, code 300), sessions that carry each
// participant's own video and audio (participant_video_files,
// participant_audio_files) beside their recording_files, and download_url
// links that take the JWT as ?access_token=.

func init() {
	platformRoutes[fetch.ZoomSDK] = func(s *Server) {
		s.addZoomParticipants()
		s.handle(fetch.ZoomSDK, "GET /videosdk/recordings", s.zoomAuthed(s.zoomRecordings))
		s.routeZoomDelete() // zoom_delete.go
		// Download links live on Zoom's web host (zoom.us/rec/download),
		// not under the API prefix: API faults do not apply, media faults do.
		s.mux.HandleFunc("GET /zoom/rec/download/{id}", s.zoomMedia)
	}
}

const (
	zoomPageTokenTTL   = 15 * time.Minute // seed 003: "The expiration period for this token is 15 minutes."
	zoomDefaultPage    = 30
	zoomMaxPage        = 300
	zoomMaxJWTLifetime = time.Hour // platforms.md: exp ≤ 1 h advised; the simulator holds apps to it
	zoomClockSkew      = time.Minute
)

// zoomForbidden is the 59-byte body Zoom sends, with status 200, for a
// download whose token is expired or invalid.
const zoomForbidden = `{"status":false,"errorCode":124,"errorMessage":"Forbidden"}`

type zoomPage struct {
	from, to time.Time // days, inclusive
	offset   int
	size     int
	expires  time.Time
}

type zoomState struct {
	mu    sync.Mutex
	pages map[string]*zoomPage // next_page_token → where the walk continues
	// people names whose own video or audio each participant file is,
	// by file id; Zoom alone records participants separately. It is
	// filled while the simulator is built and only read afterwards.
	people map[string]zoomPerson
	// userName makes participant files carry user_name (platforms.md's
	// reading) besides file_name, user_id and user_key (the reference's).
	userName bool
}

// zoomPerson is a participant of a simulated session.
type zoomPerson struct {
	Name    string // as the app's user typed it
	UserID  string // Zoom's id of the user in that session
	UserKey string // the app's user_identity from the Video SDK JWT
}

func (s *Server) zoom() *zoomState {
	return platformState(s, "zoom", func() *zoomState {
		return &zoomState{pages: map[string]*zoomPage{}, people: map[string]zoomPerson{}}
	})
}

// zoomPeople are the participants sessions are recorded with, with the
// accents and scripts that names have.
var zoomPeople = []string{"Ana López", "Kwame Mensah", "Zoë Dubois", "李娜", "Siobhán O'Neill"}

// Kinds of the simulated per-participant files; each is listed in its
// own array, never in recording_files.
const (
	zoomParticipantVideo  = "individual_user"
	zoomParticipantScreen = "individual_shared_screen"
	zoomParticipantAudio  = "participant_audio"
)

// addZoomParticipants gives every other session (the second, fourth, …)
// one to three participants, each with their own video and audio, as an
// account with "Record a separate audio file of each participant" (and
// Zoom's ISO video) on has them; the first participant of some sessions
// also shared a screen. The newest session has none, so a test that takes
// it gets the session's files alone.
func (s *Server) addZoomParticipants() {
	st := s.zoom()
	for i, rec := range s.data[fetch.ZoomSDK] {
		if i%2 == 0 {
			continue
		}
		rng := rand.New(rand.NewPCG(s.cfg.Seed, uint64(i)+1000))
		size := func() int64 { return s.cfg.MinSize + rng.Int64N(s.cfg.MaxSize-s.cfg.MinSize+1) }
		n := 1 + (i/2)%3
		var video, audio []*File
		for k := range n {
			person := zoomPeople[(i+k)%len(zoomPeople)]
			p := zoomPerson{Name: person, UserID: fmt.Sprintf("%08x", rng.Uint32()), UserKey: fmt.Sprintf("user-%d", 100+(i+k)%len(zoomPeople))}
			add := func(list *[]*File, kind, ext string) {
				f := &File{ID: fileID(rec.ID, kind+"/"+person, 0), RecordingID: rec.ID, Platform: fetch.ZoomSDK, Kind: kind, Ext: ext, Size: size()}
				st.people[f.ID] = p
				*list = append(*list, f)
			}
			add(&video, zoomParticipantVideo, "mp4")
			if k == 0 && i%4 == 3 {
				add(&video, zoomParticipantScreen, "mp4")
			}
			add(&audio, zoomParticipantAudio, "m4a")
		}
		rec.Files = append(append(rec.Files, video...), audio...)
	}
}

// ZoomParticipant says whose own file a Zoom file is, and whether it is
// one of a participant's (a video, their shared screen, their audio).
func (s *Server) ZoomParticipant(fileID string) (name string, ok bool) {
	p, ok := s.zoom().people[fileID]
	return p.Name, ok
}

// PlayZoomUserName makes participant files carry user_name, the field
// platforms.md lists, besides the file_name, user_id and user_key of
// Zoom's reference (which shows no user_name). Off: the reference's.
func (s *Server) PlayZoomUserName(on bool) {
	st := s.zoom()
	st.mu.Lock()
	st.userName = on
	st.mu.Unlock()
}

// ExpireZoomPageTokens makes every next_page_token handed out so far
// expired, as if the client had paused for more than 15 minutes.
func (s *Server) ExpireZoomPageTokens() {
	st := s.zoom()
	st.mu.Lock()
	for _, p := range st.pages {
		p.expires = time.Time{}
	}
	st.mu.Unlock()
}

// zoomError is Zoom's error body: {"code":<int>,"message":"..."}.
func zoomError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, map[string]any{"code": code, "message": msg})
}

// zoomCheckJWT verifies an app's JWT: HS256 with the API secret, iss the
// API key, not expired, and not meant to live longer than an hour.
func (s *Server) zoomCheckJWT(tok string) error {
	creds := s.cfg.Credentials
	var claims jwt.RegisteredClaims
	_, err := jwt.ParseWithClaims(tok, &claims, func(*jwt.Token) (any, error) {
		return []byte(creds.ZoomSecret), nil
	}, jwt.WithValidMethods([]string{"HS256"}), jwt.WithIssuer(creds.ZoomKey),
		jwt.WithExpirationRequired(), jwt.WithLeeway(zoomClockSkew))
	if err != nil {
		return err
	}
	if claims.ExpiresAt.After(time.Now().Add(zoomMaxJWTLifetime + zoomClockSkew)) {
		return errors.New("token lives longer than an hour")
	}
	return nil
}

// zoomAuthed checks the Authorization: Bearer JWT before h runs.
func (s *Server) zoomAuthed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || s.zoomCheckJWT(strings.TrimSpace(tok)) != nil {
			zoomError(w, http.StatusUnauthorized, 124, "Invalid access token.")
			return
		}
		h(w, r)
	}
}

// zoomAddMonth is the last day a range starting on from may reach: the
// same day a month later, or the next month's last day when it has no
// such day (January 31 → February 28).
func zoomAddMonth(from time.Time) time.Time {
	y, m, d := from.Date()
	last := time.Date(y, m+2, 0, 0, 0, 0, 0, time.UTC).Day()
	return time.Date(y, m+1, min(d, last), 0, 0, 0, 0, time.UTC)
}

func (s *Server) zoomRecordings(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	st := s.zoom()
	var page zoomPage
	if tok := q.Get("next_page_token"); tok != "" {
		st.mu.Lock()
		p, ok := st.pages[tok]
		if ok {
			page = *p
		}
		st.mu.Unlock()
		if !ok || time.Now().After(page.expires) {
			zoomError(w, http.StatusBadRequest, 300, "The next page token is invalid or expired.")
			return
		}
	} else {
		today := s.cfg.Now.Truncate(24 * time.Hour)
		page.from, page.to = today, today.AddDate(0, 0, 1) // seed 003: without from/to, today to tomorrow
		for _, d := range []struct {
			name string
			out  *time.Time
		}{{"from", &page.from}, {"to", &page.to}} {
			if v := q.Get(d.name); v != "" {
				t, err := time.ParseInLocation(time.DateOnly, v, time.UTC)
				if err != nil {
					zoomError(w, http.StatusBadRequest, 300, fmt.Sprintf("Invalid field: %s must be yyyy-mm-dd.", d.name))
					return
				}
				*d.out = t
			}
		}
		if page.to.Before(page.from) {
			zoomError(w, http.StatusBadRequest, 300, "The \"to\" date is before the \"from\" date.")
			return
		}
		if page.to.After(zoomAddMonth(page.from)) {
			zoomError(w, http.StatusBadRequest, 300, "The date range can be at most one month.")
			return
		}
		page.size = zoomDefaultPage
		if v := q.Get("page_size"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				zoomError(w, http.StatusBadRequest, 300, "Invalid field: page_size.")
				return
			}
			page.size = n
		}
		limit := s.faults.Get().ZoomMaxPageSize
		if limit <= 0 {
			limit = zoomMaxPage
		}
		page.size = min(page.size, limit) // a larger page_size is cut down silently
	}

	var match []*Recording
	for _, rec := range s.Recordings(fetch.ZoomSDK) {
		if !rec.Start.Before(page.from) && rec.Start.Before(page.to.AddDate(0, 0, 1)) {
			match = append(match, rec)
		}
	}
	end := min(page.offset+page.size, len(match))
	sessions := []zoomSessionDoc{}
	for _, rec := range match[min(page.offset, len(match)):end] {
		sessions = append(sessions, s.zoomSessionJSON(r, rec))
	}
	next := ""
	if end < len(match) {
		var b [27]byte
		_, _ = crand.Read(b[:])
		next = base64.RawURLEncoding.EncodeToString(b[:])
		np := page
		np.offset = end
		np.expires = time.Now().Add(zoomPageTokenTTL)
		st.mu.Lock()
		for k, p := range st.pages { // forget dead tokens as we go
			if time.Now().After(p.expires) {
				delete(st.pages, k)
			}
		}
		st.pages[next] = &np
		st.mu.Unlock()
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"from":            page.from.Format(time.DateOnly),
		"to":              page.to.Format(time.DateOnly),
		"page_size":       page.size,
		"total_records":   len(match),
		"next_page_token": next,
		"sessions":        sessions,
	})
}

// zoomFileType is Zoom's file_type for a simulated file.
func zoomFileType(f *File) string {
	switch f.Ext {
	case "vtt":
		return "TRANSCRIPT"
	}
	return strings.ToUpper(f.Ext)
}

// zoomSessionDoc is one of the reference's sessions as JSON. Structs,
// not maps: a listing of 10,000 sessions is encoded by the benchmarks,
// and maps (sorted keys, boxed values) cost twice as much.
type zoomSessionDoc struct {
	SessionID      string        `json:"session_id"`
	SessionName    string        `json:"session_name"`
	StartTime      string        `json:"start_time"`
	Duration       int           `json:"duration"`
	TotalSize      int64         `json:"total_size"`
	RecordingCount int           `json:"recording_count"`
	RecordingFiles []zoomFileDoc `json:"recording_files"`
	// The arrays come only when the account records participants
	// separately, as the reference says.
	ParticipantVideoFiles []zoomFileDoc `json:"participant_video_files,omitempty"`
	ParticipantAudioFiles []zoomFileDoc `json:"participant_audio_files,omitempty"`
}

// zoomFileDoc is a file of a session: the session's own (with
// session_id and recording_type) or a participant's (with file_name,
// file_extension, user_id, user_key and, for video, recording_type).
type zoomFileDoc struct {
	ID             string `json:"id"`
	SessionID      string `json:"session_id,omitempty"`
	RecordingStart string `json:"recording_start"`
	RecordingEnd   string `json:"recording_end"`
	FileName       string `json:"file_name,omitempty"`
	FileType       string `json:"file_type"`
	FileExtension  string `json:"file_extension,omitempty"`
	FileSize       int64  `json:"file_size"`
	DownloadURL    string `json:"download_url"`
	Status         string `json:"status"`
	RecordingType  string `json:"recording_type,omitempty"`
	UserID         string `json:"user_id,omitempty"`
	UserKey        string `json:"user_key,omitempty"`
	UserName       string `json:"user_name,omitempty"`
}

// zoomSessionJSON renders a recording as one of the reference's
// sessions: its own files in recording_files (seed 003), each
// participant's in participant_video_files and participant_audio_files.
func (s *Server) zoomSessionJSON(r *http.Request, rec *Recording) zoomSessionDoc {
	st := s.zoom()
	st.mu.Lock()
	userName := st.userName
	st.mu.Unlock()
	web := s.zoomWebBase(r)
	start, end := rec.Start.Format(time.RFC3339), rec.Start.Add(rec.Duration).Format(time.RFC3339)
	out := zoomSessionDoc{
		SessionID:      rec.ID,
		SessionName:    rec.Title,
		StartTime:      start,
		Duration:       int(rec.Duration / time.Minute),
		RecordingFiles: []zoomFileDoc{},
	}
	for _, f := range rec.Files {
		out.TotalSize += f.Size
		m := zoomFileDoc{
			ID:             f.ID,
			RecordingStart: start,
			RecordingEnd:   end,
			FileType:       zoomFileType(f),
			FileSize:       f.Size,
			DownloadURL:    web + "/rec/download/" + url.PathEscape(f.ID),
			Status:         "completed",
		}
		p, participant := st.people[f.ID]
		if !participant {
			m.SessionID = rec.ID
			m.RecordingType = f.Kind
			out.RecordingFiles = append(out.RecordingFiles, m)
			continue
		}
		// The reference shows file_name, file_extension, user_id and
		// user_key on these; Zoom names such files after the person
		// ("Audio only - Elisa L" in its meeting API).
		m.FileExtension = strings.ToUpper(f.Ext)
		m.UserID, m.UserKey = p.UserID, p.UserKey
		if userName {
			m.UserName = p.Name
		}
		if f.Kind == zoomParticipantAudio {
			m.FileName = "Audio only - " + p.Name
			out.ParticipantAudioFiles = append(out.ParticipantAudioFiles, m)
			continue
		}
		m.FileName = p.Name
		m.RecordingType = f.Kind
		out.ParticipantVideoFiles = append(out.ParticipantVideoFiles, m)
	}
	out.RecordingCount = len(out.RecordingFiles)
	return out
}

// zoomMedia serves a recording file to a download_url that carries the
// app's JWT as ?access_token=.
func (s *Server) zoomMedia(w http.ResponseWriter, r *http.Request) {
	f, ok := s.File(r.PathValue("id"))
	if !ok || f.Platform != fetch.ZoomSDK {
		zoomError(w, http.StatusNotFound, 3301, "This recording does not exist.")
		return
	}
	tok := r.URL.Query().Get("access_token")
	if tok == "" {
		zoomError(w, http.StatusUnauthorized, 124, "Invalid access token.")
		return
	}
	if s.zoomCheckJWT(tok) != nil {
		// What Zoom does in some cases, and what fooled a popular
		// downloader 880 times: a JSON error with status 200.
		s.count(r.Method + " media")
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(zoomForbidden)))
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			_, _ = io.WriteString(w, zoomForbidden)
		}
		return
	}
	s.serveFile(w, r, f, f.ID+"."+f.Ext)
}

// zoomWebBase is where download links point: the simulator's /zoom, or
// the request's host when the simulator was not told its URL.
func (s *Server) zoomWebBase(r *http.Request) string {
	if u := s.URL(); u != "" {
		return u + "/zoom"
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/zoom"
}

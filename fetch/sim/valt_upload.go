package sim

import (
	crand "crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"

	"cloudreel/fetch"
)

// Valt's "API Upload Recording" (the wiki page, docs/platforms.md):
// POST /api/v3/records/create-upload with {"name", "template", "share"}
// answers {"id", "videos"}; the file then goes to
// /api/v3/records/{recordID}/videos/{videoID}, in the one reading
// FaultSet.ValtUploadReading names (the page leaves the method and the
// encoding open). What arrives is kept as its size and SHA-256, so that a
// test of a large file does not hold it in memory.

// ValtUploadRecord is a record created through create-upload, as the
// simulated Valt keeps it.
type ValtUploadRecord struct {
	ID       string
	Name     string
	Template map[string]string
	Users    []string
	Groups   []string
	Videos   []ValtUploadedVideo
}

// Empty reports whether no video of the record has received a file.
func (r ValtUploadRecord) Empty() bool {
	for _, v := range r.Videos {
		if v.Uploads > 0 {
			return false
		}
	}
	return true
}

// ValtUploadedVideo is one video of an upload record and the last file
// sent to it whole.
type ValtUploadedVideo struct {
	ID          string
	Uploads     int    // how many files were received whole
	Size        int64  // bytes of the last one
	SHA256      string // hex SHA-256 of its bytes
	Filename    string // the form's filename, "" for the bare bytes
	ContentType string // the file's type as sent
	Reading     string // the reading it came in
}

type valtUploads struct {
	records []*ValtUploadRecord
}

// valtUploadRoutes adds the two calls of "API Upload Recording". The
// upload is mounted for POST and PUT, and answers 405 to the method the
// server does not take.
func (s *Server) valtUploadRoutes() {
	s.handle(fetch.Valt, "POST /api/v3/records/create-upload", s.valtAuthed(s.valtCreateUpload))
	s.handle(fetch.Valt, "POST /api/v3/records/{rec}/videos/{video}", s.valtAuthed(s.valtUploadVideo))
	s.handle(fetch.Valt, "PUT /api/v3/records/{rec}/videos/{video}", s.valtAuthed(s.valtUploadVideo))
}

func (s *Server) valtUploadState() *valtUploads {
	return platformState(s, "valt-uploads", func() *valtUploads { return &valtUploads{} })
}

// ValtUploadRecords returns copies of the records created through
// create-upload, oldest first.
func (s *Server) ValtUploadRecords() []ValtUploadRecord {
	st := s.valtUploadState()
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]ValtUploadRecord, 0, len(st.records))
	for _, r := range st.records {
		c := *r
		c.Videos = slices.Clone(r.Videos)
		out = append(out, c)
	}
	return out
}

func (s *Server) valtCreateUpload(w http.ResponseWriter, r *http.Request) {
	if s.faults.take(func(f *FaultSet) *int { return &f.ValtCreateUploadErrors }) {
		valtError(w, http.StatusInternalServerError, "Internal Server Error")
		return
	}
	var in struct {
		Name     string            `json:"name"`
		Template map[string]string `json:"template"`
		Share    struct {
			Users  []fetch.IDString `json:"users"`
			Groups []fetch.IDString `json:"groups"`
		} `json:"share"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&in); err != nil {
		valtError(w, http.StatusBadRequest, "Invalid JSON body.")
		return
	}
	if strings.TrimSpace(in.Name) == "" {
		// The page marks name as the one required field.
		valtError(w, http.StatusBadRequest, "name is required.")
		return
	}
	rec := &ValtUploadRecord{ID: uuid(), Name: in.Name, Template: in.Template,
		Videos: []ValtUploadedVideo{{ID: uuid()}}}
	for _, u := range in.Share.Users {
		rec.Users = append(rec.Users, string(u))
	}
	for _, g := range in.Share.Groups {
		rec.Groups = append(rec.Groups, string(g))
	}
	st := s.valtUploadState()
	s.mu.Lock()
	st.records = append(st.records, rec)
	s.mu.Unlock()
	ans := map[string]any{"id": rec.ID, "videos": []string{rec.Videos[0].ID}}
	if s.faults.Get().ValtUploadUnderData {
		writeJSON(w, http.StatusOK, map[string]any{"data": ans})
		return
	}
	writeJSON(w, http.StatusOK, ans)
}

// errUploadCut ends the body of an upload that the cut fault breaks off.
var errUploadCut = errors.New("simulated cut")

// cutBody gives n bytes of a request body, then errUploadCut.
type cutBody struct {
	r io.Reader
	n int64
}

func (c *cutBody) Read(p []byte) (int, error) {
	if c.n <= 0 {
		return 0, errUploadCut
	}
	if int64(len(p)) > c.n {
		p = p[:c.n]
	}
	n, err := c.r.Read(p)
	c.n -= int64(n)
	return n, err
}

func (s *Server) valtUploadVideo(w http.ResponseWriter, r *http.Request) {
	reading := s.faults.Get().ValtUploadReading
	if reading == "" {
		reading = "multipart-post"
	}
	wantMethod := http.MethodPost
	if strings.HasSuffix(reading, "-put") {
		wantMethod = http.MethodPut
	}
	// Look up the record and the video before anything is read.
	st := s.valtUploadState()
	s.mu.Lock()
	var rec *ValtUploadRecord
	for _, x := range st.records {
		if x.ID == r.PathValue("rec") {
			rec = x
		}
	}
	video := -1
	if rec != nil {
		video = slices.IndexFunc(rec.Videos, func(v ValtUploadedVideo) bool { return v.ID == r.PathValue("video") })
	}
	s.mu.Unlock()
	if video < 0 {
		valtNotFound(w)
		return
	}
	if r.Method != wantMethod {
		w.Header().Set("Allow", wantMethod)
		valtError(w, http.StatusMethodNotAllowed, "Method Not Allowed")
		return
	}
	var body io.Reader = r.Body
	if s.faults.take(func(f *FaultSet) *int { return &f.ValtUploadCuts }) {
		body = &cutBody{r: r.Body, n: max(r.ContentLength/2, 1)}
	}
	mediaType, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	got := ValtUploadedVideo{ID: rec.Videos[video].ID, Reading: reading}
	var err error
	if strings.HasPrefix(reading, "multipart-") {
		if mediaType != "multipart/form-data" {
			// What a PHP server says when $_FILES has no file.
			valtError(w, http.StatusBadRequest, "No file was uploaded.")
			return
		}
		err = readUploadForm(body, params["boundary"], &got)
	} else {
		if !strings.HasPrefix(mediaType, "video/") && !strings.HasPrefix(mediaType, "audio/") {
			valtError(w, http.StatusUnsupportedMediaType, "Unsupported Media Type")
			return
		}
		got.ContentType = mediaType
		got.Size, got.SHA256, err = digest(body)
	}
	switch {
	case errors.Is(err, errUploadCut):
		// The connection is dropped, as a network fault would; nothing
		// of the partial file is kept.
		panic(http.ErrAbortHandler)
	case errors.Is(err, errNoFilePart):
		valtError(w, http.StatusBadRequest, "No file was uploaded.")
		return
	case err != nil:
		valtError(w, http.StatusBadRequest, "The upload could not be read.")
		return
	}
	s.mu.Lock()
	got.Uploads = rec.Videos[video].Uploads + 1
	rec.Videos[video] = got
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{})
}

// errNoFilePart says a form carried no part named "file".
var errNoFilePart = errors.New("no file part")

// readUploadForm streams a multipart form, keeping the size and digest of
// its "file" part.
func readUploadForm(body io.Reader, boundary string, got *ValtUploadedVideo) error {
	if boundary == "" {
		return errNoFilePart
	}
	mr := multipart.NewReader(body, boundary)
	found := false
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if part.FormName() != "file" || found {
			if _, err := io.Copy(io.Discard, part); err != nil {
				return err
			}
			continue
		}
		found = true
		got.Filename = part.FileName()
		got.ContentType = part.Header.Get("Content-Type")
		if got.Size, got.SHA256, err = digest(part); err != nil {
			return err
		}
	}
	if !found {
		return errNoFilePart
	}
	return nil
}

// digest reads r to its end and returns its length and hex SHA-256.
func digest(r io.Reader) (int64, string, error) {
	h := sha256.New()
	n, err := io.Copy(h, r)
	return n, hex.EncodeToString(h.Sum(nil)), err
}

// uuid is a random id shaped like Valt's record and video ids.
func uuid() string {
	var b [16]byte
	_, _ = crand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return fmt.Sprintf("%s-%s-%s-%s-%s", h[:8], h[8:12], h[12:16], h[16:20], h[20:])
}

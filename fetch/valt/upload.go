package valt

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"path/filepath"
	"strings"
	"sync"

	"fyne.io/fyne/v2/lang"

	"cloudreel/fetch"
)

// Sending a video to Valt, as the wiki's "API Upload Recording" page
// describes it (docs/platforms.md, Valt, "Upload"): create an upload
// record, then send the file to one of its videos. The page does not say
// the method or the encoding of the second call, so the connector finds
// the reading the server takes from its answers and remembers it.

// Reading is one way of sending the file in the upload call: its encoding
// and its method. The values are stored with the account.
type Reading string

// The readings of "Upload Video to Record" that Cloudreel knows.
const (
	MultipartPOST Reading = "multipart-post" // multipart/form-data with the file in the field "file", POST
	MultipartPUT  Reading = "multipart-put"  // the same form, PUT
	RawPOST       Reading = "raw-post"       // the file's bytes as the body (Content-Type video/mp4), POST
	RawPUT        Reading = "raw-put"        // the file's bytes as the body, PUT
)

// Readings are the readings in the order they are tried on a server that
// has not shown its own yet: a form POST is what a PHP server's uploads
// most often take.
var Readings = []Reading{MultipartPOST, RawPUT, RawPOST, MultipartPUT}

// UploadField is the form field that carries the file in a multipart
// reading. Uncertain: the wiki does not name it.
const UploadField = "file"

// ParseReading reads a stored reading; ok is false for anything else.
func ParseReading(s string) (r Reading, ok bool) {
	for _, x := range Readings {
		if string(x) == s {
			return x, true
		}
	}
	return "", false
}

// Method is the HTTP method of the reading.
func (r Reading) Method() string {
	if r == MultipartPUT || r == RawPUT {
		return http.MethodPut
	}
	return http.MethodPost
}

// Multipart reports whether the reading sends a form rather than the bare
// bytes.
func (r Reading) Multipart() bool { return r == MultipartPOST || r == MultipartPUT }

// with returns the reading with the given encoding and method.
func with(multipartForm bool, method string) Reading {
	switch {
	case multipartForm && method == http.MethodPut:
		return MultipartPUT
	case multipartForm:
		return MultipartPOST
	case method == http.MethodPut:
		return RawPUT
	}
	return RawPOST
}

// Share names the Valt users and groups a new record is shared with, by
// their ids, on top of Valt's default video permissions.
type Share struct {
	Users  []int64 `json:"users,omitempty"`
	Groups []int64 `json:"groups,omitempty"`
}

// UploadRecord is the record Valt created for an upload: its id and the
// ids of the videos a file can be sent to.
type UploadRecord struct {
	ID     string
	Videos []string
}

// uploadState is what a connector learns and keeps for its uploads.
type uploadState struct {
	mu      sync.Mutex
	reading Reading          // the reading the server took, "" before
	refused map[Reading]bool // readings the server refused
	once    sync.Once
	client  *http.Client // see uploadHTTP
}

// sizeText says a number of bytes as people read it: "1.5 GB".
func sizeText(n int64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.1f GB", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%d bytes", n)
}

// createUploadRequest is the body of POST /api/v3/records/create-upload.
type createUploadRequest struct {
	Name     string            `json:"name"`
	Template map[string]string `json:"template,omitempty"`
	Share    *Share            `json:"share,omitempty"`
}

// createUploadAnswer is its answer, after unwrapData: the wiki's example
// is bare {"id","videos"}, its table puts them under "data".
type createUploadAnswer struct {
	ID     fetch.IDString    `json:"id"`
	Videos []json.RawMessage `json:"videos"`
}

// CreateUpload creates an upload record named name in Valt, with the
// additional-information template fields (field id → value) and the
// sharing given (both may be empty), and returns its id and video ids.
// The record stays empty until UploadVideo fills one of its videos.
func (c *Connector) CreateUpload(ctx context.Context, name string, template map[string]string, share Share) (UploadRecord, error) {
	if strings.TrimSpace(name) == "" {
		return UploadRecord{}, fetch.NewError(fetch.KindInvalid, nil, lang.L("A recording sent to Valt needs a name."))
	}
	in := createUploadRequest{Name: name, Template: template}
	if len(share.Users) > 0 || len(share.Groups) > 0 {
		in.Share = &share
	}
	var ans createUploadAnswer
	if err := c.call(ctx, http.MethodPost, "/api/v3/records/create-upload", in, &ans); err != nil {
		if fetch.KindOf(err) == fetch.KindPermission {
			return UploadRecord{}, &fetch.Error{Kind: fetch.KindPermission,
				Message: lang.L("This Valt user is not allowed to add recordings. Ask your Valt administrator for that permission."), Err: err}
		}
		return UploadRecord{}, fmt.Errorf("creating the record %q in Valt: %w", name, err)
	}
	rec := UploadRecord{ID: string(ans.ID)}
	for _, v := range videoEntries(ans.Videos, false) {
		rec.Videos = append(rec.Videos, v.ID)
	}
	switch {
	case rec.ID == "":
		return UploadRecord{}, fetch.NewError(fetch.KindInvalid, nil, lang.L("The Valt server's answer names no record for \"{{.Name}}\".", map[string]any{"Name": name}))
	case len(rec.Videos) == 0:
		return rec, fetch.NewError(fetch.KindInvalid, nil,
			lang.L("Valt created the record \"{{.Name}}\" (id {{.ID}}) but named no video to send the file to; remove that record in Valt.", map[string]any{"Name": name, "ID": rec.ID}))
	}
	return rec, nil
}

// Reading is the reading this connector has seen the server take, or ""
// before any upload succeeded.
func (c *Connector) Reading() Reading {
	c.up.mu.Lock()
	defer c.up.mu.Unlock()
	return c.up.reading
}

// SetReading tells the connector the reading the server took before (as
// stored with the account), so that it is tried first.
func (c *Connector) SetReading(r Reading) {
	if _, ok := ParseReading(string(r)); !ok {
		return
	}
	c.up.mu.Lock()
	c.up.reading = r
	c.up.mu.Unlock()
}

// ErrReadingRefused is in the chain of an upload refused in one reading
// when the file could not be read again from its start to try the next:
// the next call tries the next reading.
var ErrReadingRefused = errors.New("the Valt server did not take the file in this form")

// UploadVideo sends size bytes from body into the video videoID of the
// record recordID, as the file name (its extension gives the type). It
// returns the reading the server took, remembered for the next calls.
//
// The file is streamed, never held in memory. Finding the reading may
// take several tries (answers 405, 415 or 400 say which part was wrong):
// with a body that is an io.Seeker (an *os.File) each try starts again
// from the body's current position; with any other body a refusal ends
// the call with ErrReadingRefused and the next call tries the next
// reading. Valt documents no resume: a broken-off upload must be sent
// again from its first byte, into the same record.
func (c *Connector) UploadVideo(ctx context.Context, recordID, videoID string, body io.Reader, size int64, name string) (Reading, error) {
	if recordID == "" || videoID == "" {
		return "", fetch.NewError(fetch.KindInvalid, nil, lang.L("Cloudreel has no Valt record to send {{.Name}} to.", map[string]any{"Name": name}))
	}
	seeker, _ := body.(io.Seeker)
	var start int64
	if seeker != nil {
		var err error
		if start, err = seeker.Seek(0, io.SeekCurrent); err != nil {
			seeker = nil
		}
	}
	tried := map[Reading]int{} // the status each reading was refused with
	r := c.nextUntried(tried, 0, "")
	var rejected string
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			if seeker == nil && len(tried) == 0 {
				// Only the sign-in was refused: sign in now, so that the
				// next call, with the file read again, goes through.
				if _, err := c.accessToken(ctx, rejected); err != nil {
					return "", err
				}
				return "", fetch.NewError(fetch.KindUnreachable, nil, lang.L("Valt asked Cloudreel to sign in again while {{.Name}} was being sent; it is sent again.", map[string]any{"Name": name}))
			}
			if seeker == nil {
				return "", fetch.NewError(fetch.KindUnreachable, ErrReadingRefused, lang.L("The Valt server did not take {{.Name}} as Cloudreel sent it; it tries another way next time.", map[string]any{"Name": name}))
			}
			if _, err := seeker.Seek(start, io.SeekStart); err != nil {
				return "", diskError(name, err)
			}
		}
		tok, err := c.accessToken(ctx, rejected)
		if err != nil {
			return "", err
		}
		resp, err := c.sendVideo(ctx, r, tok, recordID, videoID, body, size, name)
		if err != nil {
			return "", err
		}
		raw, _ := fetch.ReadBody(resp, 64<<10)
		switch code := resp.StatusCode; {
		case code/100 == 2:
			c.SetReading(r)
			return r, nil
		case code == http.StatusUnauthorized && rejected == "":
			rejected = tok
			continue
		case code == http.StatusUnauthorized:
			return "", &fetch.Error{Kind: fetch.KindAuth, Message: lang.L("Valt signed Cloudreel out and did not accept the user name and password again."),
				Err: fetch.StatusError(resp, raw)}
		case code == http.StatusForbidden:
			return "", &fetch.Error{Kind: fetch.KindPermission,
				Message: lang.L("This Valt user is not allowed to add videos to Valt. Ask your Valt administrator for that permission."), Err: fetch.StatusError(resp, raw)}
		case code == http.StatusNotFound:
			return "", &fetch.Error{Kind: fetch.KindNotFound,
				Message: lang.L("The record {{.ID}} is no longer on the Valt server, so {{.Name}} cannot be sent into it.", map[string]any{"ID": recordID, "Name": name}), Err: fetch.StatusError(resp, raw)}
		case code == http.StatusRequestEntityTooLarge:
			return "", &fetch.Error{Kind: fetch.KindInvalid,
				Message: lang.L("The Valt server refused {{.Name}} because it is too large ({{.Size}}). Ask your Valt administrator about the largest upload it takes.", map[string]any{"Name": name, "Size": sizeText(size)}),
				Err:     fetch.StatusError(resp, raw)}
		case code == http.StatusMethodNotAllowed || code == http.StatusUnsupportedMediaType || code == http.StatusBadRequest:
			tried[r] = code
			next := c.nextUntried(tried, code, r)
			if next == "" {
				return "", &fetch.Error{Kind: fetch.KindInvalid,
					Message: lang.L("The Valt server refused {{.Name}} ({{.Status}}): it may not take this type of file, or one this large.", map[string]any{"Name": name, "Status": resp.Status}),
					Err:     fetch.StatusError(resp, raw)}
			}
			c.forget(r)
			r = next
		case code >= 500:
			return "", &fetch.Error{Kind: fetch.KindUnreachable,
				Message: lang.L("The Valt server had a problem receiving {{.Name}} ({{.Status}}).", map[string]any{"Name": name, "Status": resp.Status}), Err: fetch.StatusError(resp, raw)}
		default:
			return "", fetch.StatusError(resp, raw)
		}
	}
}

// nextUntried is the reading to try after prev was refused with code (or
// the first one, when prev is ""): the remembered reading first, then a
// 405 changes the method and keeps the encoding, a 415 or 400 changes the
// encoding and keeps the method, and else any reading not tried yet.
func (c *Connector) nextUntried(tried map[Reading]int, code int, prev Reading) Reading {
	var want []Reading
	if prev == "" {
		if r := c.Reading(); r != "" {
			want = append(want, r)
		}
		c.up.mu.Lock()
		for _, x := range Readings {
			if !c.up.refused[x] {
				want = append(want, x)
			}
		}
		c.up.mu.Unlock()
	} else {
		other := http.MethodPost
		if prev.Method() == http.MethodPost {
			other = http.MethodPut
		}
		switch code {
		case http.StatusMethodNotAllowed:
			want = append(want, with(prev.Multipart(), other))
		default:
			want = append(want, with(!prev.Multipart(), prev.Method()))
		}
	}
	want = append(want, Readings...)
	for _, x := range want {
		if _, done := tried[x]; !done {
			return x
		}
	}
	return ""
}

// forget drops a reading the server refused: it is no longer the one
// tried first, and a body that cannot be read again skips it next time.
func (c *Connector) forget(r Reading) {
	c.up.mu.Lock()
	defer c.up.mu.Unlock()
	if c.up.reading == r {
		c.up.reading = ""
	}
	if c.up.refused == nil {
		c.up.refused = map[Reading]bool{}
	}
	c.up.refused[r] = true
}

// sendVideo makes one upload request in reading r and returns the
// answer, whose body the caller reads. A fault while the file was being
// read from the disk, or while it went over the network, is an error.
func (c *Connector) sendVideo(ctx context.Context, r Reading, tok, recordID, videoID string, body io.Reader, size int64, name string) (*http.Response, error) {
	u := c.base + "/api/v3/records/" + url.PathEscape(recordID) + "/videos/" + url.PathEscape(videoID) + "?access_token=" + url.QueryEscape(tok)
	file := &diskReader{r: body, want: size}
	var (
		reqBody io.Reader = file
		length            = size
		ctype             = contentType(name)
	)
	if r.Multipart() {
		head, tail, formType := multipartFrame(name, ctype)
		reqBody = io.MultiReader(bytes.NewReader(head), file, bytes.NewReader(tail))
		length += int64(len(head) + len(tail))
		ctype = formType
	}
	req, err := http.NewRequestWithContext(ctx, r.Method(), u, reqBody)
	if err != nil {
		return nil, fmt.Errorf("building the upload of %s: %w", name, err)
	}
	if size > 0 {
		req.ContentLength = length
	}
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Accept", "application/json")
	// A server that refuses the form or the method says so before the
	// file is sent, when the transport waits for its go-ahead.
	req.Header.Set("Expect", "100-continue")
	resp, err := c.uploadHTTP().Do(req)
	if err == nil {
		return resp, nil
	}
	switch {
	case file.err != nil:
		return nil, diskError(name, file.err)
	case ctx.Err() != nil:
		return nil, ctx.Err()
	}
	if terr := fetch.TLSError(err); terr != nil {
		return nil, terr
	}
	return nil, fetch.NewError(fetch.KindUnreachable, fetch.Redacted(err),
		lang.L("The connection to the Valt server broke off while {{.Name}} was being sent.", map[string]any{"Name": name}))
}

// uploadHTTP is the client uploads go through: the account's pinned
// client (or the one given in Config), without its overall timeout, since
// a large file takes long to send.
func (c *Connector) uploadHTTP() *http.Client {
	c.up.once.Do(func() {
		if c.cfg.HTTP != nil {
			hc := *c.cfg.HTTP
			hc.Timeout = 0
			c.up.client = &hc
			return
		}
		c.up.client = &http.Client{Transport: fetch.PinnedTransport(c.cfg.Pin)}
	})
	return c.up.client
}

// errFileChanged says the file on disk did not have the size it had when
// the upload started.
var errFileChanged = errors.New("the file's size changed while it was being sent")

// diskReader is the file's side of an upload: it keeps the error of a
// failed read from the disk, so that it is told apart from the network's.
type diskReader struct {
	r    io.Reader
	want int64 // the size announced; 0 when unknown
	n    int64
	err  error
}

func (d *diskReader) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	d.n += int64(n)
	switch {
	case err == io.EOF && d.want > 0 && d.n != d.want:
		d.err = errFileChanged
		return n, d.err
	case err != nil && err != io.EOF:
		d.err = err
	}
	return n, err
}

// diskError says in plain words that the file could not be read.
func diskError(name string, err error) error {
	if errors.Is(err, errFileChanged) {
		return fetch.NewError(fetch.KindInvalid, err, lang.L("{{.Name}} changed on the disk while it was being sent to Valt; send it again once nothing writes to it.", map[string]any{"Name": name}))
	}
	return fetch.NewError(fetch.KindInvalid, err, lang.L("Cloudreel could not read {{.Name}} from the disk, so it could not send it to Valt.", map[string]any{"Name": name}))
}

// contentType is the type a file is sent as: from its extension when that
// names a video or a sound, else video/mp4 (what Valt records).
func contentType(name string) string {
	if t := mime.TypeByExtension(strings.ToLower(filepath.Ext(name))); strings.HasPrefix(t, "video/") || strings.HasPrefix(t, "audio/") {
		return t
	}
	return "video/mp4"
}

// multipartFrame returns what a form carrying the file as UploadField
// sends before and after the file's bytes, and the form's Content-Type,
// so that the body is the file streamed between them with a known length.
func multipartFrame(name, fileType string) (head, tail []byte, formType string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", mime.FormatMediaType("form-data", map[string]string{"name": UploadField, "filename": filepath.Base(name)}))
	h.Set("Content-Type", fileType)
	_, _ = mw.CreatePart(h) // writing to a bytes.Buffer does not fail
	head = bytes.Clone(buf.Bytes())
	buf.Reset()
	_ = mw.Close()
	return head, bytes.Clone(buf.Bytes()), mw.FormDataContentType()
}

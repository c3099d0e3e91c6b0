package queue

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"mime"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"
	"github.com/cavaliergopher/grab/v3"

	"cloudreel/fetch"
	"cloudreel/fetch/locale"
	"cloudreel/fetch/verify"
)

const userAgent = "Cloudreel"

// errRestart ends an attempt that must be made again at once, with a
// fresh link: the server ignored the Range of a resume (the partial file
// has been emptied), or could not serve it.
var errRestart = errors.New("the attempt has to start again")

// transfer downloads src into part, continuing after offset bytes, with
// grab. It returns the whole file's size as the server declared it (-1
// when it did not).
//
// grab sends a HEAD before resuming a file that exists, to learn whether
// the server takes ranges; a one-time link (Huawei) would be spent by it.
// The queue does not need that answer, because it proves a resume on the
// GET itself (206 with the matching Content-Range, checked in BeforeCopy),
// so grab's HTTP client answers HEAD locally and no HEAD ever leaves the
// process, for any platform. With no partial file grab sends no HEAD at
// all (see grab's headRequest).
//
// Every byte of the body goes through hash on its way to the file, so
// that the file's SHA-256 is known when the last byte is written.
func (q *Queue) transfer(ctx context.Context, e *entry, job Job, src fetch.Source, part string, offset, expected int64, hash *verify.Hasher) (int64, error) {
	host := hostOf(src.URL)
	req, err := grab.NewRequest(part, src.URL)
	if err != nil {
		return -1, fetch.NewError(fetch.KindInvalid, fetch.Redacted(err), lang.L("The platform gave a download link Cloudreel cannot use."))
	}
	req = req.WithContext(ctx)
	for k, vs := range src.Header {
		req.HTTPRequest.Header[textproto.CanonicalMIMEHeaderKey(k)] = append([]string(nil), vs...)
	}
	// Bytes as they are on the server: a compressed answer has no length
	// to check and its ranges would count compressed bytes.
	req.HTTPRequest.Header.Set("Accept-Encoding", "identity")
	req.IgnoreBadStatusCodes = true // every status is judged in BeforeCopy
	req.IgnoreRemoteTime = true
	req.NoCreateDirectories = true
	req.BufferSize = q.opts.BufferSize
	req.RateLimiter = speedLimiter{q.limiter}
	// Size stays 0: grab would compare it with Content-Length before
	// BeforeCopy runs, and a 206 carries only the rest of the file.
	declared := int64(-1)
	req.BeforeCopy = func(r *grab.Response) error {
		// An empty partial file is "resumed" from byte 0 by grab, which
		// is the same as starting over; any other disagreement is not.
		if offset > 0 && (!r.DidResume || r.BytesComplete() != offset) {
			return fmt.Errorf("%w: the partial file changed during the attempt", errRestart)
		}
		total, err := checkResponse(r.HTTPResponse, offset, expected, job.File.Ext, host)
		if errors.Is(err, errRestart) {
			// grab opened the partial file for appending: a whole body
			// must never be added to it. Empty it and go again.
			q.log.Warn("the server did not continue the partial file; starting the file over", "job", job.ID, "host", host, "why", err)
			q.truncatePart(e, part)
		}
		declared = total
		if err == nil && total > 0 {
			// The server's word on the whole file's length: the Length
			// proof of a platform that lists no size it stands by.
			q.mu.Lock()
			e.job.ServerSize = total
			q.mu.Unlock()
		}
		if err == nil && expected <= 0 && total > 0 {
			// The platform did not list the size: the server's answer
			// gives the progress bar its end.
			q.mu.Lock()
			e.job.Size = total
			q.mu.Unlock()
		}
		return err
	}
	hc := q.opts.HTTPClient
	if src.HTTP != nil {
		// The platform's own client (Valt's pinned certificate), without
		// its overall timeout: a file may take hours, and a transfer that
		// stops receiving is ended by the stall check instead.
		c := *src.HTTP
		c.Timeout = 0
		hc = &c
	}
	grabHTTP := noHEAD{hc: hc, size: expected, hash: hash}
	if expected > 0 {
		// A body without a Content-Length (or longer than it says) is
		// stopped soon after the file's size instead of filling the disk.
		grabHTTP.limit = expected - offset + bodyMargin
	}
	client := &grab.Client{HTTPClient: grabHTTP, UserAgent: userAgent, BufferSize: q.opts.BufferSize}
	resp := client.Do(req)
	now := time.Now()
	q.mu.Lock()
	if e.run != nil {
		e.run.resp = resp
		e.run.lastDone, e.run.lastTick, e.run.lastMove, e.run.flushed = offset, now, now, offset
	}
	q.mu.Unlock()
	err = resp.Err()
	q.mu.Lock()
	if e.run != nil {
		e.run.resp = nil
	}
	q.mu.Unlock()
	if err == nil {
		return declared, nil
	}
	if errors.Is(err, errTooLong) {
		q.log.Warn("the server sent more than the file's size: discarded", "job", job.ID, "host", host, "size", expected)
		q.truncatePart(e, part)
	}
	return declared, transferErr(ctx, err, host, filepath.Dir(part))
}

// bodyMargin is how far past a file's size a body may run before the
// attempt is stopped as a bad body.
const bodyMargin = 64 << 10

// errTooLong ends a transfer whose body ran past the file's size.
var errTooLong = errors.New("the body is longer than the file")

// cappedBody is a response body that fails once more than left bytes
// have come.
type cappedBody struct {
	io.ReadCloser
	left int64
	size int64 // the file's size, for the message
}

func (b *cappedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if int64(n) > b.left {
		n, b.left = int(b.left), 0
		return n, &fetch.Error{Kind: fetch.KindBadBody, Err: errTooLong,
			Message: lang.L("The server sent more than the {{.Size}} the file should have.", map[string]any{"Size": locale.Now().Bytes(b.size)})}
	}
	b.left -= int64(n)
	return n, err
}

// noHEAD is grab's HTTP client: GETs go to the network, HEADs are answered
// here (see transfer).
type noHEAD struct {
	hc    *http.Client
	size  int64
	limit int64          // the most body bytes a GET may bring; 0: no limit
	hash  *verify.Hasher // hashes every body byte grab is given; nil: none
}

func (c noHEAD) Do(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodHead {
		resp, err := c.hc.Do(req)
		if err == nil && c.limit > 0 {
			resp.Body = &cappedBody{ReadCloser: resp.Body, left: c.limit, size: c.size}
		}
		if err == nil && c.hash != nil {
			// Outside the cap: only the bytes grab is handed are hashed.
			resp.Body = hashingBody{Reader: c.hash.Reader(resp.Body), Closer: resp.Body}
		}
		return resp, err
	}
	length := c.size
	if length <= 0 {
		length = -1
	}
	return &http.Response{
		Status: "200 OK", StatusCode: http.StatusOK, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Accept-Ranges": {"bytes"}},
		ContentLength: length, Body: http.NoBody, Request: req,
	}, nil
}

// hashingBody is a response body whose bytes are hashed as they are
// read (verify.Hasher.Reader): the hash runs on its own goroutine while
// grab writes the bytes to the partial file and reads the next ones, and
// the file's SHA-256 is known without reading the file again.
type hashingBody struct {
	io.Reader
	io.Closer
}

// checkResponse judges a GET's answer before a byte is written: the status,
// that the body is not an error page, that a resume continues exactly at
// offset, and that the length is the listed one. It returns the whole
// file's size as the server gives it, or -1.
func checkResponse(hr *http.Response, offset, expected int64, ext, host string) (int64, error) {
	cause := fmt.Errorf("GET %s: %s", host, hr.Status)
	code := hr.StatusCode
	switch {
	case code == http.StatusUnauthorized || code == http.StatusForbidden || code == http.StatusGone:
		return -1, &fetch.Error{Kind: fetch.KindExpired, Message: lang.L("The server refused the download link."), Err: cause}
	case code == http.StatusNotFound:
		return -1, &fetch.Error{Kind: fetch.KindNotFound, Message: lang.L("The server no longer has this file."), Err: cause}
	case code == http.StatusRequestedRangeNotSatisfiable && offset > 0:
		return -1, fmt.Errorf("%w: the server cannot continue from byte %d (%s)", errRestart, offset, hr.Status)
	case code == http.StatusTooManyRequests:
		return -1, &fetch.Error{Kind: fetch.KindRateLimited, Message: lang.L("The platform asked Cloudreel to slow down."),
			Retry: fetch.RetryAfter(hr.Header, 0), Err: cause}
	case code >= 500:
		return -1, &fetch.Error{Kind: fetch.KindUnreachable, Message: lang.L("The file server had a problem ({{.Status}}).", map[string]any{"Status": hr.Status}), Err: cause}
	case code != http.StatusOK && code != http.StatusPartialContent:
		return -1, &fetch.Error{Kind: fetch.KindInvalid, Message: lang.L("The file server answered {{.Status}}, which Cloudreel did not expect.", map[string]any{"Status": hr.Status}), Err: cause}
	}
	if ct := hr.Header.Get("Content-Type"); isErrorType(ct, ext) {
		return -1, &fetch.Error{Kind: fetch.KindBadBody, Message: lang.L("The server sent an error message instead of the file."),
			Err: fmt.Errorf("%w, Content-Type %s", cause, ct)}
	}
	length := hr.ContentLength
	if code == http.StatusOK {
		if offset > 0 {
			return -1, fmt.Errorf("%w: the server ignored the Range and sent the whole file", errRestart)
		}
		if expected > 0 && length >= 0 && length != expected {
			return -1, badLength(length, expected, cause)
		}
		return length, nil
	}
	start, end, total, ok := parseContentRange(hr.Header.Get("Content-Range"))
	switch {
	case !ok:
		return -1, fmt.Errorf("%w: a partial answer without a valid Content-Range (%q)", errRestart, hr.Header.Get("Content-Range"))
	case start != offset:
		return -1, fmt.Errorf("%w: asked for bytes from %d, the server sent from %d", errRestart, offset, start)
	case expected > 0 && total >= 0 && total != expected:
		return -1, badLength(total, expected, cause)
	case length >= 0 && length != end-start+1:
		return -1, fmt.Errorf("%w: Content-Length %d does not match Content-Range %d-%d", errRestart, length, start, end)
	}
	return total, nil
}

func badLength(got, want int64, cause error) error {
	return &fetch.Error{Kind: fetch.KindBadBody,
		Message: lang.L("The server sent a file of {{.Got}} bytes where the platform listed {{.Want}}.", map[string]any{"Got": got, "Want": want}), Err: cause}
}

// parseContentRange reads "bytes START-END/TOTAL" (TOTAL may be "*",
// given as -1).
func parseContentRange(v string) (start, end, total int64, ok bool) {
	rest, found := strings.CutPrefix(strings.TrimSpace(v), "bytes ")
	if !found {
		return 0, 0, 0, false
	}
	rng, tot, found := strings.Cut(rest, "/")
	if !found {
		return 0, 0, 0, false
	}
	a, b, found := strings.Cut(rng, "-")
	if !found {
		return 0, 0, 0, false
	}
	var err1, err2, err3 error
	start, err1 = strconv.ParseInt(a, 10, 64)
	end, err2 = strconv.ParseInt(b, 10, 64)
	total = -1
	if tot != "*" {
		total, err3 = strconv.ParseInt(tot, 10, 64)
	}
	if err1 != nil || err2 != nil || err3 != nil || start < 0 || end < start || (total >= 0 && end >= total) {
		return 0, 0, 0, false
	}
	return start, end, total, true
}

// textExts are files that are text by nature: their bodies are not
// suspected of being error pages.
var textExts = map[string]bool{"json": true, "html": true, "htm": true, "xml": true, "txt": true}

// isErrorType reports whether a Content-Type is what servers send errors
// in (JSON, HTML, XML) rather than a recording.
func isErrorType(ct, ext string) bool {
	if ct == "" || textExts[strings.ToLower(ext)] {
		return false
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	switch {
	case mt == "application/json", mt == "text/json", strings.HasSuffix(mt, "+json"),
		mt == "text/html", mt == "application/xhtml+xml",
		mt == "application/xml", mt == "text/xml", mt == "application/problem+xml":
		return true
	}
	return false
}

// looksLikeErrorBody sniffs the first bytes of a file for an error
// message: JSON, HTML or XML where a recording was expected.
func looksLikeErrorBody(head []byte, ext string) bool {
	if textExts[strings.ToLower(ext)] || len(head) == 0 {
		return false
	}
	ct := http.DetectContentType(head)
	if strings.HasPrefix(ct, "text/html") || strings.HasPrefix(ct, "text/xml") {
		return true
	}
	b := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	return len(b) > 0 && (b[0] == '{' || b[0] == '[') && strings.HasPrefix(ct, "text/plain")
}

// complete verifies a finished partial file and gives it its final name:
// the size must be the expected one, the content must not be an error
// message, and bytes that contradict the platform's own check (its
// SHA-256, see prove) are thrown away. The bytes are flushed to the disk
// before the rename, so that a file under its final name is whole even
// after a power cut. hash holds the SHA-256 of the bytes written, or nil.
func (q *Queue) complete(ctx context.Context, e *entry, job Job, expected int64, hash *verify.Hasher) result {
	part := job.Path + partSuffix
	n := fileSize(part)
	switch {
	case expected > 0 && n < expected:
		return result{err: fetch.NewError(fetch.KindUnreachable, nil, lang.L("The download ended early ({{.Done}} of {{.Total}} bytes).", map[string]any{"Done": n, "Total": expected}))}
	case expected > 0 && n > expected:
		q.truncatePart(e, part)
		return result{err: badLength(n, expected, errors.New("the partial file grew past the file's size"))}
	}
	head, err := readHead(part, 512)
	if err != nil {
		return result{err: writeErr(filepath.Dir(part), err)}
	}
	if looksLikeErrorBody(head, job.File.Ext) {
		q.log.Warn("the downloaded bytes are an error message, not the file: discarded", "job", job.ID, "start", string(head[:min(len(head), 80)]))
		q.truncatePart(e, part)
		return result{err: &fetch.Error{Kind: fetch.KindBadBody, Message: lang.L("The server sent an error message instead of the file.")}}
	}
	pr, err := q.prove(e, job, part, n, hash)
	if err != nil {
		return result{err: err}
	}
	if _, err := flushFile(part); err != nil {
		return result{err: writeErr(filepath.Dir(part), err)}
	}

	q.mu.Lock()
	if e.job.State == Canceled || errors.Is(context.Cause(ctx), errCanceled) {
		q.mu.Unlock()
		return result{err: errCanceled}
	}
	if e.moveFrom != "" {
		// Asked for in another folder meanwhile: the whole partial file is
		// moved there and given its name there (see finish).
		q.mu.Unlock()
		return result{err: errMoved}
	}
	final := job.Path
	if _, err := os.Lstat(final); err == nil {
		// Something took the name since the job was added: never replace it.
		final = q.uniquePath(final, job.ID)
		q.log.Warn("the file's name was taken meanwhile; using another", "job", job.ID, "path", final)
	}
	if err := os.Rename(part, final); err != nil {
		q.mu.Unlock()
		return result{err: writeErr(filepath.Dir(final), err)}
	}
	e.job.Path, e.job.Done, e.job.Size, e.job.Err = final, n, n, ""
	e.job.NextTry = time.Time{}
	e.job.SHA256, e.job.Proof, e.job.Unproven = pr.sha256, pr.proof, pr.unproven
	q.downloaded[fileKey(e.job)] = doneRecord{Path: final, Size: n, At: time.Now(), SHA256: pr.sha256, Proof: pr.proof}
	q.setStateLocked(e, Done)
	q.mu.Unlock()
	syncDir(filepath.Dir(final))
	q.log.Info("downloaded", "job", job.ID, "path", final, "bytes", n, "sha256", pr.sha256, "proof", string(pr.proof))
	return result{progress: true}
}

func readHead(path string, n int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, n)
	k, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return buf[:k], nil
}

// checkDisk makes sure the bytes still to come fit on the disk. A file
// not started yet must also leave the reserve free; a partial one only
// needs room for its rest, so that the reserve never keeps it from
// finishing.
func (q *Queue) checkDisk(job Job, offset int64) error {
	var need uint64
	if offset == 0 {
		need = uint64(q.opts.DiskReserve)
	}
	if job.Size > offset {
		need += uint64(job.Size - offset)
	}
	if need == 0 {
		return nil
	}
	dir := existingDir(filepath.Dir(job.Path))
	free, err := q.opts.FreeSpace(dir)
	if err != nil {
		q.log.Warn("could not tell the free space; going on", "dir", dir, "err", err)
		return nil
	}
	if free < need {
		return &diskFullError{dir: job.Folder, free: free, need: need}
	}
	return nil
}

// existingDir is dir or its nearest ancestor that exists.
func existingDir(dir string) string {
	for {
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return dir
		}
		dir = parent
	}
}

// diskFullError says the disk has no room; its message is for people.
type diskFullError struct {
	dir        string
	free, need uint64
	err        error
	// headless words what to do next for a command line ("run the same
	// command again") rather than for the window ("press Resume").
	headless bool
}

func (e *diskFullError) Error() string {
	data := map[string]any{"Dir": e.dir, "Free": locale.Now().Bytes(int64(min(e.free, math.MaxInt64))), "Need": locale.Now().Bytes(int64(min(e.need, math.MaxInt64)))}
	// Whole sentences for each case, so that each language words them its own way.
	switch {
	case e.need > 0 && e.headless:
		return lang.L("There is not enough free space for {{.Dir}}: {{.Free}} free, {{.Need}} needed. Make room on the disk, then run the same command again.", data)
	case e.need > 0:
		return lang.L("There is not enough free space for {{.Dir}}: {{.Free}} free, {{.Need}} needed. Make room on the disk, then press Resume.", data)
	case e.headless:
		return lang.L("The disk holding {{.Dir}} is full. Make room on it, then run the same command again.", data)
	}
	return lang.L("The disk holding {{.Dir}} is full. Make room on it, then press Resume.", data)
}

func (e *diskFullError) Unwrap() error { return e.err }

// transferErr classifies how a transfer failed.
func transferErr(ctx context.Context, err error, host, dir string) error {
	var fe *fetch.Error
	switch {
	case ctx.Err() != nil:
		return context.Cause(ctx)
	case errors.As(err, &fe), errors.Is(err, errRestart):
		return err
	case isDiskFull(err):
		return &diskFullError{dir: dir, err: err}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return writeErr(dir, err)
	}
	return fetch.NewError(fetch.KindUnreachable, netErr(err), lang.L("The connection to {{.Host}} broke off.", map[string]any{"Host": host}))
}

// writeErr says in plain words that a file could not be written; a full
// disk becomes a diskFullError.
func writeErr(dir string, err error) error {
	if isDiskFull(err) {
		return &diskFullError{dir: dir, err: err}
	}
	msg := err.Error()
	var pe *fs.PathError
	if errors.As(err, &pe) {
		msg = pe.Err.Error()
	}
	return &fetch.Error{Kind: fetch.KindInvalid, Message: lang.L("Cloudreel could not write the file in {{.Dir}} ({{.Why}}).", map[string]any{"Dir": dir, "Why": msg}), Err: err}
}

// netErr strips a link (which may carry a token) from a network error,
// keeping only its host.
func netErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s %s: %w", ue.Op, hostOf(ue.URL), ue.Err)
	}
	return fetch.Redacted(err)
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "the server"
	}
	return u.Host
}

// syncDir makes a rename in dir durable. Not every system can sync a
// directory (Windows cannot); the rename is then as durable as the
// system makes it.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}

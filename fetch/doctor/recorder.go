package doctor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"

	"cloudreel/fetch"
)

// Exchange is one request a connector made and what came back, with every
// value taken out: no query value, no header, no body value.
type Exchange struct {
	Method string
	// Path is the request's path with each id-like part replaced by
	// "{id}"; QueryKeys are the names of its query parameters.
	Path      string
	QueryKeys []string
	// Status is the HTTP status (0 when no answer came); Failure says in
	// a few words why none came.
	Status  int
	Failure string
	// Stopped says Cloudreel itself stopped the call (its context ended):
	// a list walked side by side stops its other calls once one fails.
	Stopped bool
	// ContentType and Bytes describe the answer's body; Shape is set when
	// it was JSON.
	ContentType string
	Bytes       int
	Shape       *Shape
}

// maxBody is the most of one answer the recorder reads to describe it.
const maxBody = 16 << 20

// Recorder is an http.RoundTripper that passes each request on to Next
// and writes down the exchange. A connector's client goes through it for
// a check, so that the report shows what the platform really answered.
type Recorder struct {
	Next http.RoundTripper // nil: http.DefaultTransport

	mu        sync.Mutex
	exchanges []Exchange
}

// Wrap makes next the recorder's next transport and returns the
// recorder, in the form accounts.Store.ConnectorThrough takes.
func (r *Recorder) Wrap(next http.RoundTripper) http.RoundTripper {
	r.Next = next
	return r
}

// RoundTrip implements http.RoundTripper.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	next := r.Next
	if next == nil {
		next = http.DefaultTransport
	}
	ex := Exchange{Method: req.Method, Path: cleanPath(req.URL.EscapedPath()), QueryKeys: queryKeys(req)}
	resp, err := next.RoundTrip(req)
	if err != nil {
		ex.Failure = failure(err)
		ex.Stopped = errors.Is(err, context.Canceled)
		r.add(ex)
		return resp, err
	}
	ex.Status = resp.StatusCode
	ex.ContentType, _, _ = strings.Cut(resp.Header.Get("Content-Type"), ";")
	if resp.Body != nil && req.Method != http.MethodHead {
		// Read what describes the answer, then hand the connector the
		// same bytes followed by whatever was not read.
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxBody))
		ex.Bytes = len(body)
		if len(body) < maxBody {
			ex.Shape, _ = ShapeOf(body)
		}
		resp.Body = readCloser{io.MultiReader(bytes.NewReader(body), resp.Body), resp.Body}
	}
	r.add(ex)
	return resp, nil
}

// readCloser reads from one reader and closes another.
type readCloser struct {
	io.Reader
	io.Closer
}

func (r *Recorder) add(ex Exchange) {
	r.mu.Lock()
	r.exchanges = append(r.exchanges, ex)
	r.mu.Unlock()
}

// Take returns the exchanges written down since the last Take.
func (r *Recorder) Take() []Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.exchanges
	r.exchanges = nil
	return out
}

// pathWord is a part of a path that names a resource rather than one of
// them: "videosdk", "records", "v3", "mp4.json".
var pathWord = regexp.MustCompile(`^[A-Za-z]+[0-9]?(\.[A-Za-z0-9]+)?$`)

// cleanPath replaces each part of a path that is an id (a recording's, a
// video's, a token in a path) with "{id}".
func cleanPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if s != "" && (!pathWord.MatchString(s) || fetch.Redact(s) != s) {
			parts[i] = "{id}"
		}
	}
	return strings.Join(parts, "/")
}

func queryKeys(req *http.Request) []string {
	var keys []string
	for k := range req.URL.Query() {
		if fieldName.MatchString(k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// failure says in a few words why no answer came, without the address
// (which the report gives once) or anything secret.
func failure(err error) string {
	if te := fetch.TLSError(err); te != nil {
		return "the server's certificate was not trusted"
	}
	msg := err.Error()
	for _, c := range []struct{ has, says string }{
		{"connection refused", "nothing answered (connection refused)"},
		{"no such host", "there is no server of that name"},
		{"timeout", "no answer in time"},
		{"deadline exceeded", "no answer in time"},
		{"context canceled", "the check was stopped"},
		{"EOF", "the server closed the connection"},
		{"reset by peer", "the server closed the connection"},
		{"certificate", "a certificate problem"},
	} {
		if strings.Contains(msg, c.has) {
			return c.says
		}
	}
	return fmt.Sprintf("no answer (%T)", err)
}

package fetch

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"fyne.io/fyne/v2/lang"

	"cloudreel/fetch/pace"
)

// APIClient is the HTTP client every connector calls its platform's API
// through. It keeps to a client-side rate limit, honours 429 and
// Retry-After, retries network faults and 5xx with backoff and jitter, and
// turns TLS failures into KindUntrusted errors that carry the fingerprint.
type APIClient struct {
	HTTP    *http.Client
	Limiter *rate.Limiter // nil: no client-side limit
	// Pace, when set, takes the Limiter's place: a rate that halves on a
	// 429 and creeps back up (fetch/pace). Several clients of one account
	// may share it, since the platforms count an account's calls.
	Pace *pace.Pace
	// Tries is how many times one call is attempted in all (default 4).
	Tries int
	// Backoff is the first pause between tries; it doubles each time
	// (default 500ms).
	Backoff time.Duration
	// MaxWait is the longest Retry-After the client waits for by itself;
	// past it the call fails with KindRateLimited (default 30s).
	MaxWait time.Duration
	// HeaderTimeout is how long one try waits for the server's answer
	// (its status and headers) before it counts as a network fault and is
	// tried again: a server that accepts and never answers must not hang
	// a listing. 0 means the context's (WithHeaderTimeout), else
	// DefaultHeaderTimeout.
	HeaderTimeout time.Duration
}

// NewAPIClient returns an APIClient over hc with a limit of perSecond calls
// a second (bursts of perSecond).
func NewAPIClient(hc *http.Client, perSecond float64) *APIClient {
	if hc == nil {
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	burst := max(int(perSecond), 1)
	return &APIClient{HTTP: hc, Limiter: rate.NewLimiter(rate.Limit(perSecond), burst)}
}

// Do sends the request built by newReq (called again for every try, since
// a body can be read only once) and returns the first response that is
// not a 429, 5xx or network fault, or a typed error once the tries are
// spent. The caller closes the response body.
func (c *APIClient) Do(ctx context.Context, newReq func(ctx context.Context) (*http.Request, error)) (*http.Response, error) {
	tries := c.Tries
	if tries <= 0 {
		tries = 4
	}
	backoff := c.Backoff
	if backoff <= 0 {
		backoff = 500 * time.Millisecond
	}
	maxWait := c.MaxWait
	if maxWait <= 0 {
		maxWait = 30 * time.Second
	}
	headerTimeout := c.headerTimeout(ctx)
	var lastErr error
	for try := 0; try < tries; try++ {
		switch {
		case c.Pace != nil:
			if err := c.Pace.Wait(ctx); err != nil {
				return nil, err
			}
		case c.Limiter != nil:
			if err := c.Limiter.Wait(ctx); err != nil {
				return nil, err
			}
		}
		req, resp, err := c.send(ctx, newReq, headerTimeout)
		var wait time.Duration
		switch {
		case err != nil && req == nil:
			return nil, err
		case err != nil:
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if terr := TLSError(err); terr != nil {
				return nil, terr
			}
			if errors.Is(err, errNoAnswer) {
				lastErr = NewError(KindUnreachable, err, lang.L("The server at {{.Host}} did not answer within {{.Wait}}.", map[string]any{"Host": req.URL.Host, "Wait": SpokenDuration(headerTimeout)}))
			} else {
				lastErr = NewError(KindUnreachable, Redacted(err), lang.L("The server at {{.Host}} could not be reached.", map[string]any{"Host": req.URL.Host}))
			}
			wait = jitter(backoff << try)
		case resp.StatusCode == http.StatusTooManyRequests:
			wait = RetryAfter(resp.Header, backoff<<try)
			if c.Pace != nil {
				// A wait past MaxWait is handed back to the caller as an
				// error (run again later) rather than held for every call.
				c.Pace.Slow(wait, saysWhen(resp.Header) && wait <= maxWait)
			}
			DrainClose(resp)
			lastErr = &Error{Kind: KindRateLimited, Message: lang.L("The platform asked Cloudreel to slow down."), Retry: wait}
			if wait > maxWait {
				return nil, lastErr
			}
		case resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented:
			// 501 is left out: the server says it does not do this at
			// all (IBM's unsupported_grant_type), which no retry changes.
			DrainClose(resp)
			lastErr = NewError(KindUnreachable, nil, lang.L("The server had a problem ({{.Status}}).", map[string]any{"Status": resp.Status}))
			wait = jitter(backoff << try)
		default:
			if c.Pace != nil {
				c.Pace.Success()
			}
			return resp, nil
		}
		if try == tries-1 {
			break
		}
		if f, ok := ctx.Value(waitNoticeKey{}).(func(time.Duration, error)); ok {
			f(wait, lastErr)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
	}
	return nil, lastErr
}

// RetryAfter reads how long the server asks us to wait from Retry-After
// (seconds, an HTTP date or an RFC 3339 time) or X-RateLimit-Reset (unix seconds), falling
// back to def.
func RetryAfter(h http.Header, def time.Duration) time.Duration {
	if v := h.Get("Retry-After"); v != "" {
		if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s >= 0 {
			return time.Duration(s) * time.Second
		}
		if t, err := http.ParseTime(v); err == nil {
			return max(time.Until(t), 0)
		}
		// Zoom's rate limits page shows a daily limit's Retry-After as
		// an RFC 3339 time (2020-05-31T00:00:00Z), not an HTTP date.
		if t, err := time.Parse(time.RFC3339, strings.TrimSpace(v)); err == nil {
			return max(time.Until(t), 0)
		}
	}
	if v := h.Get("X-RateLimit-Reset"); v != "" {
		if s, err := strconv.ParseInt(v, 10, 64); err == nil {
			return max(time.Until(time.Unix(s, 0)), 0)
		}
	}
	return def
}

// saysWhen reports whether a 429 says how long to wait (Retry-After or
// X-RateLimit-Reset), rather than leaving it to the client's backoff.
func saysWhen(h http.Header) bool {
	return h.Get("Retry-After") != "" || h.Get("X-RateLimit-Reset") != ""
}

// TLSError turns a certificate verification failure into a KindUntrusted
// error carrying the SHA-256 fingerprint of the server's certificate, or
// returns nil when err is something else.
func TLSError(err error) *Error {
	var cve *tls.CertificateVerificationError
	if errors.As(err, &cve) && len(cve.UnverifiedCertificates) > 0 {
		return &Error{Kind: KindUntrusted, Message: lang.L("The server's certificate is not trusted."),
			Fingerprint: Fingerprint(cve.UnverifiedCertificates[0]), Err: err}
	}
	var ua x509.UnknownAuthorityError
	if errors.As(err, &ua) && ua.Cert != nil {
		return &Error{Kind: KindUntrusted, Message: lang.L("The server's certificate is not trusted."),
			Fingerprint: Fingerprint(ua.Cert), Err: err}
	}
	var pe *PinError
	if errors.As(err, &pe) {
		return &Error{Kind: KindUntrusted, Message: lang.L("The server's certificate changed since you chose to trust it."),
			Fingerprint: pe.Got, Err: err}
	}
	return nil
}

// Fingerprint is the SHA-256 of a certificate, as colon-separated hex
// pairs (the form browsers show).
func Fingerprint(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.Raw)
	return ColonHex(hex.EncodeToString(sum[:]))
}

// ColonHex writes hex digits as upper-case pairs joined by colons, the
// form Fingerprint gives and browsers show ("AB:CD:…").
func ColonHex(h string) string {
	h = strings.ToUpper(h)
	var b strings.Builder
	for i := 0; i+1 < len(h); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(h[i : i+2])
	}
	return b.String()
}

// DrainClose reads a little of a body and closes it so that the
// connection can be reused.
func DrainClose(resp *http.Response) {
	_, _ = io.CopyN(io.Discard, resp.Body, 64<<10)
	_ = resp.Body.Close()
}

// StatusError turns an unexpected HTTP status into a typed error. body is
// the start of the response body, kept for logs only (redacted).
func StatusError(resp *http.Response, body []byte) *Error {
	cause := fmt.Errorf("%s %s: %s: %s", resp.Request.Method, Redact(resp.Request.URL.String()), resp.Status, Redact(strings.TrimSpace(string(body))))
	switch resp.StatusCode {
	case http.StatusUnauthorized:
		return &Error{Kind: KindAuth, Message: lang.L("The platform did not accept the sign-in."), Err: cause}
	case http.StatusForbidden:
		return &Error{Kind: KindPermission, Message: lang.L("This account is not allowed to do that."), Err: cause}
	case http.StatusNotFound, http.StatusGone:
		return &Error{Kind: KindNotFound, Message: lang.L("The server says it does not have this."), Err: cause}
	case http.StatusTooManyRequests:
		return &Error{Kind: KindRateLimited, Message: lang.L("The platform asked Cloudreel to slow down."), Retry: RetryAfter(resp.Header, time.Minute), Err: cause}
	}
	if resp.StatusCode >= 500 {
		return &Error{Kind: KindUnreachable, Message: lang.L("The server had a problem ({{.Status}}).", map[string]any{"Status": resp.Status}), Err: cause}
	}
	return &Error{Kind: KindInvalid, Message: lang.L("The server answered {{.Status}}, which Cloudreel did not expect.", map[string]any{"Status": resp.Status}), Err: cause}
}

// ReadBody reads at most limit bytes of a response body and closes it.
func ReadBody(resp *http.Response, limit int64) ([]byte, error) {
	defer resp.Body.Close()
	return io.ReadAll(io.LimitReader(resp.Body, limit))
}

func jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return d/2 + rand.N(d/2+1)
}

type waitNoticeKey struct{}

// WithWaitNotice returns a context that tells f each time a call made with
// it waits for the platform (a 429 and its Retry-After, or a retry after a
// fault), so that whoever started the call can say "waiting" to a person
// without reaching into the connector.
func WithWaitNotice(ctx context.Context, f func(wait time.Duration, reason error)) context.Context {
	return context.WithValue(ctx, waitNoticeKey{}, f)
}

// SignedCall is one call to a platform's API that carries a sign-in token.
type SignedCall struct {
	// Platform names the platform in messages ("Zoom").
	Platform string
	// Token returns the token to send. rejected is the token the platform
	// has just refused with a 401 ("" on the first try): it must not be
	// handed out again, so a fresh sign-in (or a fresh JWT) follows.
	Token func(ctx context.Context, rejected string) (string, error)
	// Request builds the request with the token; it is called again for
	// every try, since a body can be read only once.
	Request func(ctx context.Context, token string) (*http.Request, error)
	// Limit is the most bytes of the answer read (default 16 MiB).
	Limit int64
}

// DoSigned sends a signed call. A 401 is answered by signing in again once
// (tokens expire without notice); a second 401 is returned like any other
// answer. It returns the final response, whose body is already read and
// closed, with that body; the caller judges the status.
func (c *APIClient) DoSigned(ctx context.Context, call SignedCall) (*http.Response, []byte, error) {
	limit := call.Limit
	if limit <= 0 {
		limit = 16 << 20
	}
	var rejected string
	for attempt := 0; ; attempt++ {
		tok, err := call.Token(ctx, rejected)
		if err != nil {
			return nil, nil, err
		}
		resp, err := c.Do(ctx, func(ctx context.Context) (*http.Request, error) { return call.Request(ctx, tok) })
		if err != nil {
			return nil, nil, err
		}
		if resp.StatusCode == http.StatusUnauthorized && attempt == 0 {
			DrainClose(resp)
			rejected = tok
			continue
		}
		body, err := ReadBody(resp, limit)
		if err != nil {
			return nil, nil, NewError(KindUnreachable, Redacted(err), lang.L("The answer from {{.Platform}} was cut off.", map[string]any{"Platform": spokenName(call.Platform)}))
		}
		return resp, body, nil
	}
}

// DecodeJSON reads a platform's JSON answer into out, with a plain error
// when it cannot.
func DecodeJSON(platform string, body []byte, out any) error {
	if err := json.Unmarshal(body, out); err != nil {
		return NewError(KindInvalid, err, lang.L("{{.Platform}} sent an answer Cloudreel could not read.", map[string]any{"Platform": spokenName(platform)}))
	}
	return nil
}

// spokenName is the name a connector gives its platform in messages (a
// Title, "Zoom", "the Valt server") in the language spoken: Platform.Name
// for a Title, so that Chinese says 华为云会议 in these sentences too.
func spokenName(name string) string {
	for _, p := range Platforms {
		if p.Title() == name {
			return p.Name()
		}
	}
	switch name {
	case "the Valt server":
		return lang.L("the Valt server")
	case "The Valt server":
		return lang.L("The Valt server")
	}
	return name
}

// ServerBase reads an account's server address: trimmed of spaces and a
// trailing slash, def when it is empty, and a KindInvalid error naming
// example when it is not an http(s) address with a host. An address with
// a user name or password in it (https://user:password@host) is refused
// without repeating it: it would be stored and shown in plain text.
func ServerBase(server, def, example string) (string, error) {
	base := strings.TrimRight(strings.TrimSpace(server), "/")
	if base == "" {
		base = def
	}
	if hasUserInfo(base) {
		return "", NewError(KindInvalid, nil, lang.L("A server address must not contain a user name or password (the part before @): enter only the address, like {{.Example}}, and the user name and password in their own fields.", map[string]any{"Example": example}))
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", NewError(KindInvalid, err, lang.L(`"{{.Text}}" is not a server address; it should look like {{.Example}}.`, map[string]any{"Text": server, "Example": example}))
	}
	return base, nil
}

// hasUserInfo reports whether an address has a user name or password
// before its host (an @ in the part after the scheme and before the path).
func hasUserInfo(addr string) bool {
	if _, rest, ok := strings.Cut(addr, "://"); ok {
		addr = rest
	}
	if i := strings.IndexAny(addr, "/?#"); i >= 0 {
		addr = addr[:i]
	}
	return strings.Contains(addr, "@")
}

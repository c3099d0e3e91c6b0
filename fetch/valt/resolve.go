package valt

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"
	"github.com/golang-jwt/jwt/v5"

	"cloudreel/fetch"
)

// linkTTL is how long Valt's download URL lives (its JWT: 30 minutes).
const linkTTL = 30 * time.Minute

// errNoURL is the cause when a download answer has no url.
var errNoURL = errors.New("the download answer has no url")

// downloadAnswer is the answer of GET /api/v3/records/download/{rec}/{video},
// after unwrapData: seed 000 shows {"url"} bare, its table under "data".
type downloadAnswer struct {
	URL string `json:"url"`
}

// Resolve implements fetch.Connector: it asks Valt for a fresh download
// URL of the video, valid 30 minutes.
func (c *Connector) Resolve(ctx context.Context, f fetch.File) (fetch.Source, error) {
	videoID := f.Ref
	if videoID == "" {
		videoID = f.ID
	}
	if f.RecordingID == "" || videoID == "" {
		return fetch.Source{}, fetch.NewError(fetch.KindInvalid, nil, lang.L("This Valt file has no record or video id."))
	}
	var ans downloadAnswer
	path := "/api/v3/records/download/" + url.PathEscape(f.RecordingID) + "/" + url.PathEscape(videoID)
	if err := c.call(ctx, http.MethodGet, path, nil, &ans); err != nil {
		if fetch.KindOf(err) == fetch.KindNotFound {
			return fetch.Source{}, &fetch.Error{Kind: fetch.KindNotFound, Message: lang.L("This video is no longer on the Valt server."), Err: err}
		}
		return fetch.Source{}, err
	}
	src, err := sourceFromURL(c.base, ans.URL, time.Now())
	if err != nil {
		return fetch.Source{}, err
	}
	src.Size = f.Size
	src.HTTP = c.downloadClient()
	return src, nil
}

// sourceFromURL reads a download URL from Valt: its filename= suggestion,
// and how long its token lives.
func sourceFromURL(base, raw string, now time.Time) (fetch.Source, error) {
	if strings.TrimSpace(raw) == "" {
		return fetch.Source{}, fetch.NewError(fetch.KindInvalid, errNoURL, lang.L("The Valt server gave no download link."))
	}
	ref, err := url.Parse(raw)
	if err != nil {
		return fetch.Source{}, fetch.NewError(fetch.KindInvalid, fetch.Redacted(err), lang.L("The Valt server gave a download link that is not a link."))
	}
	b, err := url.Parse(base + "/")
	if err != nil {
		return fetch.Source{}, fetch.NewError(fetch.KindInvalid, err, lang.L("The Valt server address is not valid."))
	}
	u := b.ResolveReference(ref) // a relative link is on the server's host
	if u.Scheme != "http" && u.Scheme != "https" {
		return fetch.Source{}, fetch.NewError(fetch.KindInvalid, nil, lang.L("The Valt server gave a download link that is not a web address."))
	}
	q := u.Query()
	tok := q.Get("access_token")
	fetch.AddSecret(tok)
	return fetch.Source{
		URL:           u.String(),
		Expires:       linkExpiry(tok, now),
		SuggestedName: suggestedName(q.Get("filename")),
	}, nil
}

// downloadClient is the client the queue must fetch this account's files
// with when the user pinned the server's certificate: Valt serves files from
// the same self-signed host, so only the pinned transport reaches them. It
// has no overall timeout (a file may take hours) and asks for no
// compression (it would break byte ranges). Nil when nothing is pinned.
func (c *Connector) downloadClient() *http.Client {
	if c.cfg.Pin == "" || c.cfg.HTTP != nil {
		return nil
	}
	t := fetch.PinnedTransport(c.cfg.Pin)
	t.DisableCompression = true
	return &http.Client{Transport: t}
}

// linkExpiry is when a download link dies: 30 minutes from now, or
// earlier if its token says so. The token is Valt's JWT; its signature is
// not checked (Cloudreel has no key for it): exp is only a hint.
func linkExpiry(tok string, now time.Time) time.Time {
	exp := now.Add(linkTTL)
	var claims jwt.RegisteredClaims
	if _, _, err := jwt.NewParser().ParseUnverified(tok, &claims); err == nil && claims.ExpiresAt != nil {
		if t := claims.ExpiresAt.Time; t.Before(exp) {
			exp = t
		}
	}
	return exp.UTC()
}

// suggestedName undoes Valt's double encoding of filename= (spaces made
// '+', then percent-encoded again: Just%2Ba%2Broom). It stays untrusted:
// the queue makes it safe before using any of it.
func suggestedName(v string) string {
	if strings.Contains(v, "+") && !strings.Contains(v, " ") {
		if d, err := url.QueryUnescape(v); err == nil {
			return d
		}
	}
	return v
}

// Package valt is the connector for Valt (IPIVS), the on-premises
// recording system: sign-in with a user name and password, records listed
// by date, a 30-minute download link per video.
package valt

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"fyne.io/fyne/v2/lang"
	"golang.org/x/sync/singleflight"

	"cloudreel/fetch"
)

// Config is what a Valt account needs to connect.
type Config struct {
	Server   string       // the Valt host, e.g. https://valt.school.edu
	Username string       // not secret
	Password string       // secret
	Pin      string       // SHA-256 fingerprint of a trusted self-signed certificate, or ""
	HTTP     *http.Client // optional; tests pass the simulator's client

	// RateLimit is the most API calls a second (default 10): Valt
	// documents no limit, and it runs on the customer's own machine.
	RateLimit float64
	// Backoff is the first pause before retrying a failed call (default
	// the APIClient's); tests make it short.
	Backoff time.Duration
	// PageSize is how many records one list call asks for (default 100).
	PageSize int
}

// Connector talks to one Valt account. It is safe for concurrent use.
type Connector struct {
	cfg  Config
	base string // server URL without a trailing slash
	api  *fetch.APIClient

	mu    sync.Mutex
	token string // the cached access token, "" before sign-in

	// signIns lets one sign-in run at a time, however many calls need a
	// token: each new Valt token cancels the previous one, so two
	// sign-ins at once leave one of the calls with a dead token.
	signIns singleflight.Group

	up uploadState // the upload reading learned, and the upload client (upload.go)
}

// signInTimeout bounds a sign-in that no single caller owns (see
// accessToken), retries included.
const signInTimeout = 2 * time.Minute

var _ fetch.Connector = (*Connector)(nil)

// New returns a connector for cfg. It does not sign in: Check does.
func New(cfg Config) (*Connector, error) {
	base, err := fetch.ServerBase(cfg.Server, "", "https://valt.school.edu")
	if err != nil {
		return nil, err
	}
	if cfg.Username == "" || cfg.Password == "" {
		return nil, fetch.NewError(fetch.KindInvalid, nil, lang.L("A Valt account needs a user name and a password."))
	}
	fetch.AddSecret(cfg.Password)
	if cfg.RateLimit <= 0 {
		cfg.RateLimit = 10
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 100
	}
	hc := cfg.HTTP
	if hc == nil {
		// On-premises servers often have a self-signed certificate: the
		// pin lets the user trust exactly that one, with verification on.
		hc = &http.Client{Transport: fetch.PinnedTransport(cfg.Pin), Timeout: 60 * time.Second}
	}
	api := fetch.NewAPIClient(hc, cfg.RateLimit)
	api.Backoff = cfg.Backoff
	return &Connector{cfg: cfg, base: base, api: api}, nil
}

// Platform implements fetch.Connector.
func (c *Connector) Platform() fetch.Platform { return fetch.Valt }

// HTTPClient is the client the connector calls Valt with. Downloads of
// Valt's files should go through it too, since the media server is the
// same host and the certificate pin must apply to it.
func (c *Connector) HTTPClient() *http.Client { return c.api.HTTP }

// Check implements fetch.Connector: it signs in afresh, so that a changed
// password shows now, and lists one record.
func (c *Connector) Check(ctx context.Context) error {
	c.mu.Lock()
	c.token = ""
	c.mu.Unlock()
	var page recordsPage
	if err := c.call(ctx, http.MethodPost, "/api/v3/records", listRequest{Limit: 1}, &page); err != nil {
		return fmt.Errorf("checking the Valt account: %w", err)
	}
	return nil
}

// login signs in and caches the access token.
func (c *Connector) login(ctx context.Context) (string, error) {
	body, _ := json.Marshal(map[string]string{"username": c.cfg.Username, "password": c.cfg.Password})
	resp, err := c.api.Do(ctx, func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/api/v3/login", bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
		return req, nil
	})
	if err != nil {
		return "", fmt.Errorf("signing in to Valt: %w", err)
	}
	raw, err := fetch.ReadBody(resp, 1<<20)
	if err != nil {
		return "", fetch.NewError(fetch.KindUnreachable, err, lang.L("The Valt server stopped answering during sign-in."))
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return "", &fetch.Error{Kind: fetch.KindAuth, Message: lang.L("Valt did not accept the user name or password."),
			Err: fetch.StatusError(resp, raw)}
	case resp.StatusCode == http.StatusNotFound:
		return "", &fetch.Error{Kind: fetch.KindInvalid, Message: lang.L("No Valt server answered at {{.Server}}. Check the server address.", map[string]any{"Server": c.base}),
			Err: fetch.StatusError(resp, raw)}
	case resp.StatusCode/100 != 2:
		return "", fmt.Errorf("signing in to Valt: %w", fetch.StatusError(resp, raw))
	}
	var out struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(unwrapData(raw), &out); err != nil || out.AccessToken == "" {
		return "", fetch.NewError(fetch.KindInvalid, err, lang.L("The Valt server's answer to the sign-in makes no sense. Check the server address."))
	}
	fetch.AddSecret(out.AccessToken)
	c.mu.Lock()
	c.token = out.AccessToken
	c.mu.Unlock()
	return out.AccessToken, nil
}

// accessToken returns the cached token unless it is the one Valt just
// rejected; otherwise it signs in, one sign-in at a time: calls that ask
// meanwhile wait for that sign-in's token. A call rejected with a token
// that another call has already renewed simply gets the renewed one.
func (c *Connector) accessToken(ctx context.Context, rejected string) (string, error) {
	c.mu.Lock()
	tok := c.token
	c.mu.Unlock()
	if tok != "" && tok != rejected {
		return tok, nil
	}
	ch := c.signIns.DoChan("login", func() (any, error) {
		// The sign-in serves every caller waiting for it, so it must not
		// end when the one that happened to start it gives up.
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), signInTimeout)
		defer cancel()
		return c.login(lctx)
	})
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case res := <-ch:
		if res.Err != nil {
			return "", res.Err
		}
		return res.Val.(string), nil
	}
}

// call sends one API request with the access token and decodes the JSON
// answer (unwrapped from "data" when it is there) into out. A 401 signs in
// again once: Valt documents no token lifetime and no refresh.
func (c *Connector) call(ctx context.Context, method, path string, in, out any) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return fmt.Errorf("encoding the request to %s: %w", path, err)
		}
	}
	resp, raw, err := c.api.DoSigned(ctx, fetch.SignedCall{
		Platform: "the Valt server",
		Token:    c.accessToken,
		Request: func(ctx context.Context, tok string) (*http.Request, error) {
			var rd io.Reader // a nil interface, not a nil *bytes.Reader, when there is no body
			if body != nil {
				rd = bytes.NewReader(body)
			}
			u := c.base + path + "?access_token=" + url.QueryEscape(tok)
			req, err := http.NewRequestWithContext(ctx, method, u, rd)
			if err != nil {
				return nil, err
			}
			if body != nil {
				req.Header.Set("Content-Type", "application/json")
			}
			req.Header.Set("Accept", "application/json")
			return req, nil
		},
	})
	if err != nil {
		return err
	}
	if resp.StatusCode == http.StatusUnauthorized {
		return &fetch.Error{Kind: fetch.KindAuth, Message: lang.L("Valt signed Cloudreel out and did not accept the user name and password again."),
			Err: fetch.StatusError(resp, raw)}
	}
	if resp.StatusCode/100 != 2 {
		return fetch.StatusError(resp, raw)
	}
	return fetch.DecodeJSON("The Valt server", unwrapData(raw), out)
}

// unwrapData returns the object under "data" when raw has one, else raw:
// Valt wraps most answers in {"data":...} but seed 000 shows the download
// answer both bare and wrapped.
func unwrapData(raw []byte) []byte {
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(raw, &env); err == nil {
		if d := bytes.TrimSpace(env.Data); len(d) > 0 && d[0] == '{' {
			return d
		}
	}
	return raw
}

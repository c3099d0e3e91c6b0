// Package zoomsdk is the connector for Zoom Video SDK cloud recordings:
// a self-signed HS256 JWT, sessions listed a month at a time, and
// download_url links authorised with a fresh JWT.
package zoomsdk

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2/lang"
	"github.com/golang-jwt/jwt/v5"

	"cloudreel/fetch"
	"cloudreel/fetch/pace"
)

// DefaultServer is Zoom's API base.
const DefaultServer = "https://api.zoom.us/v2"

// The list call's documented rates (Zoom's rate limits page, "Medium"):
// 20 calls a second on Pro accounts, 60 on Business and above. Cloudreel
// cannot tell the plan, so it starts at the lower and feels its way up.
const (
	DefaultRate = 20
	MaxRate     = 60
)

// maxTokenTTL is the longest a JWT is made to live: Zoom advises an hour
// at most.
const maxTokenTTL = time.Hour

// Config is what a Zoom Video SDK account needs to connect.
type Config struct {
	Server    string // API base, default https://api.zoom.us/v2
	APIKey    string // not secret
	APISecret string // secret
	HTTP      *http.Client

	// RateLimit is the rate of the first API calls, a second (default 20:
	// the list call is "Medium", 20 a second on Pro accounts). The pace
	// halves on a 429 and creeps back up to MaxRateLimit.
	RateLimit float64
	// MaxRateLimit is the fastest the pace goes (default 60, "Medium" on
	// Business accounts and above; never below RateLimit).
	MaxRateLimit float64
	// Pace, when set, is the pace to keep instead of a new one: Zoom
	// counts an account's calls together, so connectors of one account
	// may share it, and tests watch it.
	Pace *pace.Pace
	// Windows is how many month windows are listed side by side (default
	// 4); each window's pages still go one after another, as
	// next_page_token requires.
	Windows int
	// Backoff is the first pause before retrying a failed call (default
	// the APIClient's); tests make it short.
	Backoff time.Duration
	// PageSize is the page_size asked for (default 300, Zoom's largest;
	// Zoom may give fewer, and the walk follows next_page_token anyway).
	PageSize int
	// TokenTTL is how long each minted JWT lives (default and at most 1h).
	// A token is minted again once half of that has passed.
	TokenTTL time.Duration
}

// Connector talks to one Zoom Video SDK account. It is safe for
// concurrent use.
type Connector struct {
	cfg  Config
	base string
	api  *fetch.APIClient

	mu     sync.Mutex
	token  string // the cached JWT, "" before the first call
	expiry time.Time
}

var _ fetch.Connector = (*Connector)(nil)

// New returns a connector for cfg.
func New(cfg Config) (*Connector, error) {
	base, err := fetch.ServerBase(cfg.Server, DefaultServer, DefaultServer)
	if err != nil {
		return nil, err
	}
	if cfg.APIKey == "" || cfg.APISecret == "" {
		return nil, fetch.NewError(fetch.KindInvalid, nil, lang.L("A Zoom Video SDK account needs an API key and an API secret."))
	}
	fetch.AddSecret(cfg.APISecret)
	if cfg.RateLimit <= 0 {
		cfg.RateLimit = DefaultRate
	}
	if cfg.MaxRateLimit <= 0 {
		cfg.MaxRateLimit = MaxRate
	}
	if cfg.Windows <= 0 {
		cfg.Windows = 4
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 300
	}
	if cfg.TokenTTL <= 0 || cfg.TokenTTL > maxTokenTTL {
		cfg.TokenTTL = maxTokenTTL
	}
	api := fetch.NewAPIClient(cfg.HTTP, cfg.RateLimit)
	api.Backoff = cfg.Backoff
	api.Pace = cfg.Pace
	if api.Pace == nil {
		api.Pace = pace.New(pace.Config{Start: cfg.RateLimit, Ceiling: max(cfg.MaxRateLimit, cfg.RateLimit)})
	}
	return &Connector{cfg: cfg, base: base, api: api}, nil
}

// Platform implements fetch.Connector.
func (c *Connector) Platform() fetch.Platform { return fetch.ZoomSDK }

// Check implements fetch.Connector: Zoom has no sign-in call, so it mints
// a token and lists today's first session, which fails on a wrong secret.
func (c *Connector) Check(ctx context.Context) error {
	c.mu.Lock()
	c.token = ""
	c.mu.Unlock()
	today := time.Now().UTC().Format(time.DateOnly)
	var page listPage
	v := url.Values{"from": {today}, "to": {today}, "page_size": {"1"}}
	if err := c.call(ctx, "/videosdk/recordings", v, &page); err != nil {
		return fmt.Errorf("checking the Zoom Video SDK account: %w", err)
	}
	return nil
}

// mint signs a new JWT: HS256 with the API secret, iss the API key. iat
// is set 30 seconds back, as Zoom's own samples do, for clock skew.
func (c *Connector) mint(now time.Time) (string, time.Time, error) {
	exp := now.Add(c.cfg.TokenTTL)
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.RegisteredClaims{
		Issuer:    c.cfg.APIKey,
		IssuedAt:  jwt.NewNumericDate(now.Add(-30 * time.Second)),
		ExpiresAt: jwt.NewNumericDate(exp),
	}).SignedString([]byte(c.cfg.APISecret))
	if err != nil {
		return "", time.Time{}, fetch.NewError(fetch.KindInvalid, err, lang.L("Cloudreel could not sign a Zoom token with this API secret."))
	}
	fetch.AddSecret(tok)
	return tok, exp.Truncate(time.Second), nil
}

// jwt returns the cached token, minted again once half its life has gone,
// so that a link made from it stays usable for a while.
func (c *Connector) jwt(now time.Time) (string, time.Time, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token != "" && c.expiry.Sub(now) >= c.cfg.TokenTTL/2 {
		return c.token, c.expiry, nil
	}
	tok, exp, err := c.mint(now)
	if err != nil {
		return "", time.Time{}, err
	}
	c.token, c.expiry = tok, exp
	return tok, exp, nil
}

// dropToken forgets tok, unless another call already replaced it.
func (c *Connector) dropToken(tok string) {
	c.mu.Lock()
	if c.token == tok {
		c.token = ""
	}
	c.mu.Unlock()
}

// apiError is Zoom's error body, {"code","message"}, with the status.
type apiError struct {
	Status  int    `json:"-"`
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *apiError) Error() string {
	return fmt.Sprintf("Zoom answered %d, code %d: %s", e.Status, e.Code, e.Message)
}

// call sends GET path?query with a Bearer JWT and decodes the JSON answer
// into out. On a 401 it mints a new token and tries once more.
func (c *Connector) call(ctx context.Context, path string, query url.Values, out any) error {
	resp, raw, err := c.api.DoSigned(ctx, fetch.SignedCall{
		Platform: "Zoom",
		Token: func(ctx context.Context, rejected string) (string, error) {
			if rejected != "" {
				c.dropToken(rejected)
			}
			tok, _, err := c.jwt(time.Now())
			return tok, err
		},
		Request: func(ctx context.Context, tok string) (*http.Request, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path+"?"+query.Encode(), nil)
			if err != nil {
				return nil, err
			}
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Accept", "application/json")
			return req, nil
		},
	})
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return zoomError(resp, raw)
	}
	return fetch.DecodeJSON("Zoom", raw, out)
}

// zoomError types an error answer, keeping Zoom's code and message.
func zoomError(resp *http.Response, raw []byte) error {
	base := fetch.StatusError(resp, raw)
	e := &fetch.Error{Kind: base.Kind, Message: base.Message, Retry: base.Retry, Err: base}
	ae := &apiError{Status: resp.StatusCode}
	known := json.Unmarshal(raw, ae) == nil && ae.Message != ""
	if known {
		e.Err = ae
	}
	switch resp.StatusCode {
	case http.StatusUnauthorized:
		e.Message = lang.L("Zoom did not accept the API key and secret.")
	case http.StatusNotFound:
		e.Message = lang.L("Zoom says this recording does not exist.")
	case http.StatusBadRequest:
		if known {
			e.Message = lang.L("Zoom refused the request: {{.Why}}.", map[string]any{"Why": strings.TrimSuffix(ae.Message, ".")})
		}
	}
	return e
}

// Resolve implements fetch.Connector: the file's download_url with a
// fresh JWT as access_token. It makes no request.
func (c *Connector) Resolve(ctx context.Context, f fetch.File) (fetch.Source, error) {
	if err := ctx.Err(); err != nil {
		return fetch.Source{}, err
	}
	if f.Ref == "" {
		return fetch.Source{}, fetch.NewError(fetch.KindInvalid, nil, lang.L("Zoom gave no download link for this file."))
	}
	u, err := url.Parse(f.Ref)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return fetch.Source{}, fetch.NewError(fetch.KindInvalid, err, lang.L("Zoom gave a download link that is not a web address."))
	}
	tok, exp, err := c.jwt(time.Now())
	if err != nil {
		return fetch.Source{}, err
	}
	q := u.Query()
	q.Set("access_token", tok)
	u.RawQuery = q.Encode()
	return fetch.Source{URL: u.String(), Size: f.Size, Expires: exp}, nil
}

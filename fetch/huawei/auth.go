package huawei

import (
	"bytes"
	"context"
	"crypto/hmac"
	crand "crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"fyne.io/fyne/v2/lang"

	"cloudreel/fetch"
)

// clientType 72 is what Huawei's sign-in expects from API clients.
const clientType = 72

// defaultTokenLife is used when an answer gives no lifetime: the shortest
// Huawei documents (tokens live 12 to 24 hours).
const defaultTokenLife = 12 * time.Hour

// tokenAnswer is the part of a sign-in or UpdateToken answer Cloudreel
// uses. Both are documented with the same fields.
type tokenAnswer struct {
	AccessToken string       `json:"accessToken"`
	ValidPeriod fetch.Number `json:"validPeriod"` // seconds
	ExpireTime  fetch.Number `json:"expireTime"`  // unix seconds
}

// tokenFlight is one sign-in or renewal under way; every caller that
// needs a token meanwhile waits for it instead of starting another.
type tokenFlight struct {
	done  chan struct{}
	token string
	err   error
}

// accessToken returns a live token. rejected is the token the API has
// just refused with a 401 ("" otherwise): it is never handed out again.
// Near its expiry a token is renewed (PUT /v1/usg/acs/token), falling back
// to signing in again; a rejected token is replaced by signing in.
//
// One sign-in or renewal runs at a time per connector: calls that need a
// token while one is under way wait for it and use its token, so several
// calls meeting a 401 together cause one sign-in, and a call whose token
// was renewed while it was in flight simply takes the new one.
func (c *Connector) accessToken(ctx context.Context, rejected string) (string, error) {
	for {
		c.mu.Lock()
		if c.token != "" && c.token != rejected && c.now().Before(c.renewAt) {
			tok := c.token
			c.mu.Unlock()
			return tok, nil
		}
		if f := c.flight; f != nil {
			c.mu.Unlock()
			select {
			case <-f.done:
			case <-ctx.Done():
				return "", ctx.Err()
			}
			// A flight ended by its own caller's cancellation says nothing
			// about this call: try again (another flight may start).
			if f.err != nil && (errors.Is(f.err, context.Canceled) || errors.Is(f.err, context.DeadlineExceeded)) && ctx.Err() == nil {
				continue
			}
			return f.token, f.err
		}
		f := &tokenFlight{done: make(chan struct{})}
		c.flight = f
		renewable := ""
		if c.token != "" && c.token != rejected && c.now().Before(c.expiresAt) {
			renewable = c.token
		}
		c.mu.Unlock()

		f.token, f.err = c.freshToken(ctx, renewable)
		c.mu.Lock()
		c.flight = nil
		c.mu.Unlock()
		close(f.done)
		return f.token, f.err
	}
}

// freshToken renews old when there is one and signs in otherwise or when
// the renewal fails, and keeps the new token. It runs in one flight.
func (c *Connector) freshToken(ctx context.Context, old string) (string, error) {
	issued := c.now()
	var (
		ans tokenAnswer
		err error
	)
	if old != "" {
		ans, err = c.renew(ctx, old)
		if err == nil && ans.AccessToken == "" {
			ans.AccessToken = old // a renewal that extends the same token may not repeat it
		}
	}
	if old == "" || err != nil {
		if ans, err = c.signIn(ctx); err != nil {
			return "", err
		}
	}
	life := time.Duration(float64(ans.ValidPeriod) * float64(time.Second))
	if life <= 0 && ans.ExpireTime > 0 {
		life = time.Unix(int64(ans.ExpireTime), 0).Sub(issued)
	}
	if life <= 0 {
		life = defaultTokenLife
	}
	fetch.AddSecret(ans.AccessToken)
	c.mu.Lock()
	defer c.mu.Unlock()
	// Renew a tenth of the lifetime early (at most ten minutes), so that
	// a long download run never sends a token in its last moments.
	c.token = ans.AccessToken
	c.expiresAt = issued.Add(life)
	c.renewAt = issued.Add(life - min(life/10, 10*time.Minute))
	return c.token, nil
}

// renew asks for the token's validity to be extended (UpdateToken: PUT
// /v1/usg/acs/token, the token in X-Access-Token, no body).
func (c *Connector) renew(ctx context.Context, old string) (tokenAnswer, error) {
	return c.tokenCall(ctx, http.MethodPut, "/v1/usg/acs/token", nil, func(h http.Header) {
		h.Set("X-Access-Token", old)
	}, lang.L("Huawei Cloud Meeting did not renew the sign-in."))
}

// signIn asks for a new access token with whichever credentials the
// account has.
func (c *Connector) signIn(ctx context.Context) (tokenAnswer, error) {
	if c.cfg.AppID != "" {
		expire := c.now().Add(10 * time.Minute).Unix() // how long this signed request stays valid
		nonce := newNonce()
		body := map[string]any{"appId": c.cfg.AppID, "clientType": clientType, "expireTime": expire, "nonce": nonce}
		// userId may be left out: the enterprise's default administrator
		// signs in. corpId is sent only by an SP's App ID: a
		// single-enterprise App ID that sends one is refused.
		if c.cfg.UserID != "" {
			body["userId"] = c.cfg.UserID
		}
		if c.cfg.CorpID != "" {
			body["corpId"] = c.cfg.CorpID
		}
		auth := "HMAC-SHA256 signature=" + appSignature(c.cfg.AppID, c.cfg.CorpID, c.cfg.UserID, expire, nonce, c.cfg.AppKey)
		return c.tokenCall(ctx, http.MethodPost, "/v2/usg/acs/auth/appauth", body, func(h http.Header) {
			h.Set("Authorization", auth)
		}, lang.L("Huawei Cloud Meeting did not accept the App ID, App key, user ID or corp ID."))
	}
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte(c.cfg.Account+":"+c.cfg.Password))
	return c.tokenCall(ctx, http.MethodPost, "/v1/usg/acs/auth/account", map[string]any{"account": c.cfg.Account, "clientType": clientType},
		func(h http.Header) { h.Set("Authorization", auth) }, lang.L("Huawei Cloud Meeting did not accept the account or password."))
}

// tokenCall sends a sign-in or renewal request and reads its token
// answer; a 401 or 403 is a KindAuth error that says refused.
func (c *Connector) tokenCall(ctx context.Context, method, path string, body any, header func(http.Header), refused string) (tokenAnswer, error) {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return tokenAnswer{}, fmt.Errorf("encoding the sign-in request: %w", err)
		}
	}
	resp, err := c.api.Do(ctx, func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(payload))
		if err != nil {
			return nil, err
		}
		header(req.Header)
		if body != nil {
			req.Header.Set("Content-Type", "application/json; charset=UTF-8")
		}
		req.Header.Set("Accept", "application/json")
		return req, nil
	})
	if err != nil {
		return tokenAnswer{}, fmt.Errorf("signing in to Huawei Cloud Meeting: %w", err)
	}
	raw, err := fetch.ReadBody(resp, 1<<20)
	if err != nil && !errors.Is(err, io.EOF) {
		return tokenAnswer{}, fetch.NewError(fetch.KindUnreachable, fetch.Redacted(err), lang.L("The sign-in answer from Huawei Cloud Meeting was cut off."))
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		e := fetch.StatusError(resp, raw)
		e.Kind, e.Message = fetch.KindAuth, refused
		return tokenAnswer{}, e
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return tokenAnswer{}, fmt.Errorf("signing in to Huawei Cloud Meeting: %w", fetch.StatusError(resp, raw))
	}
	var ans tokenAnswer
	if err := json.Unmarshal(raw, &ans); err != nil || (ans.AccessToken == "" && method == http.MethodPost) {
		return tokenAnswer{}, fetch.NewError(fetch.KindInvalid, fetch.Redacted(err), lang.L("Huawei Cloud Meeting's sign-in answer had no access token."))
	}
	return ans, nil
}

// appSignature is hex(HMAC-SHA256(text, appKey)) where text is
// appId:userId:expireTime:nonce for a single-enterprise App ID (no corp
// ID) and appId:corpId:userId:expireTime:nonce for an SP's. An empty user
// ID keeps its colons ("appId::expireTime:nonce").
func appSignature(appID, corpID, userID string, expireTime int64, nonce, appKey string) string {
	m := hmac.New(sha256.New, []byte(appKey))
	if corpID != "" {
		fmt.Fprintf(m, "%s:%s:%s:%d:%s", appID, corpID, userID, expireTime, nonce)
	} else {
		fmt.Fprintf(m, "%s:%s:%d:%s", appID, userID, expireTime, nonce)
	}
	return hex.EncodeToString(m.Sum(nil))
}

// newNonce is 48 random hex characters (Huawei asks for 32 to 64).
func newNonce() string {
	var b [24]byte
	_, _ = crand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// get calls an API path with the access token and decodes a successful
// JSON answer into out. A 401 signs in again once and repeats the call.
func (c *Connector) get(ctx context.Context, path string, q url.Values, out any) error {
	u := c.base + path + "?" + q.Encode()
	resp, raw, err := c.api.DoSigned(ctx, fetch.SignedCall{
		Platform: "Huawei Cloud Meeting",
		Token:    c.accessToken,
		Request: func(ctx context.Context, tok string) (*http.Request, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
			if err != nil {
				return nil, err
			}
			req.Header.Set("X-Access-Token", tok)
			req.Header.Set("Accept", "application/json")
			return req, nil
		},
	})
	if err != nil {
		return err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := fetch.StatusError(resp, raw)
		if resp.StatusCode == http.StatusUnauthorized {
			e.Message = lang.L("Huawei Cloud Meeting no longer accepts this account's sign-in.")
		}
		return e
	}
	return fetch.DecodeJSON("Huawei Cloud Meeting", raw, out)
}

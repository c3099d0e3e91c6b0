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

	"cloudreel/fetch"
)

// clientType 72 is what Huawei's sign-in expects from API clients.
const clientType = 72

// signInAnswer is the part of the sign-in answer Cloudreel uses.
type signInAnswer struct {
	AccessToken string `json:"accessToken"`
	ValidPeriod int64  `json:"validPeriod"` // seconds
}

// accessToken returns a live token, signing in when there is none, it is
// near its expiry, or it is the one the API just rejected.
func (c *Connector) accessToken(ctx context.Context, rejected string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token != "" && c.token != rejected && c.now().Before(c.renewAt) {
		return c.token, nil
	}
	issued := c.now()
	ans, err := c.signIn(ctx)
	if err != nil {
		return "", err
	}
	life := time.Duration(ans.ValidPeriod) * time.Second
	if life <= 0 {
		life = 12 * time.Hour // the shortest lifetime Huawei documents
	}
	// Renew a tenth of the lifetime early (at most ten minutes), so that
	// a long download run never sends a token in its last moments.
	c.token = ans.AccessToken
	c.renewAt = issued.Add(life - min(life/10, 10*time.Minute))
	return c.token, nil
}

// signIn asks for a new access token with whichever credentials the
// account has.
func (c *Connector) signIn(ctx context.Context) (signInAnswer, error) {
	var (
		path, auth string
		body       any
		refused    string
	)
	if c.cfg.AppID != "" {
		expire := c.now().Add(time.Hour).Unix() // how long this signed request stays valid
		nonce := newNonce()
		path = "/v2/usg/acs/auth/appauth"
		auth = "HMAC-SHA256 signature=" + appSignature(c.cfg.AppID, c.cfg.UserID, expire, nonce, c.cfg.AppKey)
		body = map[string]any{"appId": c.cfg.AppID, "clientType": clientType, "corpId": c.cfg.CorpID,
			"expireTime": expire, "nonce": nonce, "userId": c.cfg.UserID}
		refused = "Huawei Cloud Meeting did not accept the App ID, App key or user ID."
	} else {
		path = "/v1/usg/acs/auth/account"
		auth = "Basic " + base64.StdEncoding.EncodeToString([]byte(c.cfg.Account+":"+c.cfg.Password))
		body = map[string]any{"account": c.cfg.Account, "clientType": clientType}
		refused = "Huawei Cloud Meeting did not accept the account or password."
	}
	payload, err := json.Marshal(body)
	if err != nil {
		return signInAnswer{}, fmt.Errorf("encoding the sign-in request: %w", err)
	}
	resp, err := c.api.Do(ctx, func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, bytes.NewReader(payload))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", auth)
		req.Header.Set("Content-Type", "application/json; charset=UTF-8")
		req.Header.Set("Accept", "application/json")
		return req, nil
	})
	if err != nil {
		return signInAnswer{}, fmt.Errorf("signing in to Huawei Cloud Meeting: %w", err)
	}
	raw, err := fetch.ReadBody(resp, 1<<20)
	if err != nil && !errors.Is(err, io.EOF) {
		return signInAnswer{}, fetch.Errorf(fetch.KindUnreachable, fetch.Redacted(err), "The sign-in answer from Huawei Cloud Meeting was cut off.")
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		e := fetch.StatusError(resp, raw)
		e.Kind, e.Message = fetch.KindAuth, refused
		return signInAnswer{}, e
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return signInAnswer{}, fmt.Errorf("signing in to Huawei Cloud Meeting: %w", fetch.StatusError(resp, raw))
	}
	var ans signInAnswer
	if err := json.Unmarshal(raw, &ans); err != nil || ans.AccessToken == "" {
		return signInAnswer{}, fetch.Errorf(fetch.KindInvalid, fetch.Redacted(err), "Huawei Cloud Meeting's sign-in answer had no access token.")
	}
	fetch.AddSecret(ans.AccessToken)
	return ans, nil
}

// appSignature is hex(HMAC-SHA256(appId:userId:expireTime:nonce, appKey)).
func appSignature(appID, userID string, expireTime int64, nonce, appKey string) string {
	m := hmac.New(sha256.New, []byte(appKey))
	fmt.Fprintf(m, "%s:%s:%d:%s", appID, userID, expireTime, nonce)
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
			e.Message = "Huawei Cloud Meeting no longer accepts this account's sign-in."
		}
		return e
	}
	return fetch.DecodeJSON("Huawei Cloud Meeting", raw, out)
}

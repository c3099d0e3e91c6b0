package ibmvideo

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"fyne.io/fyne/v2/lang"
	"golang.org/x/oauth2"

	"cloudreel/fetch"
)

// token returns a live access token, fetching a new one when there is
// none, it is about to expire, or it is the one the API just rejected
// (so that of several calls rejected at once only one signs in again).
func (c *Connector) token(ctx context.Context, rejected string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tok.Valid() && c.tok.AccessToken != rejected {
		return c.tok.AccessToken, nil
	}
	tok, err := c.creds.Token(context.WithValue(ctx, oauth2.HTTPClient, c.tokenHTTP))
	if err != nil {
		return "", signInError(err)
	}
	if tok.AccessToken == "" {
		return "", fetch.NewError(fetch.KindInvalid, ErrNoToken, lang.L("IBM Video Streaming's sign-in answer had no access token."))
	}
	fetch.AddSecret(tok.AccessToken)
	c.tok = tok
	return tok.AccessToken, nil
}

// signInError turns a failed token request into a typed error.
func signInError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		switch {
		// IBM answers a wrong secret or an unknown client with 400
		// invalid_client (its Authentication page); 401 is RFC 6749's
		// other way to say it.
		case re.ErrorCode == "invalid_client" || re.ErrorCode == "unauthorized_client" ||
			(re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized):
			return &fetch.Error{Kind: fetch.KindAuth, Err: fetch.Redacted(err),
				Message: lang.L("IBM Video Streaming did not accept the client ID or client secret.")}
		// 501 unsupported_grant_type: the token address does not do the
		// client credentials sign-in. No retry changes that.
		case re.ErrorCode == "unsupported_grant_type" ||
			(re.Response != nil && re.Response.StatusCode == http.StatusNotImplemented):
			return &fetch.Error{Kind: fetch.KindInvalid, Err: fetch.Redacted(err),
				Message: lang.L("The IBM Video Streaming sign-in address does not offer the kind of sign-in Cloudreel uses (API client credentials). Check the server and token addresses in the account's settings.")}
		case re.ErrorCode == "invalid_request":
			return &fetch.Error{Kind: fetch.KindInvalid, Err: fetch.Redacted(err),
				Message: lang.L("IBM Video Streaming said Cloudreel's sign-in request was incomplete. Check the client ID in the account's settings.")}
		case re.Response != nil && re.Response.Request != nil:
			return fmt.Errorf("signing in to IBM Video Streaming: %w", fetch.StatusError(re.Response, re.Body))
		}
	}
	var fe *fetch.Error
	if errors.As(err, &fe) { // unreachable, rate-limited, untrusted: already plain
		return fmt.Errorf("signing in to IBM Video Streaming: %w", err)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fetch.NewError(fetch.KindInvalid, fetch.Redacted(err), lang.L("IBM Video Streaming's sign-in answer could not be read."))
}

// apiTransport sends the oauth2 package's token requests through the
// APIClient, so that signing in keeps to the rate limit and is retried on
// 429, 5xx and network faults like every other call.
type apiTransport struct{ api *fetch.APIClient }

// RoundTrip implements http.RoundTripper.
func (t apiTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_ = req.Body.Close() // every try sends a fresh copy from GetBody
	}
	return t.api.Do(req.Context(), func(ctx context.Context) (*http.Request, error) {
		r := req.Clone(ctx)
		if req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			r.Body = body
		}
		return r, nil
	})
}

// call sends an authorized API request and decodes a successful JSON
// answer into out. A 401 signs in again once and repeats the call.
func (c *Connector) call(ctx context.Context, method, rawURL string, out any) error {
	resp, body, err := c.api.DoSigned(ctx, fetch.SignedCall{
		Platform: "IBM Video Streaming",
		Token:    c.token,
		Request: func(ctx context.Context, tok string) (*http.Request, error) {
			req, err := http.NewRequestWithContext(ctx, method, rawURL, nil)
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
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return statusError(resp, body)
	}
	return fetch.DecodeJSON("IBM Video Streaming", body, out)
}

// statusError words IBM's error answers for people.
func statusError(resp *http.Response, body []byte) error {
	e := fetch.StatusError(resp, body)
	switch resp.StatusCode {
	case http.StatusUnauthorized:
		e.Message = lang.L("IBM Video Streaming no longer accepts this account's sign-in.")
	case http.StatusForbidden:
		e.Message = lang.L("This IBM Video Streaming account is not allowed to do that.")
	case http.StatusNotFound:
		e.Message = lang.L("This video is no longer on IBM Video Streaming.")
	}
	return e
}

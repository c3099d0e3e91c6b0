package zoomsdk

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"cloudreel/fetch"
)

var (
	_ fetch.Deleter   = (*Connector)(nil)
	_ fetch.Recoverer = (*Connector)(nil)
)

// Delete implements fetch.Deleter: every recording file of a session goes
// to Zoom's trash (fetch.Trash, recoverable for a while) or is deleted for
// good (fetch.DeleteForever), with DELETE
// /videosdk/sessions/{sessionId}/recordings?action=trash|delete.
func (c *Connector) Delete(ctx context.Context, sessionID string, mode fetch.DeleteMode) error {
	if !slices.Contains(fetch.ZoomSDK.DeleteModes(), mode) {
		return fetch.NewError(fetch.KindInvalid, nil, lang.L("Zoom Video SDK cannot \"{{.Mode}}\" a recording.", map[string]any{"Mode": mode}))
	}
	path := "/videosdk/sessions/" + sessionPath(sessionID) + "/recordings?" + url.Values{"action": {string(mode)}}.Encode()
	return c.change(ctx, http.MethodDelete, path, nil)
}

// Recover implements fetch.Recoverer: a trashed session's recordings come
// back, with PUT /videosdk/sessions/{sessionId}/recordings/status
// {"action":"recover"}.
func (c *Connector) Recover(ctx context.Context, sessionID string) error {
	body, _ := json.Marshal(map[string]string{"action": "recover"})
	return c.change(ctx, http.MethodPut, "/videosdk/sessions/"+sessionPath(sessionID)+"/recordings/status", body)
}

// sessionPath escapes a session id for a path. Zoom asks for an id that
// begins with "/" or holds "//" to be encoded twice.
func sessionPath(id string) string {
	if strings.HasPrefix(id, "/") || strings.Contains(id, "//") {
		return url.PathEscape(url.PathEscape(id))
	}
	return url.PathEscape(id)
}

// change sends a call that changes something and expects 204 (or another
// 2xx) with no body; errors are worded for a clean-up.
func (c *Connector) change(ctx context.Context, method, path string, body []byte) error {
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
			req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(body))
			if err != nil {
				return nil, err
			}
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Accept", "application/json")
			if body != nil {
				req.Header.Set("Content-Type", "application/json")
			}
			return req, nil
		},
	})
	if err != nil {
		return err
	}
	if resp.StatusCode/100 == 2 {
		return nil
	}
	e := zoomError(resp, raw).(*fetch.Error)
	var ae apiError
	_ = json.Unmarshal(raw, &ae)
	switch {
	case resp.StatusCode == http.StatusNotFound || ae.Code == 3301:
		e.Kind, e.Message = fetch.KindNotFound, lang.L("Zoom has no recording of this session any more.")
	case resp.StatusCode == http.StatusForbidden || ae.Code == 200:
		e.Kind, e.Message = fetch.KindPermission, lang.L("This Zoom Video SDK app is not allowed to delete recordings: in the Zoom Marketplace, give the app the recording scopes and the account the right to delete cloud recordings.")
	}
	return e
}

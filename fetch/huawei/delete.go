package huawei

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"fyne.io/fyne/v2/lang"

	"cloudreel/fetch"
)

var _ fetch.Deleter = (*Connector)(nil)

// DeletePermissionMessage is what a person is told when Huawei refuses a
// delete: like downloading, it is for enterprise administrators.
const DeletePermissionMessage = "Only enterprise administrators may delete Huawei Cloud Meeting recordings: sign in with an administrator's account or App ID."

// Delete implements fetch.Deleter: DELETE
// /v1/mmc/management/record/files?confUUIDs= deletes a meeting's
// recordings permanently (Huawei has no trash: only fetch.DeleteForever).
// The page documents 200 with no body, 400, 401, 403 and 500; a 404 is
// taken as the meeting already gone.
func (c *Connector) Delete(ctx context.Context, confUUID string, mode fetch.DeleteMode) error {
	if !slices.Contains(fetch.Huawei.DeleteModes(), mode) {
		return fetch.NewError(fetch.KindInvalid, nil, lang.L("Huawei Cloud Meeting has no trash: a recording can only be deleted permanently."))
	}
	// A comma would make one id two: confUUIDs is a comma-separated list.
	if confUUID == "" || strings.Contains(confUUID, ",") {
		return fetch.NewError(fetch.KindInvalid, nil, lang.L("\"{{.ID}}\" is not a Huawei meeting id.", map[string]any{"ID": confUUID}))
	}
	u := c.base + "/v1/mmc/management/record/files?" + url.Values{"confUUIDs": {confUUID}}.Encode()
	resp, raw, err := c.api.DoSigned(ctx, fetch.SignedCall{
		Platform: "Huawei Cloud Meeting",
		Token:    c.accessToken,
		Request: func(ctx context.Context, tok string) (*http.Request, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodDelete, u, nil)
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
	if resp.StatusCode/100 == 2 {
		return nil
	}
	e := fetch.StatusError(resp, raw)
	switch resp.StatusCode {
	case http.StatusUnauthorized:
		e.Message = lang.L("Huawei Cloud Meeting no longer accepts this account's sign-in.")
	case http.StatusForbidden:
		e.Message = lang.L(DeletePermissionMessage)
	case http.StatusNotFound:
		e.Message = lang.L("This meeting's recording is no longer on Huawei Cloud Meeting.")
	}
	return e
}

package ibmvideo

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"

	"fyne.io/fyne/v2/lang"

	"cloudreel/fetch"
)

var _ fetch.Deleter = (*Connector)(nil)

// Delete implements fetch.Deleter: DELETE /videos/{video_id}.json deletes
// the video permanently (IBM has no trash, so only fetch.DeleteForever is
// offered). 403 lack_of_ownership is an account that may not manage the
// video's channel; 404 not_found a video already gone.
func (c *Connector) Delete(ctx context.Context, videoID string, mode fetch.DeleteMode) error {
	if !slices.Contains(fetch.IBMVideo.DeleteModes(), mode) {
		return fetch.NewError(fetch.KindInvalid, nil, lang.L("IBM Video Streaming has no trash: a video can only be deleted permanently."))
	}
	if videoID == "" {
		return fetch.NewError(fetch.KindInvalid, nil, lang.L("The recording has no IBM video id; list the recordings again."))
	}
	u := c.endpoint("/videos/"+videoID+".json", nil)
	resp, body, err := c.api.DoSigned(ctx, fetch.SignedCall{
		Platform: "IBM Video Streaming",
		Token:    c.token,
		Request: func(ctx context.Context, tok string) (*http.Request, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodDelete, u, nil)
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
	if resp.StatusCode/100 == 2 {
		return nil
	}
	e := statusError(resp, body).(*fetch.Error)
	var ans struct {
		Error string `json:"error"`
	}
	_ = json.Unmarshal(body, &ans)
	switch {
	case resp.StatusCode == http.StatusForbidden || ans.Error == "lack_of_ownership":
		e.Kind, e.Message = fetch.KindPermission, lang.L("This IBM Video Streaming account is not allowed to delete this video: it does not manage the video's channel (lack_of_ownership).")
	case resp.StatusCode == http.StatusNotFound:
		e.Message = lang.L("This video is no longer on IBM Video Streaming.")
	}
	return e
}

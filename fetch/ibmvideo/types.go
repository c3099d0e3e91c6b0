package ibmvideo

import (
	"bytes"
	"encoding/json"
	"time"

	"cloudreel/fetch"
)

// videoPage is one page of GET /users/self/videos.json.
type videoPage struct {
	Videos []video `json:"videos"`
	Paging struct {
		Next link `json:"next"`
	} `json:"paging"`
}

// video is IBM's video object, reduced to what Cloudreel shows. IBM sends
// length and file_size as strings; fetch.Number reads either form.
type video struct {
	ID        fetch.IDString `json:"id"`
	Title     string         `json:"title"`
	Length    fetch.Number   `json:"length"`     // seconds
	CreatedAt fetch.Number   `json:"created_at"` // unix seconds
	FileSize  fetch.Number   `json:"file_size"`  // bytes
}

// recording is the platform-neutral form of v: one MP4 file per video.
func (v video) recording() fetch.Recording {
	id := string(v.ID)
	return fetch.Recording{
		ID:       id,
		Title:    v.Title,
		Start:    time.Unix(int64(v.CreatedAt), 0).UTC(),
		Duration: time.Duration(float64(v.Length) * float64(time.Second)).Round(time.Second),
		Files: []fetch.File{{
			ID:          id + "/mp4",
			RecordingID: id,
			Kind:        "mp4",
			Ext:         "mp4",
			// file_size is what IBM lists for the video; it is the only
			// size the platform gives before the MP4 is generated, and it
			// is the original upload's, so it is shown but not checked.
			Size:          int64(v.FileSize),
			SizeEstimated: true,
			Ref:           id,
		}},
	}
}

// downloadableResponse is the answer of GET and POST
// /videos/{id}/downloadable/mp4.json (seed 002).
type downloadableResponse struct {
	Downloadable downloadable `json:"downloadable"`
}

// downloadable is the state of a video's generated MP4: status is
// "available", "pending" or "unavailable"; download_url is null until
// available; expires_at is unix seconds.
type downloadable struct {
	Status      string       `json:"status"`
	DownloadURL string       `json:"download_url"`
	ExpiresAt   fetch.Number `json:"expires_at"`
}

// expired reports whether an available file's link is already past its
// expiry, so that asking for it again is the only way on.
func (d downloadable) expired() bool {
	return d.ExpiresAt > 0 && time.Unix(int64(d.ExpiresAt), 0).Before(time.Now())
}

// link reads paging.next as a bare URL or, defensively, as {"href": URL},
// the form other paged APIs use for the same field.
type link struct{ Href string }

// UnmarshalJSON implements json.Unmarshaler.
func (l *link) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		l.Href = ""
		return nil
	case len(b) > 0 && b[0] == '"':
		return json.Unmarshal(b, &l.Href)
	}
	var obj struct {
		Href string `json:"href"`
	}
	if err := json.Unmarshal(b, &obj); err != nil {
		return err
	}
	l.Href = obj.Href
	return nil
}

package valt

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"time"

	"cloudreel/fetch"
)

// dateLayout is Valt's MM-DD-YYYY.
const dateLayout = "01-02-2006"

// listRequest is the JSON body of POST /api/v3/records; every field is
// optional.
type listRequest struct {
	Search    string `json:"search,omitempty"`
	StartDate string `json:"start_date,omitempty"`
	EndDate   string `json:"end_date,omitempty"`
	Offset    int    `json:"offset"`
	Limit     int    `json:"limit,omitempty"`
}

// recordsPage is data of the records list.
type recordsPage struct {
	Records []record `json:"records"`
}

// record is one record as the list and the details call give it.
type record struct {
	ID       fetch.IDString `json:"id"`
	Name     string         `json:"name"`
	Created  fetch.Number   `json:"created"` // epoch seconds
	Duration fetch.Number   `json:"duration"`
	Author   party          `json:"author"`
	Room     party          `json:"room"`
	// Videos are the record's video ids (VALT 6). platforms.md leaves the
	// shape of an entry open: bare ids, or objects with an "id".
	Videos []json.RawMessage `json:"videos"`
	// Cameras is how the VALT 5 pages name a record's videos: an object
	// {cameraId: camera name}; an empty one may arrive as [] (PHP's
	// encoding of an empty map), and an array of ids is read as well.
	Cameras json.RawMessage `json:"cameras"`
}

// party is an author or a room: {id, name}.
type party struct {
	ID   fetch.IDString `json:"id"`
	Name string         `json:"name"`
}

// video is one decoded entry of "videos" or "cameras".
type video struct {
	ID     string // the id the download call takes
	Size   int64  // 0 when Valt does not say
	Camera bool   // named by a camera id ("cameras"), not a video id
}

// videos decodes "videos" (VALT 6) or, when it names none, "cameras"
// (VALT 5), whichever shape each has.
func (r record) videos() []video {
	out := videoEntries(r.Videos, false)
	if len(out) > 0 {
		return out
	}
	return cameraEntries(r.Cameras)
}

// videoEntries reads an array of bare ids or of objects with an "id".
func videoEntries(entries []json.RawMessage, camera bool) []video {
	var out []video
	for _, raw := range entries {
		var id fetch.IDString
		if err := json.Unmarshal(raw, &id); err == nil {
			if id != "" {
				out = append(out, video{ID: string(id), Camera: camera})
			}
			continue
		}
		var obj struct {
			ID       fetch.IDString `json:"id"`
			Size     fetch.Number   `json:"size"`
			FileSize fetch.Number   `json:"file_size"`
		}
		if err := json.Unmarshal(raw, &obj); err == nil && obj.ID != "" {
			out = append(out, video{ID: string(obj.ID), Size: int64(max(obj.Size, obj.FileSize)), Camera: camera})
		}
	}
	return out
}

// cameraEntries reads "cameras": the keys of an object, in the order
// Valt sends them (the first camera is the main one), or an array.
func cameraEntries(raw json.RawMessage) []video {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil
	}
	if raw[0] == '[' {
		var entries []json.RawMessage
		if json.Unmarshal(raw, &entries) != nil {
			return nil
		}
		return videoEntries(entries, true)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	var out []video
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return out
		}
		var name json.RawMessage // the camera's name: not needed
		if err := dec.Decode(&name); err != nil {
			return out
		}
		if id, _ := key.(string); id != "" {
			out = append(out, video{ID: id, Camera: true})
		}
	}
	return out
}

// recording turns a record into the platform-neutral model, without files.
func (r record) recording() fetch.Recording {
	return fetch.Recording{
		ID:       string(r.ID),
		Title:    r.Name,
		Start:    time.Unix(int64(r.Created), 0).UTC(),
		Duration: time.Duration(float64(r.Duration) * float64(time.Second)),
	}
}

// files turns a record's videos into files. Valt names no kind: the
// first video is "video", the others (a second camera) "video 2", ...
// A camera id is a small number shared by every record of a room, so a
// file named by one gets the record's id in its own.
func (r record) files() []fetch.File {
	var out []fetch.File
	for i, v := range r.videos() {
		kind := "video"
		if i > 0 {
			kind = fmt.Sprintf("video %d", i+1)
		}
		id := v.ID
		if v.Camera {
			id = string(r.ID) + "/camera/" + v.ID
		}
		out = append(out, fetch.File{ID: id, RecordingID: string(r.ID), Kind: kind, Ext: "mp4", Size: v.Size, Ref: v.ID})
	}
	return out
}

// noVideoNote is what a record whose details name no video says.
const noVideoNote = "Valt lists no video for this recording: it may still be recording, or its video was removed. List the recordings again later."

// List implements fetch.Connector: records page by page until a short
// page, each with its videos from the details call.
func (c *Connector) List(ctx context.Context, q fetch.Query) iter.Seq2[fetch.Recording, error] {
	return func(yield func(fetch.Recording, error) bool) {
		req := listRequest{Limit: c.cfg.PageSize}
		// Valt compares dates in the server's own time zone, which
		// Cloudreel does not know: ask for a day more on each side and
		// keep what falls in the range in UTC.
		if !q.From.IsZero() {
			req.StartDate = q.From.UTC().AddDate(0, 0, -1).Format(dateLayout)
		}
		if !q.To.IsZero() {
			req.EndDate = q.To.UTC().AddDate(0, 0, 1).Format(dateLayout)
		}
		seen := map[string]bool{}
		for {
			var page recordsPage
			if err := c.call(ctx, http.MethodPost, "/api/v3/records", req, &page); err != nil {
				yield(fetch.Recording{}, fmt.Errorf("listing Valt records from %d: %w", req.Offset, err))
				return
			}
			fresh := 0
			for _, r := range page.Records {
				id := string(r.ID)
				// Records that arrive during the walk shift the pages:
				// one may be seen twice.
				if id == "" || seen[id] {
					continue
				}
				seen[id] = true
				fresh++
				rec := r.recording()
				if !inQuery(q, rec.Start) {
					continue
				}
				files, err := c.files(ctx, id)
				if fetch.KindOf(err) == fetch.KindNotFound {
					continue // deleted since the list was read
				}
				if err != nil {
					yield(fetch.Recording{}, fmt.Errorf("reading the videos of Valt record %s: %w", id, err))
					return
				}
				rec.Files = files
				if len(files) == 0 {
					// Valt gives no sign that a video will come, so
					// the recording is not "preparing": it says so.
					rec.Note = noVideoNote
				}
				if !yield(rec, nil) {
					return
				}
			}
			// A short page ends the walk; so does a page with nothing new,
			// in case a server ignores offset.
			if len(page.Records) < req.Limit || fresh == 0 {
				return
			}
			req.Offset += len(page.Records)
		}
	}
}

// files reads a record's videos from its details.
func (c *Connector) files(ctx context.Context, recordID string) ([]fetch.File, error) {
	var r record
	if err := c.call(ctx, http.MethodGet, "/api/v3/records/"+url.PathEscape(recordID), nil, &r); err != nil {
		return nil, err
	}
	if r.ID == "" {
		r.ID = fetch.IDString(recordID)
	}
	return r.files(), nil
}

// inQuery is q.Contains with an open end where q leaves one zero.
func inQuery(q fetch.Query, t time.Time) bool {
	switch {
	case q.From.IsZero() && q.To.IsZero():
		return true
	case q.To.IsZero():
		return !t.Before(q.From.UTC().Truncate(24 * time.Hour))
	case q.From.IsZero():
		return t.Before(q.To.UTC().Truncate(24*time.Hour).AddDate(0, 0, 1))
	}
	return q.Contains(t)
}

package valt

import (
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
	// Videos are the record's video ids. platforms.md leaves the shape
	// open: bare ids, or objects with an "id".
	Videos []json.RawMessage `json:"videos"`
}

// party is an author or a room: {id, name}.
type party struct {
	ID   fetch.IDString `json:"id"`
	Name string         `json:"name"`
}

// video is one decoded entry of "videos".
type video struct {
	ID   string
	Size int64 // 0 when Valt does not say
}

// videos decodes "videos", whichever shape it has.
func (r record) videos() []video {
	var out []video
	for _, raw := range r.Videos {
		var id fetch.IDString
		if err := json.Unmarshal(raw, &id); err == nil {
			if id != "" {
				out = append(out, video{ID: string(id)})
			}
			continue
		}
		var obj struct {
			ID       fetch.IDString `json:"id"`
			Size     fetch.Number   `json:"size"`
			FileSize fetch.Number   `json:"file_size"`
		}
		if err := json.Unmarshal(raw, &obj); err == nil && obj.ID != "" {
			out = append(out, video{ID: string(obj.ID), Size: int64(max(obj.Size, obj.FileSize))})
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
func (r record) files() []fetch.File {
	var out []fetch.File
	for i, v := range r.videos() {
		kind := "video"
		if i > 0 {
			kind = fmt.Sprintf("video %d", i+1)
		}
		out = append(out, fetch.File{ID: v.ID, RecordingID: string(r.ID), Kind: kind, Ext: "mp4", Size: v.Size, Ref: v.ID})
	}
	return out
}

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
				rec.Pending = len(files) == 0 // still recording, or not yet processed
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

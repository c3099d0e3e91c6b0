package zoomsdk

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"cloudreel/fetch"
)

// listPage is one answer of GET /videosdk/recordings.
type listPage struct {
	From          string    `json:"from"`
	To            string    `json:"to"`
	PageSize      int       `json:"page_size"`
	TotalRecords  int       `json:"total_records"`
	NextPageToken string    `json:"next_page_token"`
	Sessions      []session `json:"sessions"`
}

// session is one recorded Video SDK session (seed 003).
type session struct {
	SessionID      string          `json:"session_id"`
	SessionName    string          `json:"session_name"`
	StartTime      string          `json:"start_time"`
	Duration       float64         `json:"duration"` // minutes
	TotalSize      int64           `json:"total_size"`
	RecordingCount int             `json:"recording_count"`
	RecordingFiles []recordingFile `json:"recording_files"`
}

// recordingFile is one file of a session.
type recordingFile struct {
	ID             string `json:"id"`
	SessionID      string `json:"session_id"`
	RecordingStart string `json:"recording_start"`
	RecordingEnd   string `json:"recording_end"`
	FileType       string `json:"file_type"`
	FileExtension  string `json:"file_extension"` // in Zoom's meeting API; used when present
	FileSize       int64  `json:"file_size"`
	DownloadURL    string `json:"download_url"`
	Status         string `json:"status"`
	RecordingType  string `json:"recording_type"`
}

// kinds are the words people see for Zoom's recording_type values.
var kinds = map[string]string{
	"shared_screen_with_speaker_view":     "screen and speaker",
	"shared_screen_with_speaker_view(CC)": "screen and speaker (CC)",
	"shared_screen_with_gallery_view":     "screen and gallery",
	"shared_screen":                       "screen",
	"active_speaker":                      "speaker",
	"speaker_view":                        "speaker",
	"gallery_view":                        "gallery",
	"audio_only":                          "audio",
	"audio_transcript":                    "transcript",
	"closed_caption":                      "captions",
	"chat_file":                           "chat",
	"timeline":                            "timeline",
}

// extensions maps file_type values whose extension is not their name.
var extensions = map[string]string{
	"TRANSCRIPT": "vtt",
	"CC":         "vtt",
	"CHAT":       "txt",
	"TIMELINE":   "json",
	"SUMMARY":    "json",
}

// kind is a readable name for a recording_type.
func kind(recordingType string) string {
	if k, ok := kinds[recordingType]; ok {
		return k
	}
	if recordingType == "" {
		return "recording"
	}
	return strings.ReplaceAll(recordingType, "_", " ")
}

// ext is the file extension of a recording file.
func (f recordingFile) ext() string {
	if f.FileExtension != "" {
		return strings.ToLower(f.FileExtension)
	}
	t := strings.ToUpper(f.FileType)
	if e, ok := extensions[t]; ok {
		return e
	}
	if t == "" {
		return "mp4"
	}
	return strings.ToLower(t)
}

// recording turns a session into the platform-neutral model. Files not
// yet "completed" (still processing) are left out until they are.
func (s session) recording() fetch.Recording {
	start, _ := time.Parse(time.RFC3339, s.StartTime)
	rec := fetch.Recording{
		ID:       s.SessionID,
		Title:    s.SessionName,
		Start:    start.UTC(),
		Duration: time.Duration(s.Duration * float64(time.Minute)),
	}
	for _, f := range s.RecordingFiles {
		if (f.Status != "" && f.Status != "completed") || f.DownloadURL == "" {
			continue
		}
		rec.Files = append(rec.Files, fetch.File{
			ID:          f.ID,
			RecordingID: s.SessionID,
			Kind:        kind(f.RecordingType),
			Ext:         f.ext(),
			Size:        f.FileSize,
			Ref:         f.DownloadURL,
		})
	}
	rec.Pending = len(rec.Files) == 0
	return rec
}

// addMonth is the last day a range starting on day may reach: the same
// day a month later, or the next month's last day when it has no such day.
func addMonth(day time.Time) time.Time {
	y, m, d := day.Date()
	last := time.Date(y, m+2, 0, 0, 0, 0, 0, time.UTC).Day()
	return time.Date(y, m+1, min(d, last), 0, 0, 0, 0, time.UTC)
}

// subMonth is the same day a month earlier, or that month's last day.
func subMonth(day time.Time) time.Time {
	y, m, d := day.Date()
	last := time.Date(y, m, 0, 0, 0, 0, 0, time.UTC).Day()
	return time.Date(y, m-1, min(d, last), 0, 0, 0, 0, time.UTC)
}

// window is a range of days, both inclusive, no longer than one month.
type window struct{ from, to time.Time }

// windows splits [from, to] into ranges of at most one month, newest
// first, so that the newest recordings arrive first.
func windows(from, to time.Time) []window {
	var out []window
	for end := to; !end.Before(from); {
		start := subMonth(end).AddDate(0, 0, 1)
		if start.Before(from) {
			start = from
		}
		out = append(out, window{start, end})
		end = start.AddDate(0, 0, -1)
	}
	return out
}

// days turns q into whole UTC days; a zero To is today, a zero From a
// month before To.
func days(q fetch.Query) (from, to time.Time) {
	day := func(t time.Time) time.Time {
		y, m, d := t.UTC().Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	to = day(q.To)
	if q.To.IsZero() {
		to = day(time.Now())
	}
	from = day(q.From)
	if q.From.IsZero() {
		from = subMonth(to)
	}
	return from, to
}

// List implements fetch.Connector: [From, To] in windows of at most a
// month (Zoom's limit), each paged with next_page_token until it is empty.
func (c *Connector) List(ctx context.Context, q fetch.Query) iter.Seq2[fetch.Recording, error] {
	return func(yield func(fetch.Recording, error) bool) {
		from, to := days(q)
		if to.Before(from) {
			yield(fetch.Recording{}, fetch.Errorf(fetch.KindInvalid, nil, "The end of the date range is before its start."))
			return
		}
		// Zoom's dates are UTC days, as the query's are; sessions outside
		// them are dropped all the same, should Zoom read a day otherwise.
		keep := fetch.Query{From: from, To: to}
		seen := map[string]bool{}
		for _, w := range windows(from, to) {
			if !c.walk(ctx, w, keep, seen, yield) {
				return
			}
		}
	}
}

// walk yields the sessions of one window, page by page; it reports
// whether the listing goes on.
func (c *Connector) walk(ctx context.Context, w window, keep fetch.Query, seen map[string]bool, yield func(fetch.Recording, error) bool) bool {
	base := url.Values{
		"from":      {w.from.Format(time.DateOnly)},
		"to":        {w.to.Format(time.DateOnly)},
		"page_size": {strconv.Itoa(c.cfg.PageSize)},
	}
	token, restarted := "", false
	for {
		v := url.Values{}
		for k, x := range base {
			v[k] = x
		}
		if token != "" {
			v.Set("next_page_token", token)
		}
		var page listPage
		if err := c.call(ctx, "/videosdk/recordings", v, &page); err != nil {
			// A page token lives 15 minutes: a walk paused longer (the
			// caller was slow to take recordings) starts the window over;
			// seen keeps out what was already given.
			if token != "" && !restarted && pageTokenRefused(err) {
				token, restarted = "", true
				continue
			}
			yield(fetch.Recording{}, fmt.Errorf("listing Zoom recordings from %s to %s: %w", base.Get("from"), base.Get("to"), err))
			return false
		}
		for _, s := range page.Sessions {
			if s.SessionID == "" || seen[s.SessionID] {
				continue
			}
			seen[s.SessionID] = true
			rec := s.recording()
			if !rec.Start.IsZero() && !keep.Contains(rec.Start) {
				continue
			}
			if !yield(rec, nil) {
				return false
			}
		}
		switch {
		case page.NextPageToken == "":
			return true
		case page.NextPageToken == token:
			yield(fetch.Recording{}, fetch.Errorf(fetch.KindInvalid, nil, "Zoom gave the same page twice; the listing stopped."))
			return false
		}
		token = page.NextPageToken
	}
}

// pageTokenRefused reports whether Zoom refused a next_page_token.
func pageTokenRefused(err error) bool {
	var ae *apiError
	return errors.As(err, &ae) && ae.Status == http.StatusBadRequest
}

package zoomsdk

import (
	"fmt"
	"strings"
	"time"

	"cloudreel/fetch"
)

// listPage is one answer of GET /videosdk/recordings (seed 003; Zoom's
// Video SDK API reference, "List recordings of an account").
type listPage struct {
	From          string       `json:"from"`
	To            string       `json:"to"`
	PageSize      fetch.Number `json:"page_size"`
	TotalRecords  fetch.Number `json:"total_records"`
	NextPageToken string       `json:"next_page_token"`
	Sessions      []session    `json:"sessions"`
}

// session is one recorded Video SDK session: its own files and, when
// the account records each participant separately, every participant's
// own video and audio.
type session struct {
	SessionID        fetch.IDString    `json:"session_id"`
	SessionName      string            `json:"session_name"`
	StartTime        string            `json:"start_time"`
	Duration         fetch.Number      `json:"duration"` // minutes
	TotalSize        fetch.Number      `json:"total_size"`
	RecordingCount   fetch.Number      `json:"recording_count"`
	RecordingFiles   []recordingFile   `json:"recording_files"`
	ParticipantVideo []participantFile `json:"participant_video_files"`
	ParticipantAudio []participantFile `json:"participant_audio_files"`
}

// recordingFile is one file of the session as a whole.
type recordingFile struct {
	ID             fetch.IDString `json:"id"`
	SessionID      string         `json:"session_id"`
	RecordingStart string         `json:"recording_start"`
	RecordingEnd   string         `json:"recording_end"`
	FileType       string         `json:"file_type"`
	FileExtension  string         `json:"file_extension"` // not in the list's reference; in the webhook's; used when present
	FileSize       fetch.Number   `json:"file_size"`      // bytes
	DownloadURL    string         `json:"download_url"`
	Status         string         `json:"status"`
	RecordingType  string         `json:"recording_type"`
}

// participantFile is one participant's own video (participant_video_files)
// or audio (participant_audio_files). Zoom's reference names the person
// only through file_name, user_id (the session's user id) and user_key
// (the app's user_identity); user_name is read too, since platforms.md
// lists it (uncertain: the reference does not show it).
type participantFile struct {
	ID             fetch.IDString `json:"id"`
	RecordingStart string         `json:"recording_start"`
	RecordingEnd   string         `json:"recording_end"`
	FileName       string         `json:"file_name"`
	FileType       string         `json:"file_type"`
	FileExtension  string         `json:"file_extension"`
	FileSize       fetch.Number   `json:"file_size"` // bytes
	DownloadURL    string         `json:"download_url"`
	RecordingType  string         `json:"recording_type"` // video: individual_user or individual_shared_screen
	Status         string         `json:"status"`
	UserID         fetch.IDString `json:"user_id"`
	UserKey        string         `json:"user_key"`
	UserName       string         `json:"user_name"`
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

// extOf is a file's extension: file_extension when Zoom gives it, else
// one that goes with file_type, else def.
func extOf(extension, fileType, def string) string {
	if e := strings.TrimPrefix(strings.TrimSpace(extension), "."); e != "" {
		return strings.ToLower(e)
	}
	t := strings.ToUpper(fileType)
	if e, ok := extensions[t]; ok {
		return e
	}
	if t == "" {
		return def
	}
	return strings.ToLower(t)
}

// filePrefixes are the words Zoom puts before a participant's name in a
// per-participant file_name ("Audio only - Elisa L" in its meeting API).
var filePrefixes = []string{"audio only - ", "video only - ", "shared screen - "}

// person is the participant a file belongs to, for its kind: user_name,
// else the file_name without Zoom's prefix and extension, else the app's
// user_key, else Zoom's user_id, else the participant's place in the list.
func (f participantFile) person(n int) string {
	if s := strings.TrimSpace(f.UserName); s != "" {
		return s
	}
	if s := strings.TrimSpace(f.FileName); s != "" {
		for _, p := range filePrefixes {
			if len(s) > len(p) && strings.EqualFold(s[:len(p)], p) {
				s = strings.TrimSpace(s[len(p):])
				break
			}
		}
		if e := f.FileExtension; e != "" && len(s) > len(e)+1 && strings.EqualFold(s[len(s)-len(e)-1:], "."+e) {
			s = s[:len(s)-len(e)-1]
		}
		if s != "" {
			return s
		}
	}
	if s := strings.TrimSpace(f.UserKey); s != "" {
		return s
	}
	if s := strings.TrimSpace(string(f.UserID)); s != "" {
		return s
	}
	return fmt.Sprintf("participant %d", n)
}

// participantKind is the kind of a participant's file: what it holds and
// whose it is, "video (Ana López)", so that it can be ticked or filtered
// out like any other kind.
func participantKind(f participantFile, audio bool, n int) string {
	what := "video"
	switch {
	case audio:
		what = "audio"
	case f.RecordingType == "individual_shared_screen":
		what = "screen"
	}
	return what + " (" + f.person(n) + ")"
}

// ready reports whether a file can be downloaded now: Zoom lists files
// still being processed with another status, and CC and TIMELINE files
// with no status at all.
func ready(status, downloadURL string) bool {
	return (status == "" || strings.EqualFold(status, "completed")) && downloadURL != ""
}

// fileIDs hands out the file ids of one session: Zoom's own id when it is
// new, else one made unique from it. The seed's example lists two files
// under one id, and CC and TIMELINE files have none; the queue keys
// finished downloads by file id, so two files under one id would make the
// second count as already downloaded.
type fileIDs struct {
	session string
	used    map[string]bool
}

func (u *fileIDs) next(id fetch.IDString, list string, i int) string {
	base := string(id)
	if base == "" {
		base = fmt.Sprintf("%s/%s/%d", u.session, list, i+1)
	}
	out := base
	for n := 2; u.used[out]; n++ {
		out = fmt.Sprintf("%s/%d", base, n)
	}
	u.used[out] = true
	return out
}

// parseTime reads Zoom's times: RFC 3339 UTC ("2022-03-10T02:27:24Z") as
// the reference shows, or the same without a zone, taken as UTC.
func parseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC()
	}
	if t, err := time.ParseInLocation("2006-01-02T15:04:05", s, time.UTC); err == nil {
		return t
	}
	return time.Time{}
}

// recording turns a session into the platform-neutral model: the
// session's files, then each participant's video, then their audio.
// Files not yet ready are left out until they are.
func (s session) recording() fetch.Recording {
	id := string(s.SessionID)
	rec := fetch.Recording{
		ID:       id,
		Title:    s.SessionName,
		Start:    parseTime(s.StartTime),
		Duration: time.Duration(float64(s.Duration) * float64(time.Minute)),
	}
	ids := &fileIDs{session: id, used: map[string]bool{}}
	for i, f := range s.RecordingFiles {
		if !ready(f.Status, f.DownloadURL) {
			continue
		}
		rec.Files = append(rec.Files, fetch.File{
			ID: ids.next(f.ID, "recording", i), RecordingID: id, Kind: kind(f.RecordingType),
			Ext: extOf(f.FileExtension, f.FileType, "mp4"), Size: int64(f.FileSize), Ref: f.DownloadURL,
		})
	}
	for _, list := range []struct {
		name  string
		files []participantFile
		audio bool
		ext   string
	}{{"participant_video", s.ParticipantVideo, false, "mp4"}, {"participant_audio", s.ParticipantAudio, true, "m4a"}} {
		for i, f := range list.files {
			if !ready(f.Status, f.DownloadURL) {
				continue
			}
			rec.Files = append(rec.Files, fetch.File{
				ID: ids.next(f.ID, list.name, i), RecordingID: id, Kind: participantKind(f, list.audio, i+1),
				Ext: extOf(f.FileExtension, f.FileType, list.ext), Size: int64(f.FileSize), Ref: f.DownloadURL,
			})
		}
	}
	rec.Pending = len(rec.Files) == 0
	return rec
}

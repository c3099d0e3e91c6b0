package upload

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"cloudreel/fetch/queue"
	"cloudreel/fetch/valt"
)

// VideoExts are the files sent to Valt by default: the videos, not a
// meeting's chat or transcript.
var VideoExts = []string{"mp4", "m4v", "mov", "webm", "mkv", "avi"}

// IsVideo reports whether a file name or extension is one of VideoExts.
func IsVideo(nameOrExt string) bool {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext("x."+strings.TrimPrefix(nameOrExt, ".")), "."))
	return slices.Contains(VideoExts, ext)
}

// VideosIn returns the video files (VideoExts) directly in folder, sorted
// by name; the folders inside it are not looked into.
func VideosIn(folder string) ([]string, error) {
	entries, err := os.ReadDir(folder)
	if err != nil {
		return nil, fmt.Errorf("reading the folder %s: %w", folder, err)
	}
	var out []string
	for _, e := range entries {
		if e.Type().IsRegular() && IsVideo(e.Name()) {
			out = append(out, filepath.Join(folder, e.Name()))
		}
	}
	return out, nil
}

// Dest is the Valt account a file goes to and what that account asks of
// every upload (accounts.Account's UploadTemplate and UploadShare).
type Dest struct {
	AccountID, AccountName string
	// Template is the additional-information template fields to fill:
	// field id → value, which may hold the Placeholders.
	Template map[string]string
	Share    valt.Share
}

// Placeholders are what a template field's value may hold, replaced for
// each file: its title, its date (YYYY-MM-DD) and where it came from.
var Placeholders = []string{"{title}", "{date}", "{source}"}

// FillTemplate returns the template with the Placeholders of each value
// replaced; nil for an empty template.
func FillTemplate(template map[string]string, title string, date time.Time, source string) map[string]string {
	if len(template) == 0 {
		return nil
	}
	r := strings.NewReplacer("{title}", title, "{date}", date.Local().Format(time.DateOnly), "{source}", source)
	out := make(map[string]string, len(template))
	for id, v := range template {
		out[id] = r.Replace(v)
	}
	return out
}

// FromComputer is the source of a file sent from the disk.
const FromComputer = "this computer"

// FileRequest asks for a file of the disk to go to d, named name (default:
// the file's name without its extension); the file's modification date is
// its {date}.
func FileRequest(d Dest, path, name string) Request {
	modified := time.Now()
	if st, err := os.Stat(path); err == nil {
		modified = st.ModTime()
	}
	if strings.TrimSpace(name) == "" {
		name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	return Request{AccountID: d.AccountID, AccountName: d.AccountName, Path: path, Name: name,
		Template: FillTemplate(d.Template, name, modified, FromComputer), Share: d.Share}
}

// DownloadRequest asks for the file a verified download job holds to go
// to d, named by RecordName; its key is the recording's file, so that
// sending it again finds the same job and record.
func DownloadRequest(d Dest, j queue.Job) Request {
	source := j.Platform.Title() + ": " + j.AccountName
	title := strings.TrimSpace(j.RecordingTitle)
	if title == "" {
		title = "Recording " + j.RecordingID
	}
	return Request{AccountID: d.AccountID, AccountName: d.AccountName, Path: j.Path, Name: RecordName(j),
		Template: FillTemplate(d.Template, title, j.RecordingStart, source), Share: d.Share,
		Source: source, Key: "recording:" + j.AccountID + ":" + j.RecordingID + ":" + j.File.ID}
}

// RecordName names a recording's file in Valt: its title, then its source
// and date ("Science fair (Zoom: Demo school, 2026-05-06 10:18)"), and the
// file's kind when the platform names one.
func RecordName(j queue.Job) string {
	title := strings.TrimSpace(j.RecordingTitle)
	if title == "" {
		title = "Recording " + j.RecordingID
	}
	parts := []string{j.Platform.Title() + ": " + j.AccountName, j.RecordingStart.Local().Format("2006-01-02 15:04")}
	if j.File.Kind != "" {
		parts = append(parts, j.File.Kind)
	}
	return title + " (" + strings.Join(parts, ", ") + ")"
}

// PrepareDownloads sets going again the download jobs of a copy that are
// paused or failed, and returns those not yet verified on disk: what must
// download before it can be sent.
func PrepareDownloads(q *queue.Queue, jobs []queue.Job) (pending []string) {
	for _, j := range jobs {
		switch {
		case j.Verified():
		case j.State == queue.Paused:
			_ = q.Resume(j.ID)
			pending = append(pending, j.ID)
		case j.State == queue.Failed || j.State == queue.Canceled:
			_ = q.Retry(j.ID)
			pending = append(pending, j.ID)
		case j.State != queue.Done:
			pending = append(pending, j.ID)
		}
	}
	return pending
}

// NotSent says in plain words why a copy's download job, ended, is not
// sent; "" when it is verified and can go.
func NotSent(j queue.Job) string {
	switch {
	case j.Verified():
		return ""
	case j.State == queue.Done:
		return lang.L("it was downloaded but could not be proven whole ({{.Why}}), so it is not sent to Valt", map[string]any{"Why": j.Unproven})
	case j.Err != "":
		return strings.TrimSpace(j.Err)
	}
	return "it was not downloaded, so it is not sent to Valt"
}

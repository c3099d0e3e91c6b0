// Package fetch holds the platform-neutral model of Cloudreel: recordings,
// their files, the fresh download source of a file, and the Connector
// interface that every platform package (valt, ibmvideo, zoomsdk, huawei)
// implements. It knows nothing about windows or the download queue.
package fetch

import (
	"context"
	"iter"
	"net/http"
	"time"

	"fyne.io/fyne/v2/lang"
)

// Platform names a supported video platform. The values are stable: they
// are stored on disk and used in file name templates.
type Platform string

// The four platforms Cloudreel downloads from.
const (
	Valt     Platform = "valt"
	IBMVideo Platform = "ibm"
	ZoomSDK  Platform = "zoom"
	Huawei   Platform = "huawei"
)

// Platforms lists every supported platform in the order the window shows them.
var Platforms = []Platform{Valt, IBMVideo, ZoomSDK, Huawei}

// Title is the platform's name as its vendor writes it, in English
// whatever the language (Name is the one for sentences).
func (p Platform) Title() string {
	switch p {
	case Valt:
		return "Valt"
	case IBMVideo:
		return "IBM Video Streaming"
	case ZoomSDK:
		return "Zoom Video SDK"
	case Huawei:
		return "Huawei Cloud Meeting"
	}
	return string(p)
}

// Name is the platform's name in the language spoken, for the sentences
// people read (the window's and the commands'): the vendors keep their
// product names in English, but Huawei's own Chinese interface says
// 华为云会议. Title stays the English name, for file names and the records
// sent to other systems, which must not change with the language.
func (p Platform) Name() string {
	switch p {
	case Valt:
		return lang.L("Valt")
	case IBMVideo:
		return lang.L("IBM Video Streaming")
	case ZoomSDK:
		return lang.L("Zoom Video SDK")
	case Huawei:
		return lang.L("Huawei Cloud Meeting")
	}
	return p.Title()
}

// Recording is one recorded session, meeting or video on a platform.
type Recording struct {
	ID       string        // stable platform id
	Title    string        // shown as the platform gives it; made safe only in file names
	Start    time.Time     // when the recording started (UTC)
	Duration time.Duration // zero when unknown
	Files    []File        // at least one file once listed
	// Pending is true when the platform lists the recording but cannot
	// yet say which files it has (for example Valt before its details call,
	// or a Huawei meeting still being transcoded).
	Pending bool
	// ReadyAt, for a Pending recording, is when the platform expects its
	// files to be ready (Huawei's decodeEndTime); zero when it does not say.
	ReadyAt time.Time
	// Owner is who scheduled or owns the recording, when the platform says
	// (Huawei's scheduserName); empty otherwise.
	Owner string
	// Note, for a recording listed with no files that is not Pending,
	// says in plain words why there is nothing to download (a Valt record
	// whose details name no video); empty otherwise.
	Note string
}

// Size is the sum of the known sizes of the recording's files.
func (r Recording) Size() int64 {
	var n int64
	for _, f := range r.Files {
		n += f.Size
	}
	return n
}

// File is one downloadable file of a recording: a quality, the shared
// screen, the audio, or one part of a split meeting.
type File struct {
	ID          string // stable platform id of the file, unique within the account
	RecordingID string
	Kind        string // "video", "hd", "sd", "screen", "audio", "part 2", ... shown to people
	Ext         string // file extension without the dot, e.g. "mp4"
	Size        int64  // bytes; 0 when the platform does not say
	// SizeEstimated says Size describes something close to, not exactly,
	// the file that will be downloaded (IBM lists the original upload's size;
	// the MP4 it generates may differ). Such a size is shown but never used
	// to judge a download.
	SizeEstimated bool `json:",omitzero"`
	// SHA256 is the hex SHA-256 of the file's bytes as the platform lists
	// it (Huawei's ShowRecordInfo sha256); empty when the platform gives
	// none. A download is proven whole only when its own digest matches.
	SHA256 string `json:",omitzero"`
	// Ref carries whatever the connector needs to resolve the file later
	// (a download_url, a video id). It is opaque to everything else and
	// never contains a secret.
	Ref string `json:",omitzero"`
}

// Source is a fresh, ready-to-use download link for one attempt at a file.
// It is produced by Connector.Resolve right before each attempt and must not
// be stored: it may carry secrets in URL or Header.
type Source struct {
	URL     string
	Header  http.Header // extra request headers (Huawei's Authorization token)
	Size    int64       // expected size in bytes when known, else 0
	Expires time.Time   // zero when the link does not expire
	// SingleUse marks a link that dies after one request: the downloader
	// must not spend it on a HEAD request.
	SingleUse bool
	// SuggestedName is a server-suggested file name (Valt's filename=).
	// It is untrusted: never use it as a path.
	SuggestedName string
	// HTTP, when set, is the client the file must be fetched with: Valt
	// serves files from its own, often self-signed, host, so only the
	// account's pinned client can reach them. Nil: any client.
	HTTP *http.Client
}

// Query selects the recordings to list: every recording that started on a
// day in [From, To], both inclusive, in UTC.
type Query struct {
	From time.Time
	To   time.Time
}

// Contains reports whether t falls on a day of the query's range.
func (q Query) Contains(t time.Time) bool {
	d := t.UTC()
	from := q.From.UTC().Truncate(24 * time.Hour)
	to := q.To.UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
	return !d.Before(from) && d.Before(to)
}

// Connector signs in to one account of one platform, lists its recordings
// and turns a file into a fresh download source.
type Connector interface {
	// Platform says which platform this connector talks to.
	Platform() Platform
	// Check signs in and lists one page; a wrong secret is an *Error of
	// KindAuth.
	Check(ctx context.Context) error
	// List yields every recording in q; pagination and windows are hidden.
	// After the first error it yields nothing more.
	List(ctx context.Context, q Query) iter.Seq2[Recording, error]
	// Resolve returns a fresh link for f. It is called right before every
	// attempt, including every resume, never when a job is queued.
	Resolve(ctx context.Context, f File) (Source, error)
}

// Preparer is implemented by connectors whose platform has to generate a
// file before it can be downloaded (IBM Video Streaming). Prepare asks for
// generation and returns at once; Resolve returns an *Error of KindPreparing
// until the file is ready.
type Preparer interface {
	Prepare(ctx context.Context, f File) error
}

// DeleteMode is what a clean-up does to a recording's cloud copy once it
// is downloaded and verified. The values are stored with the account.
type DeleteMode string

// The ways a platform may let a recording go.
const (
	// Trash moves the recording to the platform's trash, where it can be
	// recovered for a while (Zoom Video SDK).
	Trash DeleteMode = "trash"
	// DeleteForever deletes the recording permanently.
	DeleteForever DeleteMode = "delete"
)

// DeleteModes lists what the platform's API lets Cloudreel do with a
// recording's cloud copy, from its documentation: Zoom Video SDK trash or
// delete, IBM Video Streaming and Huawei Cloud Meeting delete only
// (permanently), Valt nothing (it documents no delete).
func (p Platform) DeleteModes() []DeleteMode {
	switch p {
	case ZoomSDK:
		return []DeleteMode{Trash, DeleteForever}
	case IBMVideo, Huawei:
		return []DeleteMode{DeleteForever}
	}
	return nil
}

// Deleter is implemented by connectors whose platform can trash or delete
// a recording (every file of it at once). Delete with a mode the platform
// does not offer (see Platform.DeleteModes) is an *Error of KindInvalid
// and sends nothing. A recording that is already gone is an *Error of
// KindNotFound; the caller may count it as done.
type Deleter interface {
	Delete(ctx context.Context, recordingID string, mode DeleteMode) error
}

// Recoverer is implemented by connectors whose platform has a trash that
// recordings can be brought back from (Zoom Video SDK).
type Recoverer interface {
	Recover(ctx context.Context, recordingID string) error
}

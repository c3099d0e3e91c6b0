// Package upload sends video files to a Valt account: one job per file,
// from the disk or from a recording of another account, kept in the
// shared bbolt store. The Valt record of a job is created once and kept,
// so that a retried or resumed job fills the same record instead of
// leaving empty ones behind; Valt documents no resume, so a broken-off
// upload starts again from the file's first byte, and says so.
package upload

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"cloudreel/fetch/valt"
)

// State is where an upload job is. The values are stored on disk.
type State string

// The states of an upload job.
const (
	Queued    State = "queued"    // waiting to be sent (or for its next try)
	Creating  State = "creating"  // the Valt record is being created
	Uploading State = "uploading" // bytes are flowing
	Done      State = "done"      // the whole file is in Valt
	Failed    State = "failed"    // given up; Err says why, adding the file again retries it
)

// Job is one file to send to a Valt account. Jobs are values: the
// Uploader hands out copies.
type Job struct {
	ID          string
	AccountID   string // the Valt account
	AccountName string
	Path        string // the file on disk (absolute)
	Name        string // the record's name in Valt
	Template    map[string]string
	Share       valt.Share
	// Source says in words where the file came from ("Zoom: Demo Zoom"),
	// "" for a file of the disk; Key finds the job again when the same
	// file is sent again (see Request.Key).
	Source string
	Key    string

	Size     int64  // bytes of the file
	RecordID string // the Valt record, once created; kept across retries
	VideoID  string // the video of that record the file goes to

	State    State
	Sent     int64 // bytes sent in the current try
	Attempts int   // tries of the upload call
	// Restarts is how many times the upload broke off and started again
	// from the first byte (Valt cannot continue one).
	Restarts int
	Err      string // the last problem, in plain words
	// Reading is how the server took the file (valt.Reading).
	Reading valt.Reading
	// SHA256 is the hex SHA-256 of the bytes sent in the try that
	// succeeded.
	SHA256 string

	Created time.Time
	Updated time.Time
}

// EmptyRecord is the plain sentence that names the Valt record this job
// created and did not fill, so that the person can remove it in Valt (or
// send the file again into it); "" when there is none.
func (j Job) EmptyRecord() string {
	if j.RecordID == "" || j.State == Done {
		return ""
	}
	return fmt.Sprintf("The record %q (id %s) was made in %s for this file and is still empty: send the file again to fill it, or remove that record in Valt.",
		j.Name, j.RecordID, j.AccountName)
}

// Request asks for one file to be sent to a Valt account.
type Request struct {
	AccountID   string
	AccountName string
	Path        string
	// Name is the record's name (default: the file's name without its
	// extension).
	Name     string
	Template map[string]string
	Share    valt.Share
	Source   string
	// Key identifies the file to send, so that sending it again finds its
	// job (and its record): default the path and the size.
	Key string
}

// Report is how a Run ended: the jobs as they are at its end.
type Report struct {
	Jobs []Job
}

// Done is how many of the jobs are in Valt.
func (r Report) Done() int {
	n := 0
	for _, j := range r.Jobs {
		if j.State == Done {
			n++
		}
	}
	return n
}

// OK reports whether every job is in Valt.
func (r Report) OK() bool { return r.Done() == len(r.Jobs) }

func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Package queue is Cloudreel's download queue: one job per file, states a
// person can follow, persistence in the shared bbolt store that survives a
// kill or a power cut, safe file names, and transfers on grab that never
// leave a broken file under its final name. The window and the headless
// commands drive it through this API and its events; neither reaches into
// grab or a connector.
package queue

import (
	"errors"
	"time"

	"cloudreel/fetch"
	"cloudreel/fetch/verify"
)

// State is where a job is. The values are stored on disk.
type State string

// The states of a job.
const (
	Queued      State = "queued"      // waiting for a download slot (or for its next try, see NextTry)
	Preparing   State = "preparing"   // the platform is generating the file (IBM); no slot is held
	Resolving   State = "resolving"   // asking the platform for a fresh link
	Downloading State = "downloading" // bytes are flowing
	Paused      State = "paused"      // stopped by the person, a full disk, or a restart of the window
	Done        State = "done"        // the whole file is under its final name
	Failed      State = "failed"      // given up; Err says why, Retry starts it again
	Canceled    State = "canceled"    // stopped and its partial file removed
)

// Active reports whether a job in this state still has work to do without
// anyone pressing a button.
func (s State) Active() bool {
	switch s {
	case Queued, Preparing, Resolving, Downloading:
		return true
	}
	return false
}

// Finished reports whether a job in this state is over for good: done
// or canceled. A finished job is kept as a brief (see brief).
func (s State) Finished() bool { return s == Done || s == Canceled }

// Job is one file to download, as the queue shows it. Jobs are values:
// the queue hands out copies.
//
// The fields that are zero in most jobs (a done job has no speed, no
// error, no next try) are left out of its stored record (omitzero): a
// store of 100,000 jobs is read whole at every start.
type Job struct {
	ID             string
	AccountID      string
	AccountName    string
	Platform       fetch.Platform
	RecordingID    string
	RecordingTitle string
	RecordingStart time.Time
	File           fetch.File
	Folder         string // the folder the person chose (absolute)
	Path           string // final absolute path, decided when the job is added

	State State
	Done  int64         `json:",omitzero"` // bytes on disk
	Size  int64         `json:",omitzero"` // expected bytes; 0 while unknown
	Speed float64       `json:",omitzero"` // bytes per second, smoothed
	ETA   time.Duration `json:",omitzero"` // time left at the current speed; 0 when unknown

	Attempts int       `json:",omitzero"`
	Err      string    `json:",omitzero"` // the last problem, in plain words
	NextTry  time.Time `json:",omitzero"` // for a queued job waiting after a fault, or a preparing one: when it is tried again
	// Skipped says the file had already been downloaded (same platform
	// file and size, still on disk) and was not fetched again.
	Skipped bool `json:",omitzero"`

	// SHA256 is the hex SHA-256 of the file's bytes, computed while they
	// were written (set when the job is done; empty before).
	SHA256 string `json:",omitzero"`
	// Proof is what showed the file whole when it was done (verify.None:
	// nothing did; Unproven says why). Only a Verified file may ever be
	// cleaned from the cloud.
	Proof verify.Proof `json:",omitzero"`
	// Unproven says in plain words why a done file is not Verified.
	Unproven string `json:",omitzero"`
	// ServerSize is the whole file's length as its server declared it
	// (the Content-Length of a whole answer, or the total of a resume's
	// Content-Range); 0 while it has not said.
	ServerSize int64 `json:",omitzero"`

	Created time.Time
	Updated time.Time
}

// Verified reports whether a proof showed the job's file to be whole:
// its bytes match the strongest check the platform gives (see Proof).
func (j Job) Verified() bool { return j.State == Done && j.Proof.Holds() }

// EventKind says what an Event reports.
type EventKind int

// The kinds of event.
const (
	StateChanged EventKind = iota // a job changed state (or its error or next try)
	Progress                      // a downloading job's bytes, speed and time left (at most 4 a second per job)
	Removed                       // a job left the list (ClearFinished)
	Halted                        // the queue stopped or started again as a whole; Message says why, "" when it runs again
)

// Event is what subscribers receive.
type Event struct {
	Kind    EventKind
	Job     Job    // the job after the change (zero for Halted)
	Message string // for Halted: a plain sentence, or "" when the queue runs again
}

// AddRequest asks for one file to be downloaded into Folder.
type AddRequest struct {
	AccountID   string
	AccountName string
	Platform    fetch.Platform
	Recording   fetch.Recording
	File        fetch.File
	Folder      string
}

// Errors of the control methods.
var (
	ErrNoJob    = errors.New("no such download")
	ErrNoFolder = errors.New("no folder was chosen for the download")
	ErrClosed   = errors.New("the download queue is closed")
)

package cleanup

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"fyne.io/fyne/v2/lang"

	"cloudreel/fetch"
	"cloudreel/fetch/buckets"
	"cloudreel/fetch/verify"
)

// The buckets of the shared store that clean-up owns.
var (
	scheduledBucket = []byte("cleanup-scheduled") // account id + "/" + recording id → Scheduled
	logBucket       = []byte("cleanup-log")       // sequence number → Entry
	doneBucket      = []byte("cleanup-done")      // account id + "/" + recording id → the Outcome that let it go
)

// ErrNotScheduled says there is no permanent delete waiting to cancel.
var ErrNotScheduled = errors.New("no delete of that recording is waiting")

// FileProof is one downloaded file of a recording and what proved it
// whole.
type FileProof struct {
	Path  string       `json:"path"`
	Size  int64        `json:"size"`
	Proof verify.Proof `json:"proof"`
}

// Scheduled is a permanent delete waiting for its grace period to end.
type Scheduled struct {
	AccountID   string         `json:"account_id"`
	AccountName string         `json:"account_name"`
	Platform    fetch.Platform `json:"platform"`
	RecordingID string         `json:"recording_id"`
	Title       string         `json:"title"`
	Size        int64          `json:"size"`
	Files       []FileProof    `json:"files"`
	At          time.Time      `json:"at"`  // when it was scheduled
	Due         time.Time      `json:"due"` // when it goes, at the first run after
	// Canceled says the person kept the recording: it is never deleted,
	// not even scheduled again, until the account's setting is chosen
	// anew (Forget).
	Canceled bool `json:"canceled,omitempty"`
}

// Outcome is how one clean-up step ended.
type Outcome string

// The outcomes logged.
const (
	Trashed     Outcome = "trashed"      // moved to the platform's trash
	Deleted     Outcome = "deleted"      // deleted permanently
	AlreadyGone Outcome = "already gone" // the platform no longer had it: counted as done
	Planned     Outcome = "scheduled"    // a permanent delete waits its grace period
	Canceled    Outcome = "cancelled"    // the person cancelled a scheduled delete
	Failed      Outcome = "failed"       // the platform refused; nothing changed, locally or in the cloud
)

// Words is the outcome as people read it, in their language; the
// Outcome itself is what the log keeps and stays English.
func (o Outcome) Words() string {
	switch o {
	case Trashed:
		return lang.L("trashed")
	case Deleted:
		return lang.L("deleted")
	case AlreadyGone:
		return lang.L("already gone")
	case Planned:
		return lang.L("scheduled")
	case Canceled:
		return lang.L("cancelled")
	case Failed:
		return lang.L("failed")
	}
	return string(o)
}

// Entry is one line of the clean-up log.
type Entry struct {
	At          time.Time        `json:"at"`
	AccountID   string           `json:"account_id"`
	AccountName string           `json:"account_name"`
	Platform    fetch.Platform   `json:"platform"`
	RecordingID string           `json:"recording_id"`
	Title       string           `json:"title"`
	Size        int64            `json:"size"`
	Mode        fetch.DeleteMode `json:"mode"`
	Files       []FileProof      `json:"files"`
	Outcome     Outcome          `json:"outcome"`
	// Answer is the platform's answer in plain words ("" for steps that
	// asked nothing of it: scheduled, cancelled).
	Answer string    `json:"answer,omitempty"`
	Due    time.Time `json:"due,omitzero"` // for Planned: when it goes
}

// Store keeps scheduled deletes and the log in the shared bbolt store.
type Store struct{ db *bbolt.DB }

// NewStore returns the clean-up store on db (accounts.OpenDB), creating
// its buckets when the store is new.
func NewStore(db *bbolt.DB) (*Store, error) {
	if err := buckets.Ensure(db, scheduledBucket, logBucket, doneBucket); err != nil {
		return nil, fmt.Errorf("preparing the clean-up log in Cloudreel's data: %w", err)
	}
	return &Store{db: db}, nil
}

func scheduleKey(accountID, recordingID string) []byte {
	return []byte(accountID + "/" + recordingID)
}

// Scheduled returns the permanent deletes of an account (every account
// with ""), waiting or cancelled.
func (s *Store) Scheduled(accountID string) ([]Scheduled, error) {
	var out []Scheduled
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(scheduledBucket).ForEach(func(_, v []byte) error {
			var sc Scheduled
			if json.Unmarshal(v, &sc) != nil {
				return nil // one damaged record must not cost the others
			}
			if accountID == "" || sc.AccountID == accountID {
				out = append(out, sc)
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("reading the scheduled deletes: %w", err)
	}
	return out, nil
}

// scheduled returns one scheduled delete.
func (s *Store) scheduled(accountID, recordingID string) (Scheduled, bool) {
	var sc Scheduled
	found := false
	_ = s.db.View(func(tx *bbolt.Tx) error {
		if v := tx.Bucket(scheduledBucket).Get(scheduleKey(accountID, recordingID)); v != nil {
			found = json.Unmarshal(v, &sc) == nil
		}
		return nil
	})
	return sc, found
}

// write saves (or, with drop, removes) a scheduled delete and appends
// entries to the log, in one transaction.
func (s *Store) write(sc Scheduled, drop bool, entries ...Entry) error {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(scheduledBucket)
		if sc.RecordingID != "" {
			key := scheduleKey(sc.AccountID, sc.RecordingID)
			if drop {
				if err := b.Delete(key); err != nil {
					return err
				}
			} else {
				v, err := json.Marshal(sc)
				if err != nil {
					return err
				}
				if err := b.Put(key, v); err != nil {
					return err
				}
			}
		}
		for _, e := range entries {
			switch e.Outcome {
			case Trashed, Deleted, AlreadyGone:
				if err := tx.Bucket(doneBucket).Put(scheduleKey(e.AccountID, e.RecordingID), []byte(e.Outcome)); err != nil {
					return err
				}
			}
		}
		return appendLog(tx, entries)
	})
	if err != nil {
		return fmt.Errorf("saving the clean-up log: %w", err)
	}
	return nil
}

func appendLog(tx *bbolt.Tx, entries []Entry) error {
	b := tx.Bucket(logBucket)
	for _, e := range entries {
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		v, err := json.Marshal(e)
		if err != nil {
			return err
		}
		if err := b.Put(binary.BigEndian.AppendUint64(nil, seq), v); err != nil {
			return err
		}
	}
	return nil
}

// gone reports whether a recording was already let go (trashed, deleted
// or found gone) by an earlier clean-up, and how.
func (s *Store) gone(accountID, recordingID string) (Outcome, bool) {
	var o Outcome
	_ = s.db.View(func(tx *bbolt.Tx) error {
		o = Outcome(tx.Bucket(doneBucket).Get(scheduleKey(accountID, recordingID)))
		return nil
	})
	return o, o != ""
}

// FirstTime reports whether nothing was ever cleaned up or scheduled for
// the account: the window asks for a confirmation then, whatever the mode.
func (s *Store) FirstTime(accountID string) bool {
	first := true
	_ = s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(logBucket).ForEach(func(_, v []byte) error {
			var e Entry
			if json.Unmarshal(v, &e) == nil && e.AccountID == accountID {
				first = false
				return errStop
			}
			return nil
		})
	})
	return first
}

// errStop ends a ForEach early.
var errStop = errors.New("stop")

// Log returns every clean-up step, oldest first.
func (s *Store) Log() ([]Entry, error) {
	var out []Entry
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(logBucket).ForEach(func(_, v []byte) error {
			var e Entry
			if json.Unmarshal(v, &e) == nil {
				out = append(out, e)
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("reading the clean-up log: %w", err)
	}
	return out, nil
}

// Cancel keeps a recording whose permanent delete is waiting: it is
// marked cancelled (and logged), so that no later run deletes or
// schedules it again. It returns ErrNotScheduled when none is waiting.
func (s *Store) Cancel(accountID, recordingID string, now time.Time) error {
	sc, ok := s.scheduled(accountID, recordingID)
	if !ok || sc.Canceled {
		return ErrNotScheduled
	}
	sc.Canceled = true
	return s.write(sc, false, Entry{At: now, AccountID: sc.AccountID, AccountName: sc.AccountName, Platform: sc.Platform,
		RecordingID: sc.RecordingID, Title: sc.Title, Size: sc.Size, Mode: fetch.DeleteForever, Files: sc.Files, Outcome: Canceled})
}

// Forget drops every scheduled or cancelled delete of an account, for
// when its setting is chosen anew.
func (s *Store) Forget(accountID string) error {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(scheduledBucket)
		var keys [][]byte
		err := b.ForEach(func(k, v []byte) error {
			var sc Scheduled
			if json.Unmarshal(v, &sc) == nil && sc.AccountID == accountID {
				keys = append(keys, append([]byte(nil), k...))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range keys {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("forgetting the scheduled deletes: %w", err)
	}
	return nil
}

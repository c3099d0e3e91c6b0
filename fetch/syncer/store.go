package syncer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"cloudreel/fetch/buckets"
)

// The buckets of the shared store that keeping in sync owns.
var (
	settingsBucket = []byte("sync-settings") // account id → Settings
	stateBucket    = []byte("sync-state")    // account id → state
	seenBucket     = []byte("sync-seen")     // account id + "\x00" + file id → seenFile
)

// ErrNotSet says an account is not set to keep in sync.
var ErrNotSet = errors.New("this account is not set to keep in sync")

// state is what the looks at one account found so far.
type state struct {
	// LastLook is when the last look that found something began; the
	// next look lists from it, less the overlap. Zero before the first.
	LastLook time.Time `json:"last_look"`
	// Pending are the recordings the platform listed as still being
	// processed (recording id → start): the looks reach back to them
	// until their files are listed.
	Pending map[string]time.Time `json:"pending,omitempty"`
}

// seenFile is a file handed to the queue: its job, and its recording's
// start (entries from before every look's reach are dropped).
type seenFile struct {
	Job   string    `json:"job"`
	Start time.Time `json:"start"`
}

func seenKey(accountID, fileID string) []byte {
	return []byte(accountID + "\x00" + fileID)
}

func seenPrefix(accountID string) []byte { return []byte(accountID + "\x00") }

// initStore creates the buckets when they are missing; a store that has
// them is only read, so that a sync with nothing new writes nothing.
func (s *Syncer) initStore() error {
	if err := buckets.Ensure(s.db, settingsBucket, stateBucket, seenBucket); err != nil {
		return fmt.Errorf("preparing the sync settings in the store: %w", err)
	}
	return nil
}

// Settings returns an account's settings, with the defaults filled in;
// ErrNotSet when it is not kept in sync.
func (s *Syncer) Settings(accountID string) (Settings, error) {
	var set Settings
	err := s.db.View(func(tx *bbolt.Tx) error {
		v := tx.Bucket(settingsBucket).Get([]byte(accountID))
		if v == nil {
			return ErrNotSet
		}
		return json.Unmarshal(v, &set)
	})
	if err != nil {
		if errors.Is(err, ErrNotSet) {
			return Settings{}, err
		}
		return Settings{}, fmt.Errorf("reading the sync settings: %w", err)
	}
	return set.withDefaults(), nil
}

// All returns the settings of every account kept in sync, by account id.
func (s *Syncer) All() (map[string]Settings, error) {
	out := map[string]Settings{}
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(settingsBucket).ForEach(func(k, v []byte) error {
			var set Settings
			if json.Unmarshal(v, &set) == nil {
				out[string(k)] = set.withDefaults()
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("reading the sync settings: %w", err)
	}
	return out, nil
}

// Set keeps an account in sync with set. Reaching further back than
// before (a longer Since) starts the looks over, so that the next one
// reaches back that far; the files already handed to the queue stay known.
func (s *Syncer) Set(accountID string, set Settings) error {
	if err := set.Validate(); err != nil {
		return err
	}
	v, err := json.Marshal(set)
	if err != nil {
		return err
	}
	err = s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(settingsBucket)
		if old := b.Get([]byte(accountID)); old != nil {
			var prev Settings
			if json.Unmarshal(old, &prev) == nil && set.withDefaults().Since > prev.withDefaults().Since {
				if err := tx.Bucket(stateBucket).Delete([]byte(accountID)); err != nil {
					return err
				}
			}
		}
		return b.Put([]byte(accountID), v)
	})
	if err != nil {
		return fmt.Errorf("saving the sync settings: %w", err)
	}
	s.mu.Lock()
	delete(s.looked, accountID)
	s.mu.Unlock()
	return nil
}

// Stop stops keeping an account in sync and forgets what its looks
// found. Its downloads stay in the queue.
func (s *Syncer) Stop(accountID string) error {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		if tx.Bucket(settingsBucket).Get([]byte(accountID)) == nil {
			return ErrNotSet
		}
		if err := tx.Bucket(settingsBucket).Delete([]byte(accountID)); err != nil {
			return err
		}
		if err := tx.Bucket(stateBucket).Delete([]byte(accountID)); err != nil {
			return err
		}
		c := tx.Bucket(seenBucket).Cursor()
		prefix := seenPrefix(accountID)
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Seek(prefix) {
			if err := c.Delete(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, ErrNotSet) {
			return err
		}
		return fmt.Errorf("saving the sync settings: %w", err)
	}
	s.mu.Lock()
	delete(s.looked, accountID)
	s.mu.Unlock()
	return nil
}

// LastLook is when the last look at the account that found something
// began (zero before the first).
func (s *Syncer) LastLook(accountID string) (time.Time, error) {
	st, err := s.readState(accountID)
	return st.LastLook, err
}

func (s *Syncer) readState(accountID string) (state, error) {
	var st state
	err := s.db.View(func(tx *bbolt.Tx) error {
		if v := tx.Bucket(stateBucket).Get([]byte(accountID)); v != nil {
			return json.Unmarshal(v, &st)
		}
		return nil
	})
	if err != nil {
		return state{}, fmt.Errorf("reading what the last sync found: %w", err)
	}
	return st, nil
}

// seen returns, of the file ids given, those already handed to the
// queue, and every file of the account handed to the queue with its job.
func (s *Syncer) seen(accountID string) (map[string]seenFile, error) {
	out := map[string]seenFile{}
	err := s.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(seenBucket).Cursor()
		prefix := seenPrefix(accountID)
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var f seenFile
			if json.Unmarshal(v, &f) == nil {
				out[string(k[len(prefix):])] = f
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading what the last sync found: %w", err)
	}
	return out, nil
}

// save writes what a look found, in one transaction: its state, the
// files it handed to the queue, and the forgetting of files whose
// recordings no look reaches any more (started before forgetBefore).
func (s *Syncer) save(accountID string, st state, fresh map[string]seenFile, forgetBefore time.Time) error {
	v, err := json.Marshal(st)
	if err != nil {
		return err
	}
	err = s.db.Update(func(tx *bbolt.Tx) error {
		if err := tx.Bucket(stateBucket).Put([]byte(accountID), v); err != nil {
			return err
		}
		b := tx.Bucket(seenBucket)
		c := b.Cursor()
		prefix := seenPrefix(accountID)
		var old [][]byte
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var f seenFile
			if json.Unmarshal(v, &f) == nil && f.Start.Before(forgetBefore) {
				old = append(old, bytes.Clone(k))
			}
		}
		for _, k := range old {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		for id, f := range fresh {
			fv, err := json.Marshal(f)
			if err != nil {
				return err
			}
			if err := b.Put(seenKey(accountID, id), fv); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("saving what the sync found: %w", err)
	}
	return nil
}

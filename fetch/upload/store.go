package upload

import (
	"encoding/json"
	"fmt"

	"go.etcd.io/bbolt"

	"cloudreel/fetch/buckets"
	"cloudreel/fetch/valt"
)

// The buckets of the shared store (accounts.OpenDB) that uploads own.
var (
	jobsBucket     = []byte("uploads")
	readingsBucket = []byte("upload-readings") // Valt account id → the reading its server takes
)

// store keeps upload jobs in bbolt: every commit is fsynced, so a record
// id written survives a kill.
type store struct{ db *bbolt.DB }

func (s *store) init() error {
	if err := buckets.Ensure(s.db, jobsBucket, readingsBucket); err != nil {
		return fmt.Errorf("uploads: preparing the store: %w", err)
	}
	return nil
}

func (s *store) load() ([]Job, error) {
	var out []Job
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(jobsBucket).ForEach(func(k, v []byte) error {
			var j Job
			if json.Unmarshal(v, &j) != nil {
				return nil // one damaged job must not cost the others
			}
			if j.ID == "" {
				j.ID = string(k)
			}
			out = append(out, j)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("uploads: reading the saved uploads: %w", err)
	}
	return out, nil
}

func (s *store) put(j Job) error {
	v, err := json.Marshal(j)
	if err != nil {
		return err
	}
	err = s.db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(jobsBucket).Put([]byte(j.ID), v) })
	if err != nil {
		return fmt.Errorf("uploads: saving the upload of %s: %w", j.Path, err)
	}
	return nil
}

func (s *store) reading(accountID string) valt.Reading {
	var r valt.Reading
	_ = s.db.View(func(tx *bbolt.Tx) error {
		r, _ = valt.ParseReading(string(tx.Bucket(readingsBucket).Get([]byte(accountID))))
		return nil
	})
	return r
}

func (s *store) setReading(accountID string, r valt.Reading) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(readingsBucket).Put([]byte(accountID), []byte(r))
	})
}

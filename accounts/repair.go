package accounts

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// noticeBucket holds what OpenDB did about a damaged store, until it has
// been told: the process that repaired the store may not be the one that
// can show it (a window closed at once, a script's log).
var (
	noticeBucket = []byte("notices")
	repairKey    = []byte("repair")
)

// Repair is what OpenDB did about a damaged store.
type Repair struct {
	At      time.Time `json:"at"`
	Damaged string    `json:"damaged"` // where the damaged file was kept
	Cause   string    `json:"cause"`   // what was wrong with it, for logs
	// CopyOf is when the copy that was restored was taken; zero when
	// there was none and the store started empty.
	CopyOf time.Time `json:"copy_of,omitzero"`
	// Accounts are the names of the accounts there are now, filled in by
	// Store.Repair.
	Accounts []string `json:"-"`
}

// Plain says what happened, what was lost and what to do, for a person.
func (r Repair) Plain() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Cloudreel's data file was damaged (it is kept as %s, in case someone can look into it). ", filepath.Base(r.Damaged))
	if r.CopyOf.IsZero() {
		b.WriteString("There was no good copy to go back to, so the list of accounts and of downloads starts empty; files already downloaded are still in their folders. ")
		b.WriteString("Add your accounts again (cloudreel accounts add, or Add account in the window); their passwords and secrets are asked for again.")
		return b.String()
	}
	fmt.Fprintf(&b, "Cloudreel went back to its copy of %s: accounts added or changed and downloads started since then are lost; files already downloaded are still in their folders. ",
		r.CopyOf.Local().Format("2 January 2006 at 15:04"))
	if len(r.Accounts) == 0 {
		b.WriteString("That copy has no accounts: add yours again (cloudreel accounts add, or Add account in the window).")
	} else {
		fmt.Fprintf(&b, "Accounts now: %s. If one is missing, add it again (cloudreel accounts add, or Add account in the window).", strings.Join(r.Accounts, ", "))
	}
	return b.String()
}

// saveRepair keeps r in the store until ClearRepair.
func saveRepair(db *bolt.DB, r Repair) error {
	v, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("noting the repair of Cloudreel's data: %w", err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(noticeBucket)
		if err != nil {
			return err
		}
		return b.Put(repairKey, v)
	})
	if err != nil {
		return fmt.Errorf("noting the repair of Cloudreel's data: %w", err)
	}
	return nil
}

// Repair returns what OpenDB did about a damaged store, with the
// accounts there are now, until ClearRepair says it was told; nil when
// there is nothing to tell.
func (s *Store) Repair() *Repair {
	var r *Repair
	_ = s.db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(noticeBucket); b != nil {
			if v := b.Get(repairKey); v != nil {
				r = new(Repair)
				if json.Unmarshal(v, r) != nil {
					r = &Repair{}
				}
			}
		}
		return nil
	})
	if r == nil {
		return nil
	}
	list, _ := s.List()
	for _, a := range list {
		r.Accounts = append(r.Accounts, a.Name)
	}
	return r
}

// ClearRepair forgets the repair once a person has been told of it.
func (s *Store) ClearRepair() error {
	return s.db.Update(func(tx *bolt.Tx) error {
		if b := tx.Bucket(noticeBucket); b != nil {
			return b.Delete(repairKey)
		}
		return nil
	})
}

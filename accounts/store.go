package accounts

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2/lang"
	bolt "go.etcd.io/bbolt"

	"cloudreel/fetch"
	"cloudreel/fetch/buckets"
)

// bucket is the bbolt bucket of the shared store that holds accounts,
// keyed by account ID, as JSON.
var bucket = []byte("accounts")

// ErrNoAccount says no account has the ID or name asked for.
var ErrNoAccount = errors.New("no such account")

// Store keeps accounts in the shared bbolt store and their secrets in
// Secrets. Its methods are safe for concurrent use.
type Store struct {
	db      *bolt.DB
	secrets *Secrets
	now     func() time.Time

	mu     sync.Mutex
	http   *http.Client
	limits Timeouts // zero: DefaultTimeouts
}

// NewStore returns a Store on db (from OpenDB) and secrets, creating the
// accounts bucket when the store is new.
func NewStore(db *bolt.DB, secrets *Secrets) (*Store, error) {
	if err := buckets.Ensure(db, bucket); err != nil {
		return nil, fmt.Errorf("preparing the accounts in Cloudreel's data: %w", err)
	}
	return &Store{db: db, secrets: secrets, now: time.Now}, nil
}

// Secrets returns the secrets the store uses, for the window's
// "keep it for this session only" choice.
func (s *Store) Secrets() *Secrets { return s.secrets }

// Secret returns the saved secret of account id (keyring or this
// session), for testing an edited account whose secret was not retyped.
// It is registered for redaction; never show it.
func (s *Store) Secret(ctx context.Context, id string) (string, error) {
	return s.secrets.Get(ctx, id)
}

// SetHTTPClient makes the connectors the store builds use c (the demo and
// tests pass the simulator's client); nil means each connector's default.
func (s *Store) SetHTTPClient(c *http.Client) {
	s.mu.Lock()
	s.http = c
	s.mu.Unlock()
}

func (s *Store) httpClient() *http.Client {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.http
}

// List returns every account, by platform (in fetch.Platforms order) and
// then by name.
func (s *Store) List() ([]Account, error) {
	var out []Account
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucket)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			a, err := decode(k, v)
			if err != nil {
				return err
			}
			out = append(out, a)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("reading the accounts: %w", err)
	}
	slices.SortFunc(out, func(a, b Account) int {
		return cmp.Or(cmp.Compare(platformRank(a), platformRank(b)),
			cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)),
			cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// Get returns the account with ID id, or ErrNoAccount.
func (s *Store) Get(id string) (Account, error) {
	var a Account
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		a, err = get(tx, id)
		return err
	})
	return a, err
}

// ByName returns the account called name (ignoring case and surrounding
// spaces, as uniqueness does), or an error naming it.
func (s *Store) ByName(name string) (Account, error) {
	var a Account
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		a, err = byName(tx, name)
		return err
	})
	return a, err
}

// Add saves a new account and its secret: the secret to the keyring, the
// rest to the store. a.ID and a.Created are set here; the saved account is
// returned. Names are unique, ignoring case.
func (s *Store) Add(ctx context.Context, a Account, secret string) (Account, error) {
	a = a.Normalize()
	if err := a.Validate(); err != nil {
		return Account{}, err
	}
	if secret == "" {
		return Account{}, errors.New(lang.L("enter the {{.Secret}} of {{.Name}}", map[string]any{"Secret": SecretName(a), "Name": a.Name}))
	}
	// Checked before the keyring is touched, so that a taken name does not
	// cost a keyring prompt; checked again below, inside the write.
	if err := s.nameFree(a.Name, ""); err != nil {
		return Account{}, err
	}
	a.ID = newID()
	a.Created = s.now().UTC()
	a.LastUsed = time.Time{}
	if err := s.secrets.set(ctx, a.ID, secret, true); err != nil {
		return Account{}, fmt.Errorf("%s: %w", lang.L("saving the {{.Secret}} of {{.Name}}", map[string]any{"Secret": SecretName(a), "Name": a.Name}), err)
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		if _, err := byName(tx, a.Name); err == nil {
			return takenError(a.Name)
		}
		return put(tx, a)
	})
	if err != nil {
		// The account was not saved: its secret must not outlive it.
		_ = s.secrets.Delete(context.WithoutCancel(ctx), a.ID)
		return Account{}, err
	}
	s.keepCopy()
	return a, nil
}

// keepCopy refreshes the store's last good copy after a change of the
// accounts, which are few and costly to lose (a damaged store goes back
// to it). Failing to leaves the older copy.
func (s *Store) keepCopy() { _ = KeepCopy(s.db) }

// Update saves changed settings of an existing account (found by a.ID).
// An empty secret keeps the saved one; another replaces it. The ID and
// creation time never change.
func (s *Store) Update(ctx context.Context, a Account, secret string) error {
	a = a.Normalize()
	if err := a.Validate(); err != nil {
		return err
	}
	old, err := s.Get(a.ID)
	if err != nil {
		return err
	}
	if err := s.nameFree(a.Name, a.ID); err != nil {
		return err
	}
	if secret != "" {
		if err := s.secrets.Set(ctx, a.ID, secret); err != nil {
			return fmt.Errorf("%s: %w", lang.L("saving the {{.Secret}} of {{.Name}}", map[string]any{"Secret": SecretName(a), "Name": a.Name}), err)
		}
	}
	a.Created = old.Created
	err = s.db.Update(func(tx *bolt.Tx) error {
		if other, err := byName(tx, a.Name); err == nil && other.ID != a.ID {
			return takenError(a.Name)
		}
		if _, err := get(tx, a.ID); err != nil {
			return err
		}
		return put(tx, a)
	})
	if err == nil {
		s.keepCopy()
	}
	return err
}

// Remove deletes an account and its keyring entry. The secret goes first:
// when the keyring cannot be reached the account stays, so that no secret
// is left behind without an account that points to it. (Its queued jobs
// are the queue's: the window asks about them before calling Remove.)
func (s *Store) Remove(ctx context.Context, id string) error {
	a, err := s.Get(id)
	if err != nil {
		return err
	}
	if err := s.secrets.Delete(ctx, id); err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("%s: %w", lang.L("removing the {{.Secret}} of {{.Name}}", map[string]any{"Secret": SecretName(a), "Name": a.Name}), err)
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucket)
		if b == nil {
			return nil
		}
		return b.Delete([]byte(id))
	})
	if err != nil {
		return fmt.Errorf("removing %s: %w", a.Name, err)
	}
	s.keepCopy()
	return nil
}

// Touch records that the account was just used, for "last used" in the
// window.
func (s *Store) Touch(id string) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		a, err := get(tx, id)
		if err != nil {
			return err
		}
		a.LastUsed = s.now().UTC()
		return put(tx, a)
	})
}

// nameFree returns an error when another account than except is called
// name already.
func (s *Store) nameFree(name, except string) error {
	a, err := s.ByName(name)
	switch {
	case errors.Is(err, ErrNoAccount):
		return nil
	case err != nil:
		return err
	case a.ID == except:
		return nil
	}
	return takenError(name)
}

// noAccount is an error that reads as a sentence and matches ErrNoAccount.
type noAccount string

func (e noAccount) Error() string        { return "there is no account " + string(e) }
func (e noAccount) Is(target error) bool { return target == ErrNoAccount }

func takenError(name string) error {
	return fmt.Errorf("an account called %q exists already: choose another name", name)
}

func get(tx *bolt.Tx, id string) (Account, error) {
	b := tx.Bucket(bucket)
	if b == nil {
		return Account{}, noAccount("with ID " + id)
	}
	v := b.Get([]byte(id))
	if v == nil {
		return Account{}, noAccount("with ID " + id)
	}
	return decode([]byte(id), v)
}

func byName(tx *bolt.Tx, name string) (Account, error) {
	name = strings.TrimSpace(name)
	var found *Account
	if b := tx.Bucket(bucket); b != nil {
		err := b.ForEach(func(k, v []byte) error {
			a, err := decode(k, v)
			if err != nil {
				return err
			}
			if strings.EqualFold(a.Name, name) {
				found = &a
			}
			return nil
		})
		if err != nil {
			return Account{}, err
		}
	}
	if found == nil {
		return Account{}, noAccount(fmt.Sprintf("called %q", name))
	}
	return *found, nil
}

func put(tx *bolt.Tx, a Account) error {
	b, err := tx.CreateBucketIfNotExists(bucket)
	if err != nil {
		return fmt.Errorf("creating the accounts bucket: %w", err)
	}
	v, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("encoding account %s: %w", a.Name, err)
	}
	return b.Put([]byte(a.ID), v)
}

func decode(k, v []byte) (Account, error) {
	var a Account
	if err := json.Unmarshal(v, &a); err != nil {
		return Account{}, fmt.Errorf("account %s is damaged in the store: %w", k, err)
	}
	return a, nil
}

func platformRank(a Account) int {
	for i, p := range fetch.Platforms {
		if p == a.Platform {
			return i
		}
	}
	return len(fetch.Platforms)
}

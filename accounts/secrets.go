package accounts

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/zalando/go-keyring"

	"cloudreel/fetch"
)

// Service is the keyring service every Cloudreel secret is filed under;
// the entry's user is the account's ID.
const Service = "cloudreel"

// DefaultTimeout bounds one keyring call. A locked keyring may show an
// unlock prompt, so it is long enough for a person to type a password,
// and short enough that a headless box without a prompter does not look
// frozen.
const DefaultTimeout = 15 * time.Second

// ErrNotFound says the keyring (and this session) holds no secret for the
// account: the person has to type it again.
var ErrNotFound = errors.New("no saved password or secret for this account: enter it again")

// ErrKeyringUnavailable is matched (errors.Is) by every error that means
// the OS keyring cannot be used right now: there is none (Linux without a
// Secret Service, a headless box), it is locked, or it did not answer in
// time. The window then offers to keep the secret for this session only
// (Secrets.UseSessionOnly).
var ErrKeyringUnavailable = errors.New("the system's password store (keyring) is not available")

// ErrKeyringTimeout is the cause of a KeyringError when the keyring did
// not answer within the timeout, typically because it waits to be unlocked.
var ErrKeyringTimeout = errors.New("the keyring did not answer in time")

// KeyringError is a failure of the OS keyring itself, as opposed to a
// missing entry. It matches ErrKeyringUnavailable and its cause.
type KeyringError struct {
	Op  string // what Cloudreel was doing: "save", "read", "delete"
	Err error  // the cause: ErrKeyringTimeout, a D-Bus error, ...
}

// Error is the detailed message, for logs; people read Plain.
func (e *KeyringError) Error() string {
	return fmt.Sprintf("could not %s the secret in the system keyring: %v", e.Op, fetch.Redacted(e.Err))
}

// Unwrap lets errors.Is see both ErrKeyringUnavailable and the cause.
func (e *KeyringError) Unwrap() []error { return []error{ErrKeyringUnavailable, e.Err} }

// Plain is the sentence a person reads (fetch.Plain uses it).
func (e *KeyringError) Plain() string {
	if errors.Is(e.Err, ErrKeyringTimeout) {
		return "The system's password store (keyring) did not answer; it may be locked and waiting for you to unlock it. Unlock it and try again."
	}
	return "Cloudreel could not use the system's password store (keyring): it is missing or locked. Unlock it, or install one such as GNOME Keyring or KWallet, and try again."
}

// Backend is a keyring: the OS one through go-keyring (OSKeyring) in the
// application, or a stand-in in tests (a slow one, a broken one).
type Backend interface {
	Set(service, user, secret string) error
	Get(service, user string) (string, error)
	Delete(service, user string) error
}

// OSKeyring is the OS keyring through go-keyring: the Secret Service on
// Linux, the Keychain on macOS, the Credential Manager on Windows, or
// go-keyring's in-memory mock after keyring.MockInit.
type OSKeyring struct{}

// Set implements Backend.
func (OSKeyring) Set(service, user, secret string) error { return keyring.Set(service, user, secret) }

// Get implements Backend.
func (OSKeyring) Get(service, user string) (string, error) { return keyring.Get(service, user) }

// Delete implements Backend.
func (OSKeyring) Delete(service, user string) error { return keyring.Delete(service, user) }

// Secrets keeps account secrets in a keyring. Every keyring call runs in
// its own goroutine and is abandoned after the timeout, because a keyring
// can block on an unlock prompt or hang outright, and the window must not
// freeze. When the keyring cannot be used, the caller may switch to
// session-only mode: secrets then live in this process's memory until it
// exits, and are never written anywhere.
type Secrets struct {
	backend Backend
	timeout time.Duration

	mu          sync.Mutex
	sessionOnly bool
	session     map[string]string // account ID → secret, kept for this session only
}

// NewSecrets returns Secrets on the OS keyring with DefaultTimeout.
func NewSecrets() *Secrets { return NewSecretsWith(OSKeyring{}, DefaultTimeout) }

// NewSecretsWith returns Secrets on backend, abandoning each call after
// timeout (DefaultTimeout when zero or less).
func NewSecretsWith(backend Backend, timeout time.Duration) *Secrets {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return &Secrets{backend: backend, timeout: timeout, session: map[string]string{}}
}

// UseSessionOnly switches session-only mode on or off. While on, Set keeps
// secrets in memory, and Get and Delete do not touch the keyring. Secrets
// kept in memory stay readable after it is switched off.
func (s *Secrets) UseSessionOnly(on bool) {
	s.mu.Lock()
	s.sessionOnly = on
	s.mu.Unlock()
}

// SessionOnly reports whether session-only mode is on.
func (s *Secrets) SessionOnly() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessionOnly
}

// InSession reports whether the secret of account id is kept in memory
// only, so the window can say it will be forgotten on quitting.
func (s *Secrets) InSession(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.session[id]
	return ok
}

// Set stores the secret of account id. It is registered with
// fetch.AddSecret first, so that no log line or error can show it.
func (s *Secrets) Set(ctx context.Context, id, secret string) error {
	return s.set(ctx, id, secret, false)
}

// set stores a secret; undoLate deletes it again when the keyring
// finishes after the call was abandoned, for a new account whose saving
// has failed, so that no orphan secret stays behind.
func (s *Secrets) set(ctx context.Context, id, secret string, undoLate bool) error {
	fetch.AddSecret(secret)
	s.mu.Lock()
	if s.sessionOnly {
		s.session[id] = secret
		s.mu.Unlock()
		return nil
	}
	s.mu.Unlock()
	var undo func()
	if undoLate {
		undo = func() { _ = s.backend.Delete(Service, id) }
	}
	_, err := s.call(ctx, "save", func() (string, error) {
		return "", s.backend.Set(Service, id, secret)
	}, undo)
	if err != nil {
		return err
	}
	// The keyring holds it now: a copy kept from an earlier session-only
	// Set must not shadow it.
	s.mu.Lock()
	delete(s.session, id)
	s.mu.Unlock()
	return nil
}

// Get returns the secret of account id: from this session's memory when it
// is there, else from the keyring. ErrNotFound when neither has it.
func (s *Secrets) Get(ctx context.Context, id string) (string, error) {
	s.mu.Lock()
	v, ok := s.session[id]
	only := s.sessionOnly
	s.mu.Unlock()
	if ok {
		return v, nil
	}
	if only {
		return "", ErrNotFound
	}
	v, err := s.call(ctx, "read", func() (string, error) { return s.backend.Get(Service, id) }, nil)
	if err != nil {
		return "", err
	}
	fetch.AddSecret(v)
	return v, nil
}

// Delete forgets the secret of account id, in memory and in the keyring.
// It returns ErrNotFound when there was none. In session-only mode the
// keyring is not touched: an entry saved in an earlier session stays
// there until the keyring can be used again.
func (s *Secrets) Delete(ctx context.Context, id string) error {
	s.mu.Lock()
	_, had := s.session[id]
	delete(s.session, id)
	only := s.sessionOnly
	s.mu.Unlock()
	if only {
		if had {
			return nil
		}
		return ErrNotFound
	}
	_, err := s.call(ctx, "delete", func() (string, error) { return "", s.backend.Delete(Service, id) }, nil)
	if had && errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// Available checks that the keyring can be used, by reading an entry that
// does not exist; the window calls it once at start to offer session-only
// mode up front rather than after a failed save.
func (s *Secrets) Available(ctx context.Context) error {
	_, err := s.call(ctx, "read", func() (string, error) { return s.backend.Get(Service, "availability-probe") }, nil)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// call runs f in its own goroutine and waits for it at most s.timeout or
// until ctx ends. When the caller gives up first and f later succeeds,
// undo (if not nil) runs, in that goroutine.
func (s *Secrets) call(ctx context.Context, op string, f func() (string, error), undo func()) (string, error) {
	type result struct {
		v   string
		err error
	}
	var (
		mu        sync.Mutex
		abandoned bool
	)
	ch := make(chan result, 1)
	go func() {
		v, err := f()
		mu.Lock()
		defer mu.Unlock()
		if abandoned {
			if err == nil && undo != nil {
				undo()
			}
			return
		}
		ch <- result{v, err} // buffered: never blocks
	}()
	timer := time.NewTimer(s.timeout)
	defer timer.Stop()
	var giveUp error
	select {
	case r := <-ch:
		return r.v, classify(op, r.err)
	case <-timer.C:
		giveUp = &KeyringError{Op: op, Err: fmt.Errorf("%w (after %s)", ErrKeyringTimeout, s.timeout)}
	case <-ctx.Done():
		giveUp = fmt.Errorf("%s the secret: %w", op, ctx.Err())
	}
	// Deciding under the lock means f's result is either taken here or
	// seen as abandoned by its goroutine, never lost between the two.
	mu.Lock()
	defer mu.Unlock()
	select {
	case r := <-ch:
		return r.v, classify(op, r.err)
	default:
		abandoned = true
		return "", giveUp
	}
}

// classify maps a keyring's errors onto ErrNotFound, a plain error, or a
// KeyringError (the keyring itself failed).
func classify(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keyring.ErrNotFound), errors.Is(err, ErrNotFound):
		return ErrNotFound
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return fmt.Errorf("the secret is too long for the system keyring: %w", err)
	}
	return &KeyringError{Op: op, Err: err}
}

package accounts

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"cloudreel/fetch"
)

func TestSecretsRoundTrip(t *testing.T) {
	mockKeyring(t)
	ctx := context.Background()
	s := NewSecrets()
	if err := s.Set(ctx, "acc-1", "round-trip-secret-1"); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, "acc-1")
	if err != nil || got != "round-trip-secret-1" {
		t.Fatalf("Get = %q, %v", got, err)
	}
	// It went to the keyring under service "cloudreel", user = the ID.
	if v, err := keyring.Get("cloudreel", "acc-1"); err != nil || v != "round-trip-secret-1" {
		t.Fatalf("keyring.Get = %q, %v", v, err)
	}
	if s.InSession("acc-1") {
		t.Error("a secret saved in the keyring is reported as session-only")
	}
	if err := s.Delete(ctx, "acc-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, "acc-1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete: %v, want ErrNotFound", err)
	}
	if err := s.Delete(ctx, "acc-1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second Delete: %v, want ErrNotFound", err)
	}
}

func TestSecretsRegisteredForRedaction(t *testing.T) {
	mockKeyring(t)
	ctx := context.Background()
	// Stored behind Secrets' back, as by an earlier run of the program:
	// only reading it can register it.
	if err := keyring.Set(Service, "acc-redact", "secret-from-an-earlier-run"); err != nil {
		t.Fatal(err)
	}
	line := "signing in with secret-from-an-earlier-run failed"
	if _, err := NewSecrets().Get(ctx, "acc-redact"); err != nil {
		t.Fatal(err)
	}
	if got := fetch.Redact(line); strings.Contains(got, "secret-from-an-earlier-run") {
		t.Errorf("a secret read from the keyring is not masked: %q", got)
	}
	// And one set through Secrets is registered too.
	if err := NewSecrets().Set(ctx, "acc-redact-2", "secret-set-just-now"); err != nil {
		t.Fatal(err)
	}
	if got := fetch.Redact("x secret-set-just-now y"); got != "x *** y" {
		t.Errorf("Redact = %q", got)
	}
}

// blockingBackend is a keyring that hangs, as one waiting for an unlock
// prompt nobody answers, until release is closed.
type blockingBackend struct {
	release chan struct{}
	mu      sync.Mutex
	stored  map[string]string
	deleted chan string // user of every Delete, once it ran
}

func newBlockingBackend() *blockingBackend {
	return &blockingBackend{release: make(chan struct{}), stored: map[string]string{}, deleted: make(chan string, 10)}
}

func (b *blockingBackend) Set(service, user, secret string) error {
	<-b.release
	b.mu.Lock()
	b.stored[user] = secret
	b.mu.Unlock()
	return nil
}

func (b *blockingBackend) Get(service, user string) (string, error) {
	<-b.release
	b.mu.Lock()
	defer b.mu.Unlock()
	if v, ok := b.stored[user]; ok {
		return v, nil
	}
	return "", keyring.ErrNotFound
}

func (b *blockingBackend) Delete(service, user string) error {
	b.mu.Lock()
	delete(b.stored, user)
	b.mu.Unlock()
	b.deleted <- user
	return nil
}

func TestSecretsTimeout(t *testing.T) {
	b := newBlockingBackend()
	t.Cleanup(func() { close(b.release) })
	s := NewSecretsWith(b, 20*time.Millisecond)
	ctx := context.Background()

	err := s.Set(ctx, "acc-slow", "slow-secret-value")
	if !errors.Is(err, ErrKeyringUnavailable) || !errors.Is(err, ErrKeyringTimeout) {
		t.Fatalf("Set on a hanging keyring: %v, want ErrKeyringUnavailable and ErrKeyringTimeout", err)
	}
	if msg := fetch.Plain(err); !strings.Contains(msg, "unlock") {
		t.Errorf("plain message %q does not tell to unlock the keyring", msg)
	}
	if _, err := s.Get(ctx, "acc-slow"); !errors.Is(err, ErrKeyringTimeout) {
		t.Fatalf("Get on a hanging keyring: %v, want ErrKeyringTimeout", err)
	}
	if err := s.Available(ctx); !errors.Is(err, ErrKeyringUnavailable) {
		t.Fatalf("Available on a hanging keyring: %v", err)
	}
	// The caller's context ends the wait too, without calling the keyring
	// broken.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	slow := NewSecretsWith(b, time.Hour)
	if _, err := slow.Get(cctx, "acc-slow"); !errors.Is(err, context.Canceled) || errors.Is(err, ErrKeyringUnavailable) {
		t.Fatalf("Get with a canceled context: %v", err)
	}
}

func TestSecretsLateSaveOfNewAccountIsUndone(t *testing.T) {
	b := newBlockingBackend()
	s := NewSecretsWith(b, 10*time.Millisecond)
	if err := s.set(context.Background(), "acc-late", "late-secret-value", true); !errors.Is(err, ErrKeyringTimeout) {
		t.Fatalf("set: %v, want a timeout", err)
	}
	close(b.release) // the keyring wakes up and saves it after all...
	select {
	case user := <-b.deleted: // ...and it is deleted again
		if user != "acc-late" {
			t.Fatalf("deleted %q, want acc-late", user)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a save that finished after its caller gave up was not undone")
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.stored["acc-late"]; ok {
		t.Fatal("the late secret is still in the keyring")
	}
}

func TestSecretsMissingKeyringAndSessionOnly(t *testing.T) {
	mockKeyring(t)
	t.Cleanup(keyring.MockInit)
	keyring.MockInitWithError(errors.New("org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided by any .service files"))
	ctx := context.Background()
	s := NewSecrets()

	err := s.Set(ctx, "acc-nokeyring", "session-secret-1")
	if !errors.Is(err, ErrKeyringUnavailable) {
		t.Fatalf("Set without a keyring: %v, want ErrKeyringUnavailable", err)
	}
	if errors.Is(err, ErrKeyringTimeout) {
		t.Errorf("a missing keyring is reported as a timeout: %v", err)
	}
	msg := fetch.Plain(err)
	if !strings.Contains(msg, "password store (keyring)") || strings.Contains(msg, "DBus") {
		t.Errorf("plain message %q: want a sentence about the keyring, without D-Bus jargon", msg)
	}
	if err := s.Available(ctx); !errors.Is(err, ErrKeyringUnavailable) {
		t.Errorf("Available without a keyring: %v", err)
	}

	// The person chose "keep it for this session only".
	s.UseSessionOnly(true)
	if !s.SessionOnly() {
		t.Fatal("SessionOnly is off after UseSessionOnly(true)")
	}
	if err := s.Set(ctx, "acc-nokeyring", "session-secret-1"); err != nil {
		t.Fatalf("session-only Set: %v", err)
	}
	if got, err := s.Get(ctx, "acc-nokeyring"); err != nil || got != "session-secret-1" {
		t.Fatalf("session-only Get = %q, %v", got, err)
	}
	if !s.InSession("acc-nokeyring") {
		t.Error("InSession is false for a session-only secret")
	}
	if _, err := s.Get(ctx, "acc-other"); !errors.Is(err, ErrNotFound) {
		t.Errorf("session-only Get of an unknown account: %v, want ErrNotFound (not a keyring error)", err)
	}
	// Kept secrets stay readable when the mode is switched off again.
	s.UseSessionOnly(false)
	if got, err := s.Get(ctx, "acc-nokeyring"); err != nil || got != "session-secret-1" {
		t.Fatalf("Get after leaving session-only mode = %q, %v", got, err)
	}
	s.UseSessionOnly(true)
	if err := s.Delete(ctx, "acc-nokeyring"); err != nil {
		t.Fatalf("session-only Delete: %v", err)
	}
	if _, err := s.Get(ctx, "acc-nokeyring"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get after session-only Delete: %v", err)
	}
}

// TestNoSecretService runs the real go-keyring (no mock) in a child
// process whose D-Bus session address leads nowhere, as on a headless box
// without a Secret Service: the child checks ErrKeyringUnavailable and
// the session-only fallback. The real-keyring tests reuse the child with
// a keyring that cannot be unlocked.
func TestNoSecretService(t *testing.T) {
	if os.Getenv("CLOUDREEL_KEYRING_CHILD") == "1" {
		keyringUnavailableChild(t)
		return
	}
	if runtime.GOOS != "linux" {
		t.Skip("the Secret Service is Linux's keyring; elsewhere the child would reach the real one")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestNoSecretService$", "-test.v")
	cmd.Env = append(os.Environ(),
		"CLOUDREEL_KEYRING_CHILD=1",
		"CLOUDREEL_REAL_KEYRING=",
		"DBUS_SESSION_BUS_ADDRESS=unix:path="+t.TempDir()+"/no-bus-here")
	runChild(t, cmd)
}

// runChild runs a child test process and fails t unless it passed.
func runChild(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestNoSecretService") {
		t.Fatalf("child: %v\n%s", err, out)
	}
	t.Logf("child:\n%s", out)
}

func keyringUnavailableChild(t *testing.T) {
	ctx := context.Background()
	s := NewSecretsWith(OSKeyring{}, 5*time.Second)
	err := s.Set(ctx, "acc-child", "child-secret-value")
	if !errors.Is(err, ErrKeyringUnavailable) {
		t.Fatalf("Set on an unusable keyring: %v, want ErrKeyringUnavailable", err)
	}
	t.Logf("the keyring said: %v", err)
	t.Logf("a person reads: %s", fetch.Plain(err))
	s.UseSessionOnly(true)
	if err := s.Set(ctx, "acc-child", "child-secret-value"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(ctx, "acc-child"); err != nil || got != "child-secret-value" {
		t.Fatalf("session-only Get = %q, %v", got, err)
	}
}

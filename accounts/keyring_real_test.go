package accounts

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/zalando/go-keyring"
)

// These tests use the real OS keyring. They run only when
// CLOUDREEL_REAL_KEYRING=1, which `make keyring-test` sets inside a
// private D-Bus session with an unlocked gnome-keyring:
//
//	dbus-run-session -- sh -c 'echo pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null &&
//	    CLOUDREEL_REAL_KEYRING=1 go test -race -count=1 -run Keyring ./accounts/...'
//
// Never run them against a person's own keyring session: they write and
// delete entries of the service "cloudreel".

func needRealKeyring(t *testing.T) {
	t.Helper()
	if !realKeyring() {
		t.Skip("set CLOUDREEL_REAL_KEYRING=1 inside a throw-away D-Bus session with gnome-keyring (make keyring-test)")
	}
}

func TestRealKeyringRoundTrip(t *testing.T) {
	needRealKeyring(t)
	ctx := context.Background()
	s := NewSecrets()
	if err := s.Available(ctx); err != nil {
		t.Fatalf("the real keyring is not usable: %v", err)
	}
	id := newID()
	t.Cleanup(func() { _ = keyring.Delete(Service, id) })
	if err := s.Set(ctx, id, "real-keyring-secret-1"); err != nil {
		t.Fatal(err)
	}
	// Another reader (go-keyring directly, as another process would) sees it.
	if v, err := keyring.Get(Service, id); err != nil || v != "real-keyring-secret-1" {
		t.Fatalf("keyring.Get = %q, %v", v, err)
	}
	if err := s.Set(ctx, id, "real-keyring-secret-2"); err != nil {
		t.Fatal(err)
	}
	if v, err := NewSecrets().Get(ctx, id); err != nil || v != "real-keyring-secret-2" {
		t.Fatalf("Get after replacing = %q, %v", v, err)
	}
	if err := s.Delete(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete: %v, want ErrNotFound", err)
	}
}

func TestRealKeyringStoreFourAccounts(t *testing.T) {
	needRealKeyring(t)
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir, NewSecrets())
	accts, secrets := fourAccounts()
	for i := range accts {
		a, err := s.Add(ctx, accts[i], secrets[i])
		if err != nil {
			t.Fatalf("Add %s: %v", accts[i].Name, err)
		}
		accts[i] = a
		t.Cleanup(func() { _ = keyring.Delete(Service, a.ID) })
	}
	for i, a := range accts {
		if v, err := keyring.Get(Service, a.ID); err != nil || v != secrets[i] {
			t.Errorf("keyring entry of %s = %q, %v", a.Name, v, err)
		}
		if s.Secrets().InSession(a.ID) {
			t.Errorf("%s's secret is kept in memory, not in the keyring", a.Name)
		}
	}
	scanForSecrets(t, dir, secrets)

	for _, a := range accts {
		if err := s.Remove(ctx, a.ID); err != nil {
			t.Fatalf("Remove %s: %v", a.Name, err)
		}
		if _, err := keyring.Get(Service, a.ID); !errors.Is(err, keyring.ErrNotFound) {
			t.Errorf("keyring entry of %s after Remove: %v, want not found", a.Name, err)
		}
	}
	if list, _ := s.List(); len(list) != 0 {
		t.Errorf("accounts left after removing all: %+v", list)
	}
}

// TestRealKeyringLocked runs the unavailable-keyring child inside a D-Bus
// session of its own whose gnome-keyring was started but never unlocked,
// as on a headless box where nobody can answer the unlock prompt.
func TestRealKeyringLocked(t *testing.T) {
	needRealKeyring(t)
	for _, bin := range []string{"dbus-run-session", "gnome-keyring-daemon"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Skipf("%s is not installed", bin)
		}
	}
	cmd := exec.Command("dbus-run-session", "--", "sh", "-c",
		`gnome-keyring-daemon --start --components=secrets >/dev/null 2>&1; exec "$0" -test.run='^TestNoSecretService$' -test.v`,
		os.Args[0])
	cmd.Env = append(os.Environ(),
		"CLOUDREEL_KEYRING_CHILD=1",
		"CLOUDREEL_REAL_KEYRING=",
		// A keyring of its own: never the one of the session running the tests.
		"XDG_DATA_HOME="+t.TempDir(),
		"XDG_RUNTIME_DIR="+t.TempDir())
	runChild(t, cmd)
}

// scanForSecrets fails t when any file under dir contains one of secrets.
func scanForSecrets(t *testing.T, dir string, secrets []string) {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		for _, secret := range secrets {
			if bytes.Contains(raw, []byte(secret)) {
				t.Errorf("%s contains the secret %q", path, secret)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatalf("no file under %s to scan", dir)
	}
}

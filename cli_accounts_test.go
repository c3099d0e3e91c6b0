package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"
	bolt "go.etcd.io/bbolt"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

// accountsHome points the commands at a fresh data folder and the mock
// keyring, and returns the folder.
func accountsHome(t *testing.T) string {
	t.Helper()
	keyring.MockInit()
	dir := t.TempDir()
	t.Setenv("CLOUDREEL_HOME", dir)
	return dir
}

// runWithStdin runs a command line with stdin as standard input.
func runWithStdin(stdin string, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// listJSON runs `accounts list -json` and decodes it.
func listJSON(t *testing.T) ([]accountJSON, string) {
	t.Helper()
	code, stdout, stderr := runWithStdin("", "accounts", "list", "-json")
	if code != 0 {
		t.Fatalf("accounts list -json: exit %d: %s", code, stderr)
	}
	var got []accountJSON
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("accounts list -json printed %q: %v", stdout, err)
	}
	return got, stdout
}

// wantOnePlainLine fails t unless a command failed with exit 1 and one
// line on stderr containing want.
func wantOnePlainLine(t *testing.T, code int, stderr, want string) {
	t.Helper()
	if code != 1 || strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "cloudreel: ") || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stderr %q: want exit 1 and one line containing %q", code, stderr, want)
	}
}

func TestAccountsAddListRemove(t *testing.T) {
	accountsHome(t)
	const secret = "cli-zoom-api-secret-42"
	code, stdout, stderr := runWithStdin(secret+"\n", "accounts", "add", "-platform", "zoom", "-name", "Training", "-api-key", "key-123", "-no-check")
	if code != 0 {
		t.Fatalf("accounts add: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, `Added "Training"`) || strings.Contains(stdout+stderr, secret) {
		t.Errorf("accounts add printed %q / %q", stdout, stderr)
	}

	got, raw := listJSON(t)
	if len(got) != 1 {
		t.Fatalf("list -json has %d accounts: %s", len(got), raw)
	}
	a := got[0]
	if a.Name != "Training" || a.Platform != fetch.ZoomSDK || a.APIKey != "key-123" || a.Server != "https://api.zoom.us/v2" || a.ID == "" {
		t.Errorf("listed %+v", a)
	}
	if strings.Contains(raw, secret) {
		t.Errorf("list -json shows the secret: %s", raw)
	}
	// The secret went to the keyring under the account's ID, with its line
	// ending trimmed.
	if v, err := keyring.Get(accounts.Service, a.ID); err != nil || v != secret {
		t.Errorf("keyring holds %q, %v; want %q", v, err, secret)
	}

	code, stdout, _ = runWithStdin("", "accounts", "list")
	if code != 0 || !strings.Contains(stdout, "Training") || !strings.Contains(stdout, "Zoom Video SDK") ||
		!strings.Contains(stdout, "https://api.zoom.us/v2") || !strings.Contains(stdout, "key-123") || strings.Contains(stdout, secret) {
		t.Errorf("accounts list: exit %d:\n%s", code, stdout)
	}

	code, stdout, stderr = runWithStdin("", "accounts", "remove", "training")
	if code != 0 || !strings.Contains(stdout, `Removed "Training"`) {
		t.Fatalf("accounts remove: exit %d: %s%s", code, stdout, stderr)
	}
	if got, _ := listJSON(t); len(got) != 0 {
		t.Errorf("accounts left after remove: %+v", got)
	}
	if _, err := keyring.Get(accounts.Service, a.ID); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("keyring entry after remove: %v", err)
	}
	code, _, stderr = runWithStdin("", "accounts", "remove", "Training")
	wantOnePlainLine(t, code, stderr, `there is no account called "Training"`)
}

func TestAccountsNamesAreUnique(t *testing.T) {
	accountsHome(t)
	if code, _, stderr := runWithStdin("first-secret-1\n", "accounts", "add", "-platform", "ibm", "-name", "Lectures", "-client-id", "c1", "-no-check"); code != 0 {
		t.Fatalf("first add: %s", stderr)
	}
	code, _, stderr := runWithStdin("second-secret-2\n", "accounts", "add", "-platform", "zoom", "-name", " lectures ", "-api-key", "k", "-no-check")
	wantOnePlainLine(t, code, stderr, `an account called "Lectures" exists already`)
	if got, _ := listJSON(t); len(got) != 1 || got[0].Platform != fetch.IBMVideo {
		t.Errorf("after a refused duplicate: %+v", got)
	}
}

func TestAccountsAddErrors(t *testing.T) {
	accountsHome(t)
	cases := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"no platform", "s-123456\n", []string{"-name", "x"}, "-platform"},
		{"unknown platform", "s-123456\n", []string{"-platform", "vimeo", "-name", "x"}, "not a platform"},
		{"no name", "s-123456\n", []string{"-platform", "zoom", "-api-key", "k"}, "give the account a name"},
		{"valt without server", "s-123456\n", []string{"-platform", "valt", "-name", "v", "-username", "u"}, "address of your Valt server"},
		{"empty stdin", "", []string{"-platform", "zoom", "-name", "z", "-api-key", "k", "-no-check"}, "no API secret on standard input"},
		{"secret as argument", "", []string{"-platform", "zoom", "-name", "z", "-api-key", "k", "my-secret"}, "never from the command line"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runWithStdin(c.stdin, append([]string{"accounts", "add"}, c.args...)...)
			wantOnePlainLine(t, code, stderr, c.want)
		})
	}
	// There is no flag for the secret: the flag package refuses it.
	code, _, _ := runWithStdin("", "accounts", "add", "-platform", "zoom", "-name", "z", "-api-key", "k", "-api-secret", "x")
	if code != 2 {
		t.Errorf("-api-secret: exit %d, want 2 (no such flag)", code)
	}
	if got, _ := listJSON(t); len(got) != 0 {
		t.Errorf("failed adds saved accounts: %+v", got)
	}
}

// A server address with a user name and password, a name with a line
// break and a name of 5,000 characters are refused with one plain line
// that does not repeat the password; nothing is saved or listed.
func TestAccountsAddRefusesUserInfoAndBadNames(t *testing.T) {
	dir := accountsHome(t)
	valt := []string{"accounts", "add", "-platform", "valt", "-username", "office", "-no-check"}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"user info in server", []string{"-name", "V", "-server", "https://office:hunter2pw@valt.school.example"}, "must not contain a user name or password"},
		{"user info without scheme", []string{"-name", "V", "-server", "office:hunter2pw@valt.school.example"}, "must not contain a user name or password"},
		{"line break in name", []string{"-name", "V\nInjected\tline", "-server", "valt.school.example"}, "one line"},
		{"5000 characters", []string{"-name", strings.Repeat("n", 5000), "-server", "valt.school.example"}, "at most 100 characters"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runWithStdin("valt-secret-77\n", append(valt, c.args...)...)
			wantOnePlainLine(t, code, stderr, c.want)
			if strings.Contains(stdout+stderr, "hunter2pw") {
				t.Errorf("the password in the address was printed: %q %q", stdout, stderr)
			}
		})
	}
	if got, raw := listJSON(t); len(got) != 0 {
		t.Errorf("refused accounts were saved: %s", raw)
	}
	if data, err := os.ReadFile(filepath.Join(dir, accounts.DBFile)); err != nil || bytes.Contains(data, []byte("hunter2pw")) {
		t.Errorf("reading the store: %v; or the password reached it", err)
	}

	// An address saved with a password by an older Cloudreel is listed
	// with the password masked.
	db, err := accounts.OpenDB(dir)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte("accounts"))
		if err != nil {
			return err
		}
		return b.Put([]byte("OLD"), []byte(`{"id":"OLD","platform":"valt","name":"Old","server":"https://office:hunter2pw@valt.school.example","username":"office"}`))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"accounts", "list"}, {"accounts", "list", "-json"}} {
		code, stdout, stderr := runWithStdin("", args...)
		if code != 0 || !strings.Contains(stdout, "valt.school.example") || strings.Contains(stdout+stderr, "hunter2pw") {
			t.Errorf("%s: exit %d, printed %q %q: want the server without its password", strings.Join(args, " "), code, stdout, stderr)
		}
	}
}

func TestAccountsNoSecretInAnyFile(t *testing.T) {
	dir := accountsHome(t)
	adds := []struct {
		secret string
		args   []string
	}{
		{"valt-cli-secret-0001", []string{"-platform", "valt", "-name", "V", "-server", "valt.school.example", "-username", "office"}},
		{"ibm-cli-secret-0002", []string{"-platform", "ibm", "-name", "I", "-client-id", "cid"}},
		{"zoom-cli-secret-0003", []string{"-platform", "zoom", "-name", "Z", "-api-key", "key"}},
		{"huawei-cli-secret-0004", []string{"-platform", "huawei", "-name", "H", "-app-id", "app", "-user-id", "u", "-corp-id", "c"}},
	}
	for _, a := range adds {
		args := append([]string{"accounts", "add", "-no-check"}, a.args...)
		if code, _, stderr := runWithStdin(a.secret+"\r\n", args...); code != 0 {
			t.Fatalf("%v: %s", a.args, stderr)
		}
	}
	got, raw := listJSON(t)
	if len(got) != 4 {
		t.Fatalf("listed %d accounts", len(got))
	}
	for _, a := range got {
		if a.Platform == fetch.Valt && a.Server != "https://valt.school.example" {
			t.Errorf("Valt server %q, want https:// added", a.Server)
		}
	}
	var files int
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		for _, a := range adds {
			if bytes.Contains(b, []byte(a.secret)) {
				t.Errorf("%s contains %q", path, a.secret)
			}
		}
		return nil
	})
	if err != nil || files == 0 {
		t.Fatalf("scanning %s: %v (%d files)", dir, err, files)
	}
	for _, a := range adds {
		if strings.Contains(raw, a.secret) {
			t.Errorf("list -json shows %q", a.secret)
		}
	}
}

// TestAccountsAddTestsTheConnection adds accounts of each platform to the
// simulator: the right secret is accepted, a wrong one refused with a
// plain sentence and nothing saved.
func TestAccountsAddTestsTheConnection(t *testing.T) {
	accountsHome(t)
	s := sim.New(sim.Config{Recordings: 3, MinSize: 1000, MaxSize: 2000})
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	s.SetURL(hs.URL)
	cr := sim.DefaultCredentials
	cases := []struct {
		platform fetch.Platform
		secret   string
		args     []string
		refusal  string
	}{
		{fetch.ZoomSDK, cr.ZoomSecret, []string{"-api-key", cr.ZoomKey}, "Zoom did not accept the API key with this API secret"},
		{fetch.Valt, cr.ValtPassword, []string{"-username", cr.ValtUser}, "Valt did not accept the user name"},
		{fetch.IBMVideo, cr.IBMSecret, []string{"-client-id", cr.IBMClientID}, "IBM Video Streaming did not accept the client ID"},
		{fetch.Huawei, cr.HuaweiPwd, []string{"-account", cr.HuaweiAccount}, "Huawei Cloud Meeting did not accept the account"},
	}
	for _, c := range cases {
		t.Run(string(c.platform), func(t *testing.T) {
			args := append([]string{"accounts", "add", "-platform", string(c.platform), "-name", c.platform.Title(),
				"-server", s.BaseURL(c.platform)}, c.args...)
			code, _, stderr := runWithStdin("wrong-"+c.secret+"\n", args...)
			if strings.Contains(stderr, "not built yet") {
				t.Skipf("the %s connector is not built yet", c.platform)
			}
			wantOnePlainLine(t, code, stderr, c.refusal)
			if strings.Contains(stderr, c.secret) {
				t.Errorf("the refusal shows the secret: %s", stderr)
			}
			if _, err := findAccount(t, c.platform.Title()); err == nil {
				t.Fatal("an account whose test failed was saved")
			}
			code, stdout, stderr := runWithStdin(c.secret+"\n", args...)
			if code != 0 || !strings.Contains(stdout, "connection tested") {
				t.Fatalf("with the right secret: exit %d: %s%s", code, stdout, stderr)
			}
			if _, err := findAccount(t, c.platform.Title()); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestAccountsAddUntrustedValt: a self-signed Valt server is refused with
// its fingerprint and the flag to trust it; with -pin it is accepted.
func TestAccountsAddUntrustedValt(t *testing.T) {
	accountsHome(t)
	s := sim.New(sim.Config{Recordings: 3, MinSize: 1000, MaxSize: 2000})
	hs := httptest.NewTLSServer(s.Handler())
	t.Cleanup(hs.Close)
	s.SetURL(hs.URL)
	cr := sim.DefaultCredentials
	args := []string{"accounts", "add", "-platform", "valt", "-name", "Valt", "-server", s.BaseURL(fetch.Valt), "-username", cr.ValtUser}
	code, _, stderr := runWithStdin(cr.ValtPassword+"\n", args...)
	if strings.Contains(stderr, "not built yet") {
		t.Skip("the Valt connector is not built yet")
	}
	fp := fetch.Fingerprint(hs.Certificate())
	wantOnePlainLine(t, code, stderr, "-pin "+fp)
	code, _, stderr = runWithStdin(cr.ValtPassword+"\n", append(args, "-pin", fp)...)
	if code != 0 {
		t.Fatalf("with -pin: exit %d: %s", code, stderr)
	}
	a, err := findAccount(t, "Valt")
	if err != nil || a.Pin != fp {
		t.Fatalf("saved %+v, %v; want the pin kept", a, err)
	}
}

func findAccount(t *testing.T, name string) (accountJSON, error) {
	t.Helper()
	got, _ := listJSON(t)
	for _, a := range got {
		if a.Name == name {
			return a, nil
		}
	}
	return accountJSON{}, errors.New("no account " + name)
}

func TestAccountsUsage(t *testing.T) {
	accountsHome(t)
	if code, _, stderr := runWithStdin("", "accounts"); code != 2 || !strings.Contains(stderr, "accounts add") {
		t.Errorf("accounts: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runWithStdin("", "accounts", "rename"); code != 2 || !strings.Contains(stderr, `"rename" is not an accounts command`) {
		t.Errorf("accounts rename: exit %d: %s", code, stderr)
	}
	code, _, stderr := runWithStdin("", "accounts", "remove")
	wantOnePlainLine(t, code, stderr, "say which account to remove")
}

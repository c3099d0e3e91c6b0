package accounts

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

// fourAccounts are one account per platform with distinctive secrets, so
// that a scan for them cannot match anything else.
func fourAccounts() ([]Account, []string) {
	return []Account{
			{Platform: fetch.Valt, Name: "School Valt", Server: "https://valt.school.example", Username: "office"},
			{Platform: fetch.IBMVideo, Name: "IBM Video", ClientID: "ibm-client-id-1"},
			{Platform: fetch.ZoomSDK, Name: "Zoom SDK", APIKey: "zoom-api-key-1"},
			{Platform: fetch.Huawei, Name: "Huawei Meeting", AppID: "hw-app-id", UserID: "hw-user", CorpID: "hw-corp"},
		}, []string{
			"valt-SECRET-password-4471",
			"ibm-SECRET-client-secret-9020",
			"zoom-SECRET-api-secret-1187",
			"huawei-SECRET-app-key-5533",
		}
}

func openStore(t *testing.T, dir string, secrets *Secrets) *Store {
	t.Helper()
	db, err := OpenDB(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	s, err := NewStore(db, secrets)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestStoreRoundTrip(t *testing.T) {
	mockKeyring(t)
	ctx := context.Background()
	s := openStore(t, t.TempDir(), NewSecrets())
	accts, secrets := fourAccounts()
	// Added in reverse, listed by platform.
	for i := len(accts) - 1; i >= 0; i-- {
		a, err := s.Add(ctx, accts[i], secrets[i])
		if err != nil {
			t.Fatalf("Add %s: %v", accts[i].Name, err)
		}
		if a.ID == "" || a.Created.IsZero() {
			t.Fatalf("Add returned %+v without ID or creation time", a)
		}
		accts[i] = a
	}
	list, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 4 {
		t.Fatalf("List has %d accounts, want 4", len(list))
	}
	for i, a := range list {
		if a.Platform != fetch.Platforms[i] {
			t.Errorf("List[%d] is %s, want %s (platform order)", i, a.Platform, fetch.Platforms[i])
		}
		if a.ID != accts[i].ID || a.Name != accts[i].Name || a.Identity() != accts[i].Identity() || !a.Created.Equal(accts[i].Created) {
			t.Errorf("List[%d] = %+v, want %+v", i, a, accts[i])
		}
		got, err := s.Secrets().Get(ctx, a.ID)
		if err != nil || got != secrets[i] {
			t.Errorf("secret of %s = %q, %v", a.Name, got, err)
		}
	}
	byName, err := s.ByName("  zoom sdk ")
	if err != nil || byName.ID != accts[2].ID {
		t.Errorf("ByName(zoom sdk) = %+v, %v", byName, err)
	}
	if _, err := s.ByName("nope"); !errors.Is(err, ErrNoAccount) || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("ByName(nope): %v", err)
	}
	if _, err := s.Get("no-such-id"); !errors.Is(err, ErrNoAccount) {
		t.Errorf("Get(no-such-id): %v", err)
	}
}

func TestStoreNamesUnique(t *testing.T) {
	mockKeyring(t)
	ctx := context.Background()
	s := openStore(t, t.TempDir(), NewSecrets())
	a, err := s.Add(ctx, Account{Platform: fetch.ZoomSDK, Name: "Training", APIKey: "k1"}, "secret-one-111")
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Add(ctx, Account{Platform: fetch.IBMVideo, Name: "Archive", ClientID: "c1"}, "secret-two-222")
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Add(ctx, Account{Platform: fetch.IBMVideo, Name: " training ", ClientID: "c2"}, "secret-three-333")
	if err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Fatalf("Add with a taken name: %v", err)
	}
	if list, _ := s.List(); len(list) != 2 {
		t.Fatalf("a refused Add left %d accounts, want 2", len(list))
	}
	b.Name = "TRAINING"
	if err := s.Update(ctx, b, ""); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Fatalf("Update to a taken name: %v", err)
	}
	// Renaming an account to its own name in another case is fine, and an
	// empty secret keeps the saved one.
	a.Name = "TRAINING"
	a.APIKey = "k1-new"
	if err := s.Update(ctx, a, ""); err != nil {
		t.Fatalf("Update: %v", err)
	}
	got, err := s.Get(a.ID)
	if err != nil || got.Name != "TRAINING" || got.APIKey != "k1-new" || !got.Created.Equal(a.Created) {
		t.Fatalf("after Update: %+v, %v", got, err)
	}
	if v, _ := s.Secrets().Get(ctx, a.ID); v != "secret-one-111" {
		t.Errorf("an empty secret in Update did not keep the saved one: %q", v)
	}
	if err := s.Update(ctx, a, "secret-one-new"); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Secrets().Get(ctx, a.ID); v != "secret-one-new" {
		t.Errorf("Update did not replace the secret: %q", v)
	}
	if err := s.Update(ctx, Account{ID: "gone", Platform: fetch.ZoomSDK, Name: "x", APIKey: "k"}, ""); !errors.Is(err, ErrNoAccount) {
		t.Errorf("Update of an unknown account: %v", err)
	}
}

func TestStoreAddRefusesIncompleteAccounts(t *testing.T) {
	mockKeyring(t)
	ctx := context.Background()
	s := openStore(t, t.TempDir(), NewSecrets())
	if _, err := s.Add(ctx, Account{Platform: fetch.Valt, Name: "v", Username: "u"}, "pw-123456"); err == nil {
		t.Error("a Valt account without a server was saved")
	}
	if _, err := s.Add(ctx, Account{Platform: fetch.ZoomSDK, Name: "z", APIKey: "k"}, ""); err == nil || !strings.Contains(err.Error(), "API secret") {
		t.Errorf("Add without a secret: %v", err)
	}
	if list, _ := s.List(); len(list) != 0 {
		t.Errorf("refused accounts were saved: %+v", list)
	}
}

// A name that breaks the list it is shown in, or a server address with a
// user name and password in it (which would be stored and shown in plain
// text), is refused by Add and by Update, and nothing of it is saved.
func TestStoreRefusesBadNamesAndUserInfoInServers(t *testing.T) {
	mockKeyring(t)
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir, NewSecrets())
	valt := Account{Platform: fetch.Valt, Name: "Office", Server: "https://valt.school.example", Username: "office"}
	saved, err := s.Add(ctx, valt, "pw-123456")
	if err != nil {
		t.Fatal(err)
	}
	bad := map[string]struct {
		change func(*Account)
		want   string
	}{
		"line break":      {func(a *Account) { a.Name = "Office\nfake line" }, "one line"},
		"tab":             {func(a *Account) { a.Name = "Office\tB" }, "one line"},
		"escape":          {func(a *Account) { a.Name = "Office\x1b[31m" }, "one line"},
		"line separator":  {func(a *Account) { a.Name = "Office\u2028B" }, "one line"},
		"5000 characters": {func(a *Account) { a.Name = strings.Repeat("é", 5000) }, "at most 100 characters"},
		"user and password in server": {func(a *Account) { a.Server = "https://office:hunter2pw@valt.school.example" },
			"must not contain a user name or password"},
		"user in server without scheme": {func(a *Account) { a.Server = "office:hunter2pw@valt.school.example" },
			"must not contain a user name or password"},
	}
	for name, c := range bad {
		a := valt
		a.Name = "Other"
		c.change(&a)
		if _, err := s.Add(ctx, a, "pw-123456"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Add gave %v, want an error saying %q", name, err, c.want)
		}
		u := saved
		c.change(&u)
		if err := s.Update(ctx, u, ""); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Update gave %v, want an error saying %q", name, err, c.want)
		}
	}
	if list, _ := s.List(); len(list) != 1 || !reflect.DeepEqual(list[0], saved) {
		t.Errorf("refused changes were saved: %+v", list)
	}
	if _, err := s.Add(ctx, Account{Platform: fetch.ZoomSDK, Name: strings.Repeat("z", MaxNameLength), APIKey: "k"}, "s"); err != nil {
		t.Errorf("a name of %d characters was refused: %v", MaxNameLength, err)
	}
	data, err := os.ReadFile(filepath.Join(dir, DBFile))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte("hunter2pw")) {
		t.Error("the password in a refused server address reached the store")
	}
}

func TestStoreRemoveDeletesSecret(t *testing.T) {
	mockKeyring(t)
	ctx := context.Background()
	s := openStore(t, t.TempDir(), NewSecrets())
	a, err := s.Add(ctx, Account{Platform: fetch.ZoomSDK, Name: "Z", APIKey: "k"}, "secret-to-remove")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Remove(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := keyring.Get(Service, a.ID); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("keyring entry after Remove: %v, want not found", err)
	}
	if _, err := s.Get(a.ID); !errors.Is(err, ErrNoAccount) {
		t.Errorf("Get after Remove: %v", err)
	}
	if err := s.Remove(ctx, a.ID); !errors.Is(err, ErrNoAccount) {
		t.Errorf("second Remove: %v", err)
	}
	// An account whose secret is already gone from the keyring can still
	// be removed.
	b, _ := s.Add(ctx, Account{Platform: fetch.ZoomSDK, Name: "Z2", APIKey: "k"}, "secret-to-lose")
	_ = keyring.Delete(Service, b.ID)
	if err := s.Remove(ctx, b.ID); err != nil {
		t.Errorf("Remove of an account without a keyring entry: %v", err)
	}
}

func TestStoreRemoveKeepsAccountWhenKeyringFails(t *testing.T) {
	mockKeyring(t)
	t.Cleanup(keyring.MockInit)
	ctx := context.Background()
	s := openStore(t, t.TempDir(), NewSecrets())
	a, err := s.Add(ctx, Account{Platform: fetch.ZoomSDK, Name: "Z", APIKey: "k"}, "secret-kept-safe")
	if err != nil {
		t.Fatal(err)
	}
	keyring.MockInitWithError(errors.New("keyring is locked"))
	if err := s.Remove(ctx, a.ID); !errors.Is(err, ErrKeyringUnavailable) {
		t.Fatalf("Remove with a broken keyring: %v", err)
	}
	if _, err := s.Get(a.ID); err != nil {
		t.Errorf("the account went although its secret could not be deleted: %v", err)
	}
}

func TestStoreNeverWritesSecrets(t *testing.T) {
	mockKeyring(t)
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir, NewSecrets())
	accts, secrets := fourAccounts()
	for i := range accts {
		a, err := s.Add(ctx, accts[i], secrets[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Touch(a.ID); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.db.Close(); err != nil {
		t.Fatal(err)
	}
	files := 0
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		// The scan must see the accounts, or finding no secret proves nothing.
		for _, id := range []string{"ibm-client-id-1", "zoom-api-key-1", "valt.school.example"} {
			if filepath.Base(path) == DBFile && !bytes.Contains(raw, []byte(id)) {
				t.Errorf("%s does not contain %q: the scan reads the wrong bytes", path, id)
			}
		}
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
	if files == 0 {
		t.Fatal("no file was written")
	}
}

func TestStoreAddWithoutKeyringThenSessionOnly(t *testing.T) {
	mockKeyring(t)
	t.Cleanup(keyring.MockInit)
	keyring.MockInitWithError(errors.New("dbus: no session bus"))
	ctx := context.Background()
	s := openStore(t, t.TempDir(), NewSecrets())
	zoom := Account{Platform: fetch.ZoomSDK, Name: "Z", APIKey: "k"}
	if _, err := s.Add(ctx, zoom, "secret-session-zoom"); !errors.Is(err, ErrKeyringUnavailable) {
		t.Fatalf("Add without a keyring: %v", err)
	}
	if list, _ := s.List(); len(list) != 0 {
		t.Fatalf("an account whose secret could not be saved was kept: %+v", list)
	}
	s.Secrets().UseSessionOnly(true)
	a, err := s.Add(ctx, zoom, "secret-session-zoom")
	if err != nil {
		t.Fatalf("session-only Add: %v", err)
	}
	if !s.Secrets().InSession(a.ID) {
		t.Error("the secret is not reported as kept for this session")
	}
	if v, err := s.Secrets().Get(ctx, a.ID); err != nil || v != "secret-session-zoom" {
		t.Errorf("session secret = %q, %v", v, err)
	}
	if err := s.Remove(ctx, a.ID); err != nil {
		t.Errorf("session-only Remove: %v", err)
	}
}

func TestStoreTouch(t *testing.T) {
	mockKeyring(t)
	s := openStore(t, t.TempDir(), NewSecrets())
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	s.now = func() time.Time { return now }
	a, err := s.Add(context.Background(), Account{Platform: fetch.ZoomSDK, Name: "Z", APIKey: "k"}, "secret-touch-1")
	if err != nil {
		t.Fatal(err)
	}
	if !a.LastUsed.IsZero() {
		t.Errorf("a new account was used already: %v", a.LastUsed)
	}
	now = now.Add(time.Hour)
	if err := s.Touch(a.ID); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Get(a.ID)
	if !got.LastUsed.Equal(now) || !got.Created.Equal(now.Add(-time.Hour)) {
		t.Errorf("after Touch: created %v, last used %v", got.Created, got.LastUsed)
	}
	if err := s.Touch("gone"); !errors.Is(err, ErrNoAccount) {
		t.Errorf("Touch(gone): %v", err)
	}
}

// silentServer accepts connections and never answers.
func silentServer(t *testing.T) string {
	t.Helper()
	s, err := sim.NewSilentServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s.URL()
}

// A server that accepts and never answers ends a listing and a
// connection test with a plain "did not answer" within the store's
// Silence, for every platform, instead of after every retry of every call.
func TestStoreGivesUpOnASilentServer(t *testing.T) {
	mockKeyring(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // the test's own bound
	defer cancel()
	server := silentServer(t)
	s := openStore(t, t.TempDir(), NewSecrets())
	// One call alone would wait longer than the whole test may: the
	// store's Silence, not the calls' timeouts and retries, ends it.
	s.SetTimeouts(Timeouts{Answer: 20 * time.Second, Silence: 300 * time.Millisecond})
	accts, secrets := fourAccounts()
	for i, a := range accts {
		t.Run(string(a.Platform), func(t *testing.T) {
			a.Server = server
			saved, err := s.Add(ctx, a, secrets[i])
			if err != nil {
				t.Fatal(err)
			}
			var listErr error
			for _, err := range s.Recordings(ctx, saved, fetch.Query{}) {
				if err != nil {
					listErr = err
				}
			}
			if fetch.KindOf(listErr) != fetch.KindUnreachable || !strings.Contains(fetch.Plain(listErr), "did not answer") {
				t.Errorf("listing: %v, want a plain KindUnreachable error saying the server did not answer", listErr)
			}
			err = s.Test(ctx, saved, "")
			if fetch.KindOf(err) != fetch.KindUnreachable || !strings.Contains(fetch.Plain(err), "did not answer") {
				t.Errorf("connection test: %v (%s), want one saying the server did not answer", err, fetch.Plain(err))
			}
			if ctx.Err() != nil {
				t.Fatal("the test's own bound ran out: the store waited for the silent server")
			}
		})
	}
}

// A listing that takes longer than Silence in all, but whose server keeps
// answering, is not cut off.
func TestStoreListsASlowServerToTheEnd(t *testing.T) {
	mockKeyring(t)
	srv := sim.New(sim.Config{Recordings: 12})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(80 * time.Millisecond)
		srv.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	srv.SetURL(ts.URL)
	s := openStore(t, t.TempDir(), NewSecrets())
	s.SetTimeouts(Timeouts{Answer: time.Second, Silence: 400 * time.Millisecond})
	accts, secrets := simAccounts(srv)
	saved, err := s.Add(context.Background(), accts[0], secrets[0]) // Valt: a call per record
	if err != nil {
		t.Fatal(err)
	}
	q := fetch.Query{From: time.Now().AddDate(-5, 0, 0), To: time.Now().AddDate(0, 0, 1)}
	n := 0
	for _, err := range s.Recordings(context.Background(), saved, q) {
		if err != nil {
			t.Fatalf("after %d recordings: %v", n, err)
		}
		n++
		if n == 1 {
			time.Sleep(500 * time.Millisecond) // the caller's time is not the server's silence
		}
	}
	if want := len(srv.Recordings(fetch.Valt)); n != want {
		t.Errorf("listed %d recordings, the simulator has %d", n, want)
	}
}

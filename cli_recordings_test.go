package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

// newCLIHome points the commands at a fresh data folder and a mock
// keyring, with the simulator's four demo accounts added.
func newCLIHome(t *testing.T, cfg sim.Config) *sim.Server {
	t.Helper()
	keyring.MockInit()
	t.Setenv("CLOUDREEL_HOME", t.TempDir())
	s := sim.New(cfg)
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	s.SetURL(hs.URL)
	store, closeStore, err := openAccounts()
	if err != nil {
		t.Fatal(err)
	}
	defer closeStore()
	for _, d := range demoAccounts(s) {
		if _, err := store.Add(context.Background(), d.account, d.secret); err != nil {
			t.Fatalf("adding %s: %v", d.account.Name, err)
		}
	}
	return s
}

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestRecordingsJSONListsEachPlatform(t *testing.T) {
	now := time.Now().UTC()
	s := newCLIHome(t, sim.Config{Now: now, Recordings: 30, MinSize: 1000, MaxSize: 2000})
	from, to := now.AddDate(0, -4, 0), now
	q := fetch.Query{From: from.Truncate(24 * time.Hour), To: to.Truncate(24 * time.Hour)}
	for _, d := range demoAccounts(s) {
		t.Run(string(d.account.Platform), func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "recordings", "-account", d.account.Name,
				"-from", from.Format(time.DateOnly), "-to", to.Format(time.DateOnly), "-json")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var got []recordingJSON
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, stdout)
			}
			want := map[string]*sim.Recording{}
			for _, r := range s.Recordings(d.account.Platform) {
				if q.Contains(r.Start) {
					want[r.ID] = r
				}
			}
			if len(got) != len(want) || len(want) == 0 {
				t.Fatalf("got %d recordings, the simulator has %d in range", len(got), len(want))
			}
			for _, g := range got {
				w, ok := want[g.ID]
				if !ok {
					t.Fatalf("recording %s is not in range or not the simulator's", g.ID)
				}
				if g.Title != w.Title || !g.Start.Equal(w.Start.Truncate(time.Second)) && !g.Start.Equal(w.Start) {
					t.Errorf("%s: got %q at %v, want %q at %v", g.ID, g.Title, g.Start, w.Title, w.Start)
				}
				if len(g.Files) != len(w.Files) {
					t.Errorf("%s: %d files, want %d", g.ID, len(g.Files), len(w.Files))
				}
				if g.DurationSeconds <= 0 {
					t.Errorf("%s: no duration", g.ID)
				}
				delete(want, g.ID)
			}
		})
	}
}

func TestRecordingsErrorsArePlainLines(t *testing.T) {
	newCLIHome(t, sim.Config{Recordings: 3, MinSize: 1000, MaxSize: 2000})
	cases := map[string][]string{
		"no account":      {"recordings"},
		"unknown account": {"recordings", "-account", "Nobody"},
		"bad date":        {"recordings", "-account", "Demo school (Zoom)", "-from", "31/01/2026"},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			code, _, stderr := runCLI(t, args...)
			if code == 0 {
				t.Fatal("exit status 0")
			}
			if lines := strings.Count(strings.TrimSpace(stderr), "\n"); lines != 0 || !strings.HasPrefix(stderr, "cloudreel: ") {
				t.Fatalf("want one plain line, got %q", stderr)
			}
		})
	}
}

func TestRecordingsWrongSecretSaysSo(t *testing.T) {
	newCLIHome(t, sim.Config{Recordings: 3, MinSize: 1000, MaxSize: 2000})
	store, closeStore, err := openAccounts()
	if err != nil {
		t.Fatal(err)
	}
	a, err := store.ByName("Demo school (Zoom)")
	if err == nil {
		err = store.Update(context.Background(), a, "wrong-secret-123")
	}
	closeStore()
	if err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "recordings", "-account", "Demo school (Zoom)")
	if code == 0 || !strings.Contains(strings.ToLower(stderr), "secret") && !strings.Contains(strings.ToLower(stderr), "password") && !strings.Contains(strings.ToLower(stderr), "not accepted") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if strings.Contains(stderr, "wrong-secret-123") {
		t.Fatal("the secret was printed")
	}
}

// While another Cloudreel holds the store, a command says so in plain
// words instead of hanging.
func TestCommandsSayWhenTheStoreIsInUse(t *testing.T) {
	newCLIHome(t, sim.Config{Recordings: 3, MinSize: 1000, MaxSize: 2000})
	dir, err := configDir()
	if err != nil {
		t.Fatal(err)
	}
	db, err := accounts.OpenDB(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, args := range [][]string{
		{"recordings", "-account", "Demo school (Zoom)"},
		{"download", "-account", "Demo school (Zoom)", "-dest", t.TempDir()},
	} {
		code, _, stderr := runCLI(t, args...)
		if code == 0 || !strings.Contains(stderr, "another Cloudreel") {
			t.Fatalf("%s: exit %d, %q", args[0], code, stderr)
		}
	}
}

// huaweiCLIAccounts adds a Huawei account for each way of signing in to
// the store of newCLIHome (the account sign-in is among the demo
// accounts) and returns their names.
func huaweiCLIAccounts(t *testing.T, s *sim.Server) []string {
	t.Helper()
	c := s.Config().Credentials
	store, closeStore, err := openAccounts()
	if err != nil {
		t.Fatal(err)
	}
	defer closeStore()
	names := []string{}
	for _, a := range []accounts.Account{
		{Name: "Huawei SP app", AppID: c.HuaweiAppID, UserID: c.HuaweiUserID, CorpID: c.HuaweiCorp},
		{Name: "Huawei single app", AppID: c.HuaweiSingleAppID, UserID: c.HuaweiUserID},
		{Name: "Huawei single app, default administrator", AppID: c.HuaweiSingleAppID},
	} {
		a.Platform, a.Server = fetch.Huawei, s.BaseURL(fetch.Huawei)
		if _, err := store.Add(context.Background(), a, c.HuaweiKey); err != nil {
			t.Fatalf("adding %s: %v", a.Name, err)
		}
		names = append(names, a.Name)
	}
	for _, d := range demoAccounts(s) {
		if d.account.Platform == fetch.Huawei {
			names = append(names, d.account.Name)
		}
	}
	return names
}

// TestRecordingsHuaweiEveryWayOfSigningIn lists a Huawei enterprise with
// an account, an SP's App ID and a single enterprise's App ID (with and
// without a user ID): every meeting of the enterprise (queryAll), its
// scheduler in the table and in -json, and a meeting still being
// transcoded shown with no files.
func TestRecordingsHuaweiEveryWayOfSigningIn(t *testing.T) {
	s := newCLIHome(t, sim.Config{Recordings: 12, MinSize: 1000, MaxSize: 2000})
	s.Faults().Update(func(f *sim.FaultSet) { f.HuaweiTranscoding = 1 })
	names := huaweiCLIAccounts(t, s)
	if len(names) != 4 {
		t.Fatalf("accounts %v", names)
	}
	recs := s.Recordings(fetch.Huawei)
	from := recs[len(recs)-1].Start.Format(time.DateOnly)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "recordings", "-account", name, "-from", from, "-json")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var got []recordingJSON
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, stdout)
			}
			if len(got) != len(recs) {
				t.Fatalf("listed %d meetings, the enterprise has %d", len(got), len(recs))
			}
			for i, g := range got {
				w := recs[i]
				wantFiles := len(w.Files)
				if i == 0 { // still being transcoded
					wantFiles = 0
				}
				if g.ID != w.ID || g.Owner != w.Author || !g.Start.Equal(w.Start) || len(g.Files) != wantFiles {
					t.Fatalf("meeting %d: %+v, want %s by %s at %v with %d files", i, g, w.ID, w.Author, w.Start, wantFiles)
				}
			}
			code, stdout, stderr = runCLI(t, "recordings", "-account", name, "-from", from)
			if code != 0 || !strings.Contains(stdout, "OWNER") || !strings.Contains(stdout, recs[1].Author) {
				t.Fatalf("table: exit %d, %s%s", code, stdout, stderr)
			}
		})
	}
}

// TestDemoSignsInWithEitherHuaweiAppID: in the demo, an account added with
// the simulator's single-enterprise App ID signs in as well as one with its
// SP App ID.
func TestDemoSignsInWithEitherHuaweiAppID(t *testing.T) {
	c := sim.DefaultCredentials
	for _, app := range []string{c.HuaweiAppID, c.HuaweiSingleAppID} {
		secret, ok := simSecret(c, accounts.Account{Platform: fetch.Huawei, AppID: app})
		if !ok || secret != c.HuaweiKey {
			t.Fatalf("App ID %s: the demo has no secret for it", app)
		}
	}
}

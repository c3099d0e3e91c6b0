package accounts

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"cloudreel/fetch"
)

// realKeyring reports whether this run tests the real OS keyring
// (CLOUDREEL_REAL_KEYRING=1, see `make keyring-test`).
func realKeyring() bool { return os.Getenv("CLOUDREEL_REAL_KEYRING") == "1" }

// mockKeyring replaces go-keyring's provider with its in-memory mock. The
// replacement is for the whole test binary and cannot be undone, so tests
// that need it are skipped when the real keyring is under test.
func mockKeyring(t *testing.T) {
	t.Helper()
	if realKeyring() {
		t.Skip("the real keyring is under test: go-keyring's mock would replace it for the whole run")
	}
	keyring.MockInit()
}

func TestNormalize(t *testing.T) {
	a := Account{Platform: " Valt ", Name: "  Office ", Server: "valt.school.edu/ ", Username: " office "}.Normalize()
	want := Account{Platform: fetch.Valt, Name: "Office", Server: "https://valt.school.edu", Username: "office"}
	if !reflect.DeepEqual(a, want) {
		t.Errorf("Normalize = %+v, want %+v", a, want)
	}
	// The platform's default server is stored as empty, so that the
	// connector's own defaults (IBM's token URL) apply.
	ibm := Account{Platform: fetch.IBMVideo, Name: "x", Server: "https://api.video.ibm.com/", ClientID: "c"}.Normalize()
	if ibm.Server != "" || ibm.ServerURL() != "https://api.video.ibm.com" {
		t.Errorf("IBM default server: Server=%q ServerURL=%q", ibm.Server, ibm.ServerURL())
	}
}

func TestNormalizePin(t *testing.T) {
	const want = "01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF"
	for _, typed := range []string{
		want,
		strings.ToLower(want),
		"sha256 Fingerprint=" + want,
		strings.ReplaceAll(want, ":", ""),
		strings.ReplaceAll(want, ":", " "),
	} {
		a := Account{Platform: fetch.Valt, Name: "v", Server: "https://v.example", Username: "u", Pin: typed}.Normalize()
		if a.Pin != want || a.Validate() != nil {
			t.Errorf("pin typed as %q became %q (%v), want %q", typed, a.Pin, a.Validate(), want)
		}
	}
	bad := Account{Platform: fetch.Valt, Name: "v", Server: "https://v.example", Username: "u", Pin: "AB:CD"}.Normalize()
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "fingerprint") {
		t.Errorf("a short pin: %v", err)
	}
}

func TestDefaultServer(t *testing.T) {
	want := map[fetch.Platform]string{
		fetch.Valt:     "",
		fetch.IBMVideo: "https://api.video.ibm.com",
		fetch.ZoomSDK:  "https://api.zoom.us/v2",
		fetch.Huawei:   "https://api.meeting.huaweicloud.com",
	}
	for p, w := range want {
		if got := DefaultServer(p); got != w {
			t.Errorf("DefaultServer(%s) = %q, want %q", p, got, w)
		}
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name    string
		a       Account
		wantErr string // "" means valid
	}{
		{"valt ok", Account{Platform: fetch.Valt, Name: "v", Server: "https://v.example", Username: "u"}, ""},
		{"valt needs server", Account{Platform: fetch.Valt, Name: "v", Username: "u"}, "address of your Valt server"},
		{"valt needs user", Account{Platform: fetch.Valt, Name: "v", Server: "https://v.example"}, "user name"},
		{"bad server", Account{Platform: fetch.Valt, Name: "v", Server: "ftp://v.example", Username: "u"}, "not a server address"},
		{"no name", Account{Platform: fetch.ZoomSDK, APIKey: "k"}, "give the account a name"},
		{"bad platform", Account{Platform: "vimeo", Name: "x"}, "not a platform"},
		{"ibm ok", Account{Platform: fetch.IBMVideo, Name: "i", ClientID: "c"}, ""},
		{"ibm needs client id", Account{Platform: fetch.IBMVideo, Name: "i"}, "client ID"},
		{"zoom needs key", Account{Platform: fetch.ZoomSDK, Name: "z"}, "API key"},
		{"huawei account ok", Account{Platform: fetch.Huawei, Name: "h", HuaweiAccount: "a"}, ""},
		{"huawei app ok", Account{Platform: fetch.Huawei, Name: "h", AppID: "a", UserID: "u", CorpID: "c"}, ""},
		{"huawei nothing", Account{Platform: fetch.Huawei, Name: "h"}, "account name, or the App ID"},
		{"huawei both", Account{Platform: fetch.Huawei, Name: "h", HuaweiAccount: "a", AppID: "x"}, "not both"},
		{"huawei single-enterprise app", Account{Platform: fetch.Huawei, Name: "h", AppID: "a", UserID: "u"}, ""},
		{"huawei app, default administrator", Account{Platform: fetch.Huawei, Name: "h", AppID: "a"}, ""},
		{"huawei user ID without App ID", Account{Platform: fetch.Huawei, Name: "h", UserID: "u", CorpID: "c"}, "needs the App ID"},
	}
	for _, c := range cases {
		err := c.a.Normalize().Validate()
		switch {
		case c.wantErr == "" && err != nil:
			t.Errorf("%s: unexpected error %v", c.name, err)
		case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.wantErr)
		}
	}
}

func TestIdentityAndSecretLabel(t *testing.T) {
	cases := []struct {
		a            Account
		id, secretIs string
	}{
		{Account{Platform: fetch.Valt, Username: "office"}, "office", "password"},
		{Account{Platform: fetch.IBMVideo, ClientID: "cid"}, "cid", "client secret"},
		{Account{Platform: fetch.ZoomSDK, APIKey: "key"}, "key", "API secret"},
		{Account{Platform: fetch.Huawei, HuaweiAccount: "admin@x"}, "admin@x", "password"},
		{Account{Platform: fetch.Huawei, AppID: "app", UserID: "u"}, "app / u", "app key"},
		{Account{Platform: fetch.Huawei, AppID: "app"}, "app (default administrator)", "app key"},
		{Account{Platform: fetch.Huawei, AppID: "app", CorpID: "corp"}, "app / corp (default administrator)", "app key"},
	}
	for _, c := range cases {
		if got := c.a.Identity(); got != c.id {
			t.Errorf("%s Identity = %q, want %q", c.a.Platform, got, c.id)
		}
		if got := SecretLabel(c.a); got != c.secretIs {
			t.Errorf("%s SecretLabel = %q, want %q", c.a.Platform, got, c.secretIs)
		}
	}
}

func TestNewIDIsRandom(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		id := newID()
		if len(id) < 20 || seen[id] {
			t.Fatalf("newID gave %q (seen before: %v)", id, seen[id])
		}
		seen[id] = true
	}
}

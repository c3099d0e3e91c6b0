// Package accounts keeps the accounts a person added: what platform, what
// server, which non-secret identifiers (user name, client ID, API key), in
// the shared bbolt store; and their secrets (password, client secret, API
// secret, app key) in the OS keyring, never in a file. It also turns an
// account into a signed-in fetch.Connector and explains a failed
// connection test in plain words.
package accounts

import (
	"cmp"
	"crypto/rand"
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2/lang"

	"cloudreel/fetch"
)

// Account is one sign-in on one platform. Nothing in it is secret: it is
// stored as JSON in the shared store and printed by `accounts list`.
type Account struct {
	ID       string         `json:"id"`       // stable and random; the keyring entry's user
	Platform fetch.Platform `json:"platform"` // valt, ibm, zoom, huawei
	Name     string         `json:"name"`     // unique display name, chosen by the person
	// Server is the platform's API base. Empty means the platform's public
	// API (DefaultServer); Valt has none, its server is the school's own.
	Server string `json:"server,omitempty"`

	Username      string `json:"username,omitempty"`       // Valt
	ClientID      string `json:"client_id,omitempty"`      // IBM Video Streaming
	TokenURL      string `json:"token_url,omitempty"`      // IBM Video Streaming, a private deployment's token endpoint; empty: the default
	APIKey        string `json:"api_key,omitempty"`        // Zoom Video SDK
	HuaweiAccount string `json:"huawei_account,omitempty"` // Huawei, account sign-in
	AppID         string `json:"app_id,omitempty"`         // Huawei, App ID sign-in
	UserID        string `json:"user_id,omitempty"`        // Huawei, App ID sign-in
	CorpID        string `json:"corp_id,omitempty"`        // Huawei, App ID sign-in

	// Pin is the SHA-256 fingerprint of a certificate the person chose to
	// trust (Valt servers often have a self-signed one). A fingerprint is
	// public: it is what the server shows to everyone.
	Pin string `json:"pin,omitempty"`

	// Cleanup is what happens to a recording's cloud copy once every file
	// of it is downloaded and verified: "" or "keep" (the default),
	// "trash" or "delete", as the platform offers (fetch.Platform's
	// DeleteModes; package cleanup carries it out).
	Cleanup string `json:"cleanup,omitempty"`

	// Valt only: what every recording sent to this account gets (see
	// upload.go): the additional-information template fields to fill,
	// field id → value (the value may hold {title}, {date} and {source}),
	// and the ids of the users and groups it is shared with.
	UploadTemplate map[string]string `json:"upload_template,omitempty"`
	ShareUsers     []int64           `json:"share_users,omitempty"`
	ShareGroups    []int64           `json:"share_groups,omitempty"`

	Created  time.Time `json:"created"`
	LastUsed time.Time `json:"last_used,omitzero"`
}

// DefaultServer is the public API base of a platform, or "" for Valt,
// which is installed on each customer's own server.
func DefaultServer(p fetch.Platform) string {
	switch p {
	case fetch.IBMVideo:
		return "https://api.video.ibm.com"
	case fetch.ZoomSDK:
		return "https://api.zoom.us/v2"
	case fetch.Huawei:
		return "https://api.meeting.huaweicloud.com"
	}
	return ""
}

// ServerURL is the server the account talks to: its own, or the
// platform's default.
func (a Account) ServerURL() string {
	if a.Server != "" {
		return a.Server
	}
	return DefaultServer(a.Platform)
}

// Identity is the non-secret identifier a person recognises the account
// by: the user name, client ID, API key, or Huawei account or App ID.
func (a Account) Identity() string {
	switch a.Platform {
	case fetch.Valt:
		return a.Username
	case fetch.IBMVideo:
		return a.ClientID
	case fetch.ZoomSDK:
		return a.APIKey
	case fetch.Huawei:
		if a.HuaweiAccount != "" {
			return a.HuaweiAccount
		}
		switch {
		case a.UserID != "":
			return a.AppID + " / " + a.UserID
		case a.CorpID != "":
			return a.AppID + " / " + a.CorpID + " (default administrator)"
		}
		return a.AppID + " (default administrator)"
	}
	return ""
}

// SecretLabel names the secret account a needs, as its platform's own
// documentation calls it, for prompts and messages.
func SecretLabel(a Account) string {
	switch a.Platform {
	case fetch.IBMVideo:
		return "client secret"
	case fetch.ZoomSDK:
		return "API secret"
	case fetch.Huawei:
		if a.AppID != "" {
			return "app key"
		}
	}
	return "password"
}

// SecretName is SecretLabel in the language Cloudreel speaks, for
// sentences people read (SecretLabel stays the English name, which the
// window matches on).
func SecretName(a Account) string {
	switch SecretLabel(a) {
	case "client secret":
		return lang.L("client secret")
	case "API secret":
		return lang.L("API secret")
	case "app key":
		return lang.L("app key")
	}
	return lang.L("password")
}

// ParsePlatform reads a platform name as people type it ("valt", "IBM",
// "zoom", "huawei").
func ParsePlatform(s string) (fetch.Platform, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, p := range fetch.Platforms {
		if s == string(p) {
			return p, nil
		}
	}
	return "", errors.New(lang.L(`"{{.Text}}" is not a platform Cloudreel knows: use valt, ibm, zoom or huawei`, map[string]any{"Text": s}))
}

// Normalize trims what people paste (spaces, a trailing slash) and adds
// https:// to a server typed without a scheme, so that equal settings
// compare equal.
func (a Account) Normalize() Account {
	trim := func(s *string) { *s = strings.TrimSpace(*s) }
	for _, s := range []*string{&a.Name, &a.Server, &a.Username, &a.ClientID, &a.APIKey,
		&a.HuaweiAccount, &a.AppID, &a.UserID, &a.CorpID, &a.Pin, &a.TokenURL} {
		trim(s)
	}
	a.Cleanup = strings.ToLower(strings.TrimSpace(a.Cleanup))
	a.Platform = fetch.Platform(strings.ToLower(strings.TrimSpace(string(a.Platform))))
	if a.Server != "" && !strings.Contains(a.Server, "://") {
		a.Server = "https://" + a.Server
	}
	a.Server = strings.TrimRight(a.Server, "/")
	if a.Server == DefaultServer(a.Platform) {
		// Stored empty so that connectors apply their defaults that go
		// with it (IBM's token URL is on another host than its API).
		a.Server = ""
	}
	a.Pin = normalizePin(a.Pin)
	return a.normalizeUpload()
}

// Validate says, in one plain sentence, what is missing or wrong in a
// (normalized) account before it is saved or tested.
func (a Account) Validate() error {
	if err := validName(a.Name); err != nil {
		return err
	}
	if _, err := ParsePlatform(string(a.Platform)); err != nil {
		return err
	}
	if a.Server != "" {
		if _, err := fetch.ServerBase(a.Server, "", cmp.Or(DefaultServer(a.Platform), "https://valt.school.edu")); err != nil {
			return err
		}
	}
	if c := fetch.DeleteMode(a.Cleanup); a.Cleanup != "" && a.Cleanup != "keep" && !slices.Contains(a.Platform.DeleteModes(), c) {
		if c != fetch.Trash && c != fetch.DeleteForever {
			return errors.New(lang.L(`"{{.Text}}" is not a choice for after the download: use keep, trash or delete`, map[string]any{"Text": a.Cleanup}))
		}
		if a.Platform == fetch.Valt {
			return errors.New(lang.L("Valt documents no way to delete a recording through its API, so a Valt account can only keep its recordings on the server"))
		}
		return errors.New(lang.L("{{.Platform}} cannot {{.Mode}} recordings: it offers {{.Offered}}", map[string]any{"Platform": a.Platform.Name(), "Mode": a.Cleanup, "Offered": offeredModes(a.Platform)}))
	}
	if err := a.validateUpload(); err != nil {
		return err
	}
	if a.Pin != "" && !pinPattern.MatchString(a.Pin) {
		return errors.New(lang.L(`"{{.Text}}" is not a SHA-256 certificate fingerprint like AB:CD:EF:... (32 pairs)`, map[string]any{"Text": a.Pin}))
	}
	switch a.Platform {
	case fetch.Valt:
		if a.Server == "" {
			return errors.New(lang.L("a Valt account needs the address of your Valt server, like https://valt.example.org"))
		}
		if a.Username == "" {
			return errors.New(lang.L("a Valt account needs the user name you sign in with"))
		}
	case fetch.IBMVideo:
		if a.ClientID == "" {
			return errors.New(lang.L("an IBM Video Streaming account needs the client ID from the dashboard's API access page"))
		}
	case fetch.ZoomSDK:
		if a.APIKey == "" {
			return errors.New(lang.L("a Zoom Video SDK account needs the API key of the Video SDK app"))
		}
	case fetch.Huawei:
		appAuth := a.AppID != "" || a.UserID != "" || a.CorpID != ""
		switch {
		case a.HuaweiAccount != "" && appAuth:
			return errors.New(lang.L("a Huawei Cloud Meeting account signs in with either the account name or the App ID, not both"))
		case a.HuaweiAccount == "" && !appAuth:
			return errors.New(lang.L("a Huawei Cloud Meeting account needs the account name, or the App ID"))
		case appAuth && a.AppID == "":
			// The user ID is optional (empty: the enterprise's default
			// administrator), and so is the corp ID (only an SP's App ID
			// has one); the App ID is not.
			return errors.New(lang.L("a Huawei Cloud Meeting account that signs in with a user ID or corp ID needs the App ID too"))
		}
	}
	return nil
}

// offeredModes names the deletes a platform offers, for a message:
// "only permanent deletes", "trash or delete".
func offeredModes(p fetch.Platform) string {
	switch modes := p.DeleteModes(); len(modes) {
	case 0:
		return lang.L("no way to delete")
	case 1:
		return lang.L("only {{.Mode}}", map[string]any{"Mode": string(modes[0])})
	default:
		return lang.L("trash or delete")
	}
}

// MaxNameLength is the most characters an account name may have: it is
// one line of `accounts list` and of the window's accounts panel.
const MaxNameLength = 100

// validName says what is wrong with an account name: empty, longer than
// MaxNameLength characters, or holding a line break, a tab or another
// control character, which would break the list it is shown in.
func validName(name string) error {
	if name == "" {
		return errors.New(lang.L("give the account a name"))
	}
	if !utf8.ValidString(name) {
		return errors.New(lang.L("the account name has characters Cloudreel cannot read: type it again"))
	}
	if n := utf8.RuneCountInString(name); n > MaxNameLength {
		return errors.New(lang.L("an account name can have at most {{.Max}} characters; this one has {{.Count}}", map[string]any{"Max": MaxNameLength, "Count": n}))
	}
	if strings.ContainsFunc(name, func(r rune) bool { return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' }) {
		return errors.New(lang.L("an account name must be one line, without line breaks, tabs or other control characters"))
	}
	return nil
}

// pinPattern is a SHA-256 fingerprint as fetch.Fingerprint writes it.
var pinPattern = regexp.MustCompile(`^([0-9A-F]{2}:){31}[0-9A-F]{2}$`)

// normalizePin accepts a fingerprint as people copy it (lower case, with
// spaces, without colons, after openssl's "SHA256 Fingerprint=") and
// writes it as fetch.Fingerprint does, so that it compares equal.
func normalizePin(pin string) string {
	pin = strings.ToUpper(strings.TrimSpace(pin))
	if _, after, ok := strings.Cut(pin, "="); ok {
		pin = after
	}
	pin = strings.NewReplacer(" ", "", ":", "", "-", "").Replace(pin)
	if len(pin) != 64 {
		return pin // left as typed, for Validate to name
	}
	return fetch.ColonHex(pin)
}

// newID returns a random, stable account id. It is the keyring entry's
// user name, so it must not change when the account is renamed.
func newID() string { return rand.Text() }

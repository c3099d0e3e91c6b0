package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"cloudreel/fetch/locale"
	"cloudreel/fetch/messages"
)

// TestMain loads the translations in English, as main does before any
// command runs: the sentences with a count need them for their forms.
func TestMain(m *testing.M) {
	os.Setenv("LANGUAGE", "en")
	if err := messages.Load(); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

// The language chosen in the window's Settings (kept in the settings
// folder) is the one the commands speak, whatever the system's.
func TestTheCommandsSpeakTheLanguageChosenInSettings(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("CLOUDREEL_HOME", dir)
	t.Cleanup(func() { locale.Use(locale.System) })
	for _, c := range []struct{ tag, want string }{
		{"es", "indique la cuenta con -account NAME"},
		{"zh-Hans", "请用 -account NAME 指定账号"},
		{"en", "say which account with -account NAME"},
	} {
		if err := locale.Save(dir, c.tag); err != nil {
			t.Fatal(err)
		}
		if err := loadLanguage(); err != nil {
			t.Fatal(err)
		}
		var stdout, stderr bytes.Buffer
		code := run([]string{"cleanup", "-cancel"}, strings.NewReader(""), &stdout, &stderr)
		if code != 1 || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("chosen %s: exit %d, stderr %q, want %q", c.tag, code, stderr.String(), c.want)
		}
	}
}

package gui

import (
	"os"
	"strings"
	"testing"

	"cloudreel/fetch/locale"
	"cloudreel/fetch/messages"
)

// The window's tests read its English words: they run in English whatever
// the system's language, and the tests of other languages go back to it.
func TestMain(m *testing.M) {
	locale.Use("en")
	if err := locale.Load(Translations, messages.Set); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

// speak switches the window's language for one test, and back to English
// at its end.
func speak(t *testing.T, tag string) {
	t.Helper()
	locale.Use(tag)
	t.Cleanup(func() { locale.Use("en") })
}

// TestTranslationsComplete fails when a sentence the window shows (a key
// of lang.L, lang.N…) is missing from a translation file, when a file has
// a key no code uses, or when a translation loses a value or a plural form.
func TestTranslationsComplete(t *testing.T) {
	keys, problems, err := locale.Keys(".")
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) < 300 {
		t.Fatalf("only %d keys found in the window's code: the scanner misses calls", len(keys))
	}
	problems = append(problems, locale.Check(translationFiles, "translations", keys)...)
	if len(problems) > 0 {
		t.Errorf("%d problems with the translations:\n%s", len(problems), strings.Join(problems, "\n"))
	}
}

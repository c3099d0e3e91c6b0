// Package messages holds Cloudreel's translations of what its commands and
// its fetch packages say to people. Every such sentence goes through Fyne's
// lang (lang.L with the English as the key, so that a sentence not
// translated yet is shown in English); fetch/locale loads this set with the
// window's and picks the language for both.
package messages

import (
	"embed"

	"cloudreel/fetch/locale"
)

// Files holds translations/en.json, zh-Hans.json and es.json, in go-i18n's
// JSON: a sentence by its English, or an object of plural forms.
//
//go:embed translations/*.json
var Files embed.FS

// Set is Files as a translation set, for locale.Load and locale.Apply.
var Set = locale.Set{FS: Files, Dir: "translations"}

// Load adds the translations to Fyne's lang and speaks the language chosen
// (locale.Use), by default the system's (on Linux and BSD: LANGUAGE,
// LC_ALL, LC_MESSAGES, LANG, as go-locale reads them). The system's
// language is read again at every call, so that a test can change the
// environment and call Load again.
func Load() error { return locale.Load(Set) }

// Package messages holds Cloudreel's translations of what its commands and
// its fetch packages say to people, and loads them into Fyne's lang, which
// every such sentence goes through (lang.L with the English as the key, so
// that a sentence not translated yet is shown in English).
package messages

import (
	"embed"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"github.com/jeandeaual/go-locale"
	"golang.org/x/text/language"
)

// Files holds translations/en.json, zh-Hans.json and es.json, in go-i18n's
// JSON: a sentence by its English, or an object of plural forms.
//
//go:embed translations/*.json
var Files embed.FS

// Languages are the languages Cloudreel speaks, English first: the one
// used when the system asks for none of them.
var Languages = []language.Tag{language.English, language.SimplifiedChinese, language.Spanish}

// Load adds the translations to Fyne's lang in the system's language (on
// Linux and BSD: LANGUAGE, LC_ALL, LC_MESSAGES, LANG, as go-locale reads
// them). Fyne picks the language when translations are added, so calling
// Load again after the environment changed switches the language.
func Load() error {
	prefs, err := locale.GetLocales()
	if err != nil {
		prefs = nil // no language known: English
	}
	return load(prefs)
}

// load adds the translations, for the languages prefs lists first.
func load(prefs []string) error {
	if err := lang.AddTranslationsFS(Files, "translations"); err != nil {
		return fmt.Errorf("loading the translations: %w", err)
	}
	first, ok := firstForeign(prefs)
	if !ok {
		return nil
	}
	// Fyne speaks the system's first language when it has its own words
	// for it (French, say) and looks for ours there too: without any, every
	// sentence would log a missing translation. Ours in the nearest
	// language we do speak are given under that language's name.
	chosen := Choose(prefs)
	data, err := Files.ReadFile("translations/" + chosen.String() + ".json")
	if err != nil {
		return fmt.Errorf("loading the translations: %w", err)
	}
	if err := lang.AddTranslationsForLocale(data, fyne.Locale(first)); err != nil {
		return fmt.Errorf("loading the translations: %w", err)
	}
	return nil
}

// Choose is the language of Languages nearest to prefs (BCP 47 tags,
// most wanted first), English when none is near.
func Choose(prefs []string) language.Tag {
	var tags []language.Tag
	for _, p := range prefs {
		if t, err := language.Parse(p); err == nil {
			tags = append(tags, t)
		}
	}
	_, i, conf := language.NewMatcher(Languages).Match(tags...)
	if conf == language.No {
		return Languages[0]
	}
	return Languages[i]
}

// firstForeign is the base language of prefs' first language that parses,
// when it is none of Languages (fr for fr-CA).
func firstForeign(prefs []string) (string, bool) {
	for _, p := range prefs {
		t, err := language.Parse(strings.TrimSpace(p))
		if err != nil || t == language.Und {
			continue
		}
		base, _ := t.Base()
		for _, ours := range Languages {
			if b, _ := ours.Base(); b == base {
				return "", false
			}
		}
		return base.String(), true
	}
	return "", false
}

// Package locale is the language Cloudreel speaks: which one (the system's,
// or the one chosen in Settings, kept in the data folder so that the
// headless commands speak it too), the loading of the embedded translation
// sets into Fyne's lang package, and the writing of dates, times, sizes and
// durations in that language's conventions.
package locale

import (
	"embed"
	"fmt"
	"sync"

	"strings"

	"fyne.io/fyne/v2/lang"
	golocale "github.com/jeandeaual/go-locale"
	"golang.org/x/text/language"
)

// Language is one language Cloudreel is translated into.
type Language struct {
	// Tag is its BCP 47 tag ("zh-Hans"); empty for the system's language.
	Tag string
	// Name is how its own speakers name it ("简体中文"), as a language
	// menu shows it.
	Name string
}

// System is the choice that follows the system's language.
const System = ""

// Languages are the choices, System first.
var Languages = []Language{
	{System, "System"},
	{"en", "English"},
	{"zh-Hans", "简体中文"},
	{"es", "Español"},
}

// Set is one embedded set of translation files: Dir in FS holds one
// go-i18n JSON file per language, named by its tag (en.json, zh-Hans.json,
// es.json).
type Set struct {
	FS  embed.FS
	Dir string
}

var (
	mu     sync.Mutex
	loaded = map[Set]bool{}
	choice = System
	// spoken is the tag last handed to Fyne ("" before the first).
	spoken string
	// tags are the languages translated, for matching the system's.
	tags = []language.Tag{language.English, language.MustParse("zh-Hans"), language.Spanish}
)

// Load adds translation sets to Fyne's lang package; a set loaded before
// is skipped. The language chosen with Use stays in force: Fyne goes back
// to the system's at every load.
func Load(sets ...Set) error {
	mu.Lock()
	defer mu.Unlock()
	for _, s := range sets {
		if loaded[s] {
			continue
		}
		if err := lang.AddTranslationsFS(s.FS, s.Dir); err != nil {
			return fmt.Errorf("loading the translations in %s: %w", s.Dir, err)
		}
		loaded[s] = true
		spoken = "" // Fyne went back to the system's language
	}
	apply()
	return nil
}

// Use speaks the language tagged tag from now on (System: the system's).
// A tag Cloudreel has no translation for counts as System.
func Use(tag string) {
	mu.Lock()
	defer mu.Unlock()
	choice = known(tag)
	apply()
}

// Chosen is the choice in force: a tag of Languages, or System.
func Chosen() string {
	mu.Lock()
	defer mu.Unlock()
	return choice
}

// Current is the language spoken: the one chosen, or the system's nearest
// translated one (English when none is near).
func Current() language.Tag {
	mu.Lock()
	c := choice
	mu.Unlock()
	if c != System {
		return language.MustParse(c)
	}
	return systemTag()
}

// apply hands the language to speak to Fyne; the caller holds mu. For the
// system's, Fyne is given the nearest language Cloudreel is translated into
// rather than left to pick among its own: on a French system Fyne has French
// words for its dialogs but Cloudreel has none, and every sentence would
// log a missing translation and the window would mix two languages.
func apply() {
	tag := choice
	if tag == System {
		tag = systemTag().String()
	}
	// Fyne's localizer is a variable its lang.L reads with no lock, from
	// any goroutine: it is written only when the language really changes
	// (a new window, or a load of sets loaded before, leaves it alone).
	if tag == spoken {
		return
	}
	useFyneLanguage(tag)
	spoken = tag
}

// known is tag if Cloudreel is translated into it, else System.
func known(tag string) string {
	for _, l := range Languages {
		if l.Tag == tag {
			return tag
		}
	}
	return System
}

// systemTag is the translated language nearest the system's languages
// (most wanted first, as go-locale reads them), English when none is near.
func systemTag() language.Tag {
	prefs, err := golocale.GetLocales()
	if err != nil {
		return language.English
	}
	return nearest(prefs)
}

// nearest is the translated language nearest prefs (BCP 47 tags, most
// wanted first), English when none is near.
func nearest(prefs []string) language.Tag {
	var want []language.Tag
	for _, p := range prefs {
		if t, err := language.Parse(strings.TrimSpace(p)); err == nil && t != language.Und {
			want = append(want, t)
		}
	}
	_, i, conf := language.NewMatcher(tags).Match(want...)
	if conf == language.No {
		return language.English
	}
	return tags[i]
}

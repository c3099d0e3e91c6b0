package gui

import (
	"embed"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"cloudreel/fetch"
	"cloudreel/fetch/locale"
)

// The window's words: every sentence it shows goes through Fyne's lang
// package with the English text as its key, so that a missing translation
// shows English. The translations are in translations/*.json;
// TestTranslationsComplete fails on a key missing there or a key no code
// uses.

//go:embed translations
var translationFiles embed.FS

// Translations are the window's translation files, for locale.Load.
var Translations = locale.Set{FS: translationFiles, Dir: "translations"}

// vals are the values a translated sentence shows ({{.Name}}).
type vals = map[string]any

// platformNamed is the platform whose name (fetch.Platform.Name, in the
// language spoken) is name.
func platformNamed(name string) (fetch.Platform, bool) {
	for _, p := range fetch.Platforms {
		if p.Name() == name {
			return p, true
		}
	}
	return "", false
}

// platformNames are the names of every platform, in fetch.Platforms' order.
func platformNames() []string {
	var out []string
	for _, p := range fetch.Platforms {
		out = append(out, p.Name())
	}
	return out
}

// choice is a setting's stored value beside the words it is shown with:
// a widget.Select shows the words, the preferences keep the value.
type choice struct{ value, words string }

// wordsOf are the words of the choices, in order.
func wordsOf(cs []choice) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.words
	}
	return out
}

// widest is the option of opts that takes the most room, for the
// PlaceHolder of a Select: Fyne sizes a Select by its place holder alone,
// so a longer choice ("Últimos 30 días") would be cut with an ellipsis.
func widest(opts []string) string {
	w, out := float32(0), ""
	for _, o := range opts {
		if m := fyne.MeasureText(o, theme.TextSize(), fyne.TextStyle{}).Width; m > w {
			w, out = m, o
		}
	}
	return out
}

// valueOf is the value shown as words, or "" when none is.
func valueOf(cs []choice, words string) string {
	for _, c := range cs {
		if c.words == words {
			return c.value
		}
	}
	return ""
}

// wordsFor are the words a value is shown with, or "" when none is.
func wordsFor(cs []choice, value string) string {
	for _, c := range cs {
		if c.value == value {
			return c.words
		}
	}
	return ""
}

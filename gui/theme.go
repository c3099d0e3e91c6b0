package gui

import (
	"image/color"
	"net/url"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"

	"cloudreel/fetch"
)

// forcedVariant is the default theme held to light or dark, whatever the
// system says.
type forcedVariant struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (f forcedVariant) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return f.Theme.Color(n, f.variant)
}

// themeIcon returns one of the theme's icons by a short name.
func themeIcon(name string) fyne.Resource {
	switch name {
	case "settings":
		return theme.SettingsIcon()
	case "add":
		return theme.ContentAddIcon()
	}
	return theme.QuestionIcon()
}

// explain is the sentence a person reads for an error.
func explain(err error) string { return fetch.Redact(fetch.Plain(err)) }

func uriOf(s string) fyne.URI {
	u, err := storage.ParseURI(s)
	if err != nil {
		return storage.NewFileURI(s)
	}
	return u
}

func fileURL(path string) *url.URL {
	return &url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
}

func layoutSpacer() fyne.CanvasObject { return layout.NewSpacer() }

// shortReason names what is wrong in a few words, for under an account's
// name; the full sentence is shown beside the recordings.
func shortReason(err error) string {
	switch fetch.KindOf(err) {
	case fetch.KindAuth:
		return "sign-in refused"
	case fetch.KindPermission:
		return "not allowed"
	case fetch.KindUnreachable:
		return "cannot reach the server"
	case fetch.KindUntrusted:
		return "certificate not trusted"
	case fetch.KindRateLimited:
		return "the platform is busy"
	}
	return "see the message"
}

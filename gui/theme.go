package gui

import (
	"image/color"
	"net/url"
	"path/filepath"

	"fyne.io/fyne/v2"

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

// explain is the sentence a person reads for an error.
func explain(err error) string { return fetch.Redact(fetch.Plain(err)) }

// fileURL is a folder as a file: URL, for the file manager.
func fileURL(path string) *url.URL {
	return &url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
}

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

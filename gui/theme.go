package gui

import (
	"errors"
	"image/color"
	"net/url"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"cloudreel/accounts"
	"cloudreel/fetch"
)

// readableTheme is Fyne's default theme with the colours that are too
// faint to read replaced: secondary text (Fyne draws it in its "disabled"
// grey), form hints and placeholders, the border of an unticked box, and
// the coloured words (errors, successes, warnings, links). Each reaches a
// contrast of at least 4.5:1 (WCAG AA for text) on the backgrounds it is
// drawn on, in the light and in the dark variant; theme_test.go measures it.
// With forced set, the variant is held to light or dark whatever the system
// says.
type readableTheme struct {
	fyne.Theme
	forced  bool
	variant fyne.ThemeVariant
}

// newReadableTheme is the default theme made readable; variant, when
// forced, is used instead of the system's.
func newReadableTheme(forced bool, variant fyne.ThemeVariant) readableTheme {
	return readableTheme{Theme: theme.DefaultTheme(), forced: forced, variant: variant}
}

// Color implements fyne.Theme.
func (t readableTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if t.forced {
		v = t.variant
	}
	palette := readableLight
	if v == theme.VariantDark {
		palette = readableDark
	}
	if c, ok := palette[n]; ok {
		return c
	}
	return t.Theme.Color(n, v)
}

func grey(y uint8) color.NRGBA { return color.NRGBA{R: y, G: y, B: y, A: 0xff} }

// The default theme's values fail: light grey #e3e3e3 text on white is
// 1.3:1, dark #39393a on #171718 is 1.6:1, the light theme's red #f44336
// on white 3.7:1. These are the nearest colours that pass.
var (
	readableLight = map[fyne.ThemeColorName]color.Color{
		theme.ColorNameDisabled:    grey(0x6b),
		theme.ColorNamePlaceHolder: grey(0x69),
		theme.ColorNameInputBorder: grey(0x6b),
		theme.ColorNameError:       color.NRGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff},
		theme.ColorNameSuccess:     color.NRGBA{R: 0x1b, G: 0x7a, B: 0x1f, A: 0xff},
		theme.ColorNameWarning:     color.NRGBA{R: 0xa6, G: 0x52, B: 0x00, A: 0xff},
		theme.ColorNameHyperlink:   color.NRGBA{R: 0x15, G: 0x65, B: 0xc0, A: 0xff},
	}
	readableDark = map[fyne.ThemeColorName]color.Color{
		theme.ColorNameDisabled:    grey(0x9a),
		theme.ColorNameInputBorder: grey(0x8c),
		theme.ColorNameError:       color.NRGBA{R: 0xff, G: 0x66, B: 0x59, A: 0xff},
		theme.ColorNameHyperlink:   color.NRGBA{R: 0x82, G: 0xb1, B: 0xff, A: 0xff},
	}
)

// explain is the sentence a person reads for an error.
func explain(err error) string { return fetch.Redact(fetch.Plain(err)) }

// fileURL is a folder as a file: URL, for the file manager.
func fileURL(path string) *url.URL {
	return &url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
}

// shortReason names what is wrong in a few words, for under an account's
// name; the full sentence is shown beside the recordings.
func shortReason(err error) string {
	if errors.Is(err, accounts.ErrNotFound) {
		return lang.L(secretLostReason)
	}
	switch fetch.KindOf(err) {
	case fetch.KindAuth:
		return lang.L("sign-in refused")
	case fetch.KindPermission:
		return lang.L("not allowed")
	case fetch.KindUnreachable:
		return lang.L("cannot reach the server")
	case fetch.KindUntrusted:
		return lang.L("certificate not trusted")
	case fetch.KindRateLimited:
		return lang.L("the platform is busy")
	}
	return lang.L("see the message")
}

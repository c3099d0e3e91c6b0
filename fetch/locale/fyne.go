package locale

import _ "unsafe" // for go:linkname

// Fyne's lang package picks its language from the system's alone (Linux:
// LANGUAGE, LC_ALL, LC_MESSAGES, LANG; Windows: the user's locale from
// kernel32; macOS: the app bundle's or the global AppleLanguages), with
// no exported way to pick another. Environment variables would reach
// Linux only, and only at the next start; so the language chosen in
// Settings is handed to the function Fyne itself uses to set its
// localizer (fyne.io/fyne/v2@v2.8.1, lang.go: setupLang). Were it renamed
// in a later Fyne, the link would fail at build time, not quietly;
// TestUseSpeaksTheChosenLanguage checks that it works.
//
//go:linkname fyneSetupLang fyne.io/fyne/v2/lang.setupLang
func fyneSetupLang(lang string)

// useFyneLanguage makes lang.L and the others speak tag (a variable so
// that a test can count the writes).
var useFyneLanguage = fyneSetupLang

package gui

import (
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The keyboard: every action of the window has a key, listed in Help (F1
// or the top bar's Help). Tab and Shift+Tab go through the accounts, the
// search box, the table, the download buttons and the downloads panel in
// that order; Space presses the button or ticks the row that has the
// keyboard.

// shortcut is one of the window's key combinations and what it does.
type shortcut struct {
	key  fyne.KeyName
	mods fyne.KeyModifier
	what string
	do   func(w *Window)
}

// shortcuts are the window's combinations, Ctrl (⌘ on macOS) with a key.
func shortcuts() []shortcut {
	def, shift := fyne.KeyModifierShortcutDefault, fyne.KeyModifierShortcutDefault|fyne.KeyModifierShift
	return []shortcut{
		{fyne.KeyN, def, lang.L("Add an account"), func(w *Window) { w.onAddAccount() }},
		{fyne.KeyF, def, lang.L("Search the titles"), func(w *Window) { w.recordings.focusSearch() }},
		{fyne.KeyR, def, lang.L("List the recordings again"), func(w *Window) { w.recordings.onRefreshKey() }},
		{fyne.KeyD, def, lang.L("Download the ticked recordings"), func(w *Window) { w.recordings.onDownloadKey() }},
		{fyne.KeyD, shift, lang.L("Download the ticked recordings to a folder you choose"), func(w *Window) { w.recordings.onDownloadToKey() }},
		{fyne.KeyP, def, lang.L("Pause all downloads"), func(w *Window) { w.downloads.onPauseAll() }},
		{fyne.KeyP, shift, lang.L("Resume all downloads"), func(w *Window) { w.downloads.onResumeAll() }},
		{fyne.KeyComma, def, lang.L("Settings"), func(w *Window) { w.onSettings() }},
		// F1 reaches the window only when no widget has the keyboard, or
		// the table or search box has it (Fyne gives plain keys to the
		// focused widget alone): Ctrl+/ opens Help from anywhere.
		{fyne.KeySlash, def, lang.L("This help"), func(w *Window) { w.onHelp() }},
	}
}

// keyNames are the keys that are not shortcuts, with what they do.
func keyNames() [][2]string {
	return [][2]string{
		{"F1", lang.L("This help")},
		{lang.L("Tab, Shift+Tab"), lang.L("Go to the next or the previous part of the window")},
		{lang.L("Up, Down"), lang.L("Go through the accounts, the recordings or the downloads")},
		{lang.L("Space"), lang.L("Press the button, choose the account or tick the recording that has the keyboard")},
		{lang.L("Enter"), lang.L("Download the ticked recordings (in the table or the search box)")},
		{lang.L("Escape"), lang.L("Clear the search, or close a dialog")},
		{modName() + "+A", lang.L("Tick every recording shown")},
		{lang.L("Menu key, Shift+F10"), lang.L("Choose the files of the recording that has the keyboard, or see why it has no video")},
	}
}

// modName is what the Ctrl key is called on this system.
func modName() string {
	if runtime.GOOS == "darwin" {
		return "⌘"
	}
	return lang.L("Ctrl")
}

// keysOf writes a combination as the keyboard shows it: "Ctrl+Shift+D".
func keysOf(s shortcut) string {
	k := modName()
	if s.mods&fyne.KeyModifierShift != 0 {
		k += "+" + lang.L("Shift")
	}
	return k + "+" + string(s.key)
}

// addShortcuts puts the window's shortcuts on its canvas. Text boxes take
// shortcuts for themselves: the search box hands these on (recordingtable.go).
func (w *Window) addShortcuts() {
	c := w.win.Canvas()
	for _, s := range shortcuts() {
		c.AddShortcut(&desktop.CustomShortcut{KeyName: s.key, Modifier: s.mods}, func(fyne.Shortcut) { s.do(w) })
	}
	// Fyne's drivers send Ctrl+A (Cmd+A) as ShortcutSelectAll, never as a
	// CustomShortcut; the recordings view handles its keys (recordingtable.go).
	c.AddShortcut(&fyne.ShortcutSelectAll{}, func(s fyne.Shortcut) { w.recordings.onSelectAllShortcut(s) })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF10, Modifier: fyne.KeyModifierShift}, w.recordings.onMenuKey)
	c.SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyF1 {
			w.onHelp()
			return
		}
		w.recordings.onTypedKey(k)
	})
}

// runShortcut does what a window shortcut does, for the widgets that take
// shortcuts themselves (the search box); it reports whether s was one.
func (w *Window) runShortcut(s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	if !ok {
		return false
	}
	for _, sc := range shortcuts() {
		if sc.key == cs.KeyName && sc.mods == cs.Modifier {
			sc.do(w)
			return true
		}
	}
	return false
}

// helpButton is the top bar's Help.
func (w *Window) helpButton() *widget.Button {
	return &widget.Button{Text: lang.L("Help"), Icon: theme.QuestionIcon(), Importance: widget.LowImportance, OnTapped: w.onHelp}
}

// onHelp lists the keys of the window.
func (w *Window) onHelp() {
	if w.win.Canvas().Overlays().Top() != nil {
		return // the keys act on the dialog open; Help would hide it
	}
	grid := container.NewGridWithColumns(2)
	add := func(keys, what string) {
		grid.Add(&widget.Label{Text: keys, TextStyle: fyne.TextStyle{Bold: true}})
		grid.Add(&widget.Label{Text: what, Wrapping: fyne.TextWrapWord})
	}
	for _, k := range keyNames() {
		add(k[0], k[1])
	}
	for _, s := range shortcuts() {
		add(keysOf(s), s.what)
	}
	intro := &widget.Label{Text: lang.L("Everything in Cloudreel can be done with the keyboard:"), Wrapping: fyne.TextWrapWord}
	d := dialog.NewCustom(lang.L("Keyboard"), lang.L("Close"), container.NewVScroll(container.NewVBox(intro, grid)), w.win)
	d.Resize(fyne.NewSize(640, 520))
	d.Show()
}

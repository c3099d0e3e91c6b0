package gui

//lint:file-ignore U1000 tabPasses's methods are never called: they exist so that Go promotes neither its methods nor the embedded widget's, and the widget stops being a fyne.Focusable

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// tabPasses, embedded beside a widget, hides the widget's fyne.Focusable
// methods: both have them at the same depth, so Go promotes neither and
// Fyne's focus manager does not count the widget as a stop of the Tab
// order. The recordings table is one stop (arrows move inside it, Space
// ticks, the menu key opens a row's files); a tick box and a Files button
// of their own made Tab stop on every row as well.
type tabPasses struct{}

func (tabPasses) FocusGained()            {}
func (tabPasses) FocusLost()              {}
func (tabPasses) TypedRune(rune)          {}
func (tabPasses) TypedKey(*fyne.KeyEvent) {}

// tickBox is a row's tick box: a click ticks it, Tab passes it by.
type tickBox struct {
	widget.Check
	tabPasses
}

// Tapped ticks or unticks the box. Fyne's Check would first take the
// keyboard, which a tickBox cannot have; its OnChanged puts the keyboard
// on the table's row instead (keyboardTo).
func (t *tickBox) Tapped(*fyne.PointEvent) {
	if !t.Disabled() {
		t.SetChecked(!t.Checked)
	}
}

// cellButton is the Files or Status cell's button: a click opens the
// row's files or its note, the keyboard does it with the menu key.
type cellButton struct {
	widget.Button
	tabPasses
}

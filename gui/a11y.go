package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// namedButton gives an icon-only button a name. Fyne 2.8 names such a
// button by its icon's file ("mediaPause") to a screen reader (with
// -tags accessibility, on Windows and macOS) and has no tooltips: the
// wrapper says "Pause this download" instead. It is shown and hidden with
// its button, so that code and tests keep working on the button itself.
type namedButton struct {
	widget.BaseWidget
	button *widget.Button
	name   string
}

// named wraps an icon-only button with the words a screen reader says.
func named(b *widget.Button, name string) *namedButton {
	n := &namedButton{button: b, name: name}
	n.ExtendBaseWidget(n)
	return n
}

// CreateRenderer implements fyne.Widget.
func (n *namedButton) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(n.button)
}

// Visible is the button's: hiding the button hides its name too.
func (n *namedButton) Visible() bool { return n.button.Visible() }

// AccessibilityLabel implements fyne.Accessible.
func (n *namedButton) AccessibilityLabel() string { return n.name }

// AccessibilityRole implements fyne.Accessible.
func (n *namedButton) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleButton }

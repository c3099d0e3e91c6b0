package gui

import (
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Fyne cannot drag out of the window to the file manager (fyne-io/fyne#142),
// so the left panel has folder shortcuts: recordings dragged from the table
// onto one are downloaded into that folder.

const prefShortcuts = "folderShortcuts"

// folderShortcuts is the list of folder shortcuts under the accounts.
type folderShortcuts struct {
	w       *Window
	box     *fyne.Container
	targets []*folderTarget
}

func newFolderShortcuts(w *Window) *folderShortcuts { return &folderShortcuts{w: w} }

func (f *folderShortcuts) buildUI() fyne.CanvasObject {
	heading := &widget.Label{Text: lang.L("Folders"), TextStyle: fyne.TextStyle{Bold: true}}
	hint := &widget.Label{Text: lang.L("Drag recordings onto a folder to download them there."), Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText, Importance: widget.LowImportance}
	add := &widget.Button{Text: lang.L("Add folder"), Icon: theme.FolderNewIcon(), Importance: widget.LowImportance, OnTapped: f.onAdd}
	f.box = container.NewVBox()
	f.rebuild()
	return container.NewVBox(heading, f.box, hint, add)
}

func (f *folderShortcuts) paths() []string {
	return f.w.app.Preferences().StringList(prefShortcuts)
}

// Add adds a folder shortcut (the "Add folder" dialog's answer).
func (f *folderShortcuts) Add(path string) {
	list := f.paths()
	if slices.Contains(list, path) {
		return
	}
	f.w.app.Preferences().SetStringList(prefShortcuts, append(list, path))
	f.rebuild()
}

func (f *folderShortcuts) remove(path string) {
	list := slices.DeleteFunc(f.paths(), func(p string) bool { return p == path })
	f.w.app.Preferences().SetStringList(prefShortcuts, list)
	f.rebuild()
}

func (f *folderShortcuts) rebuild() {
	f.targets = nil
	f.box.Objects = nil
	paths := f.paths()
	if f.w.settings.Folder != "" && !slices.Contains(paths, f.w.settings.Folder) {
		paths = append([]string{f.w.settings.Folder}, paths...)
	}
	for _, p := range paths {
		t := newFolderTarget(f, p)
		f.targets = append(f.targets, t)
		f.box.Add(t)
	}
	f.box.Refresh()
}

func (f *folderShortcuts) onAdd() {
	dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err == nil && u != nil {
			f.Add(u.Path())
		}
	}, f.w.win).Show()
}

// targetAt returns the shortcut under an absolute position, or nil.
func (f *folderShortcuts) targetAt(pos fyne.Position) *folderTarget {
	drv := fyne.CurrentApp().Driver()
	for _, t := range f.targets {
		if !t.Visible() {
			continue
		}
		tp := drv.AbsolutePositionForObject(t)
		sz := t.Size()
		if pos.X >= tp.X && pos.X <= tp.X+sz.Width && pos.Y >= tp.Y && pos.Y <= tp.Y+sz.Height {
			return t
		}
	}
	return nil
}

// folderTarget is one folder shortcut: tap it to download the ticked
// recordings there, or drop recordings on it.
type folderTarget struct {
	widget.Button
	owner *folderShortcuts
	path  string
}

func newFolderTarget(f *folderShortcuts, path string) *folderTarget {
	t := &folderTarget{owner: f, path: path}
	t.Text = shortFolderName(path)
	t.Icon = theme.FolderIcon()
	t.Alignment = widget.ButtonAlignLeading
	t.Importance = widget.LowImportance
	t.OnTapped = func() { f.w.recordings.downloadTo(path) }
	t.ExtendBaseWidget(t)
	return t
}

// TappedSecondary offers to remove the shortcut (right click).
func (t *folderTarget) TappedSecondary(ev *fyne.PointEvent) {
	f := t.owner
	menu := fyne.NewMenu("", fyne.NewMenuItem(lang.L("Remove this shortcut"), func() { f.remove(t.path) }))
	widget.ShowPopUpMenuAtPosition(menu, f.w.win.Canvas(), ev.AbsolutePosition)
}

func shortFolderName(path string) string {
	base := filepath.Base(path)
	if base == "." || base == string(filepath.Separator) || base == "" {
		return path
	}
	return strings.TrimSpace(base)
}

// dragLabel is a table cell's text that can be dragged onto a folder
// shortcut: the row is ticked and the ticked recordings go to that folder.
type dragLabel struct {
	widget.Label
	view     *recordingsView
	row      int
	dragging bool
	last     fyne.Position
}

func newDragLabel(v *recordingsView) *dragLabel {
	l := &dragLabel{view: v, row: -1}
	l.Truncation = fyne.TextTruncateEllipsis
	l.ExtendBaseWidget(l)
	return l
}

// Dragged follows the pointer while a row is being dragged.
func (l *dragLabel) Dragged(ev *fyne.DragEvent) {
	l.dragging = true
	l.last = ev.AbsolutePosition
}

// DragEnd downloads the ticked recordings (and the dragged one) into the
// folder shortcut the row was dropped on, if any.
func (l *dragLabel) DragEnd() {
	if !l.dragging {
		return
	}
	l.dragging = false
	l.view.dropRowAt(l.row, l.last)
}

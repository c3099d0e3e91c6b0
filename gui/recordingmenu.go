package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// What a row of the recordings table offers besides its cells: a right
// click (secondary tap) on a row opens a menu with what the row's cells
// may not show in a narrow window (the Files column goes first), and a
// recording with nothing to download says why.

// noVideoStatus is the Status of a recording whose platform names no
// video (fetch.Recording.Note says why).
const noVideoStatus = "No video"

// noVideo says the platform listed the recording with nothing to
// download and said why, and the queue knows nothing of it.
func noVideo(r recordingRow) bool {
	return r.rec.Note != "" && !r.rec.Pending && len(r.rec.Files) == 0 && (r.status == "" || r.status == "new")
}

// showNote tells why a recording has nothing to download.
func (v *recordingsView) showNote(title, note string) {
	text := &widget.Label{Text: note, Wrapping: fyne.TextWrapWord}
	heading := &widget.Label{Text: title, TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	d := dialog.NewCustom(lang.L("No video to download"), lang.L("Close"), container.NewVBox(heading, text), v.w.win)
	d.Resize(fyne.NewSize(440, d.MinSize().Height+text.MinSize().Height))
	d.Show()
}

// rowMenu is the menu of a row: "Choose files…" for a recording with
// several files, "Why no video?" for one with none.
func (v *recordingsView) rowMenu(row int) *fyne.Menu {
	r, ok := v.model.Row(row)
	if !ok {
		return nil
	}
	var items []*fyne.MenuItem
	recID := r.rec.ID
	if len(r.rec.Files) > 1 {
		items = append(items, fyne.NewMenuItem(lang.L("Choose files… ({{.Files}})", vals{"Files": filesLabel(r)}), func() { v.onFiles(recID) }))
	}
	if noVideo(r) {
		title, note := r.rec.Title, r.rec.Note
		items = append(items, fyne.NewMenuItem(lang.L("Why no video?"), func() { v.showNote(title, note) }))
	}
	if len(items) == 0 {
		return nil
	}
	return fyne.NewMenu("", items...)
}

// TappedSecondary opens the row's menu (a right click on a row's text).
func (l *dragLabel) TappedSecondary(ev *fyne.PointEvent) {
	if l.row < 0 {
		return
	}
	if m := l.view.rowMenu(l.row); m != nil {
		widget.ShowPopUpMenuAtPosition(m, l.view.w.win.Canvas(), ev.AbsolutePosition)
	}
}

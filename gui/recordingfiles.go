package gui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"cloudreel/fetch"
)

// The files of a recording with several (a camera and the shared screen,
// the audio, the parts of a long meeting) are listed by the button in its
// Files cell, each with a tick box: downloading the recording then
// downloads only the ticked files.

// filesLabel is the Files cell's text: "3 files", or "2 of 3 files" when
// some were unticked.
func filesLabel(r recordingRow) string {
	if n := len(r.chosen().Files); n < len(r.rec.Files) {
		return lang.N("{{.Chosen}} of {{.Count}} files", len(r.rec.Files), vals{"Chosen": n, "Count": len(r.rec.Files)})
	}
	return filesText(r.rec)
}

// fileLine describes one file as a person tells them apart.
func fileLine(f fetch.File) string {
	size := lang.L("size unknown")
	if f.Size > 0 {
		size = formatBytes(f.Size)
		if f.SizeEstimated {
			size = lang.L("about {{.Size}}", vals{"Size": size})
		}
	}
	return fmt.Sprintf("%s (%s, %s)", f.Kind, f.Ext, size)
}

// onFiles shows the files of a recording, each with a tick box.
func (v *recordingsView) onFiles(recID string) {
	i := v.model.Index(recID)
	row, ok := v.model.Row(i)
	if !ok {
		return
	}
	box := container.NewVBox()
	for _, f := range row.rec.Files {
		fileID := f.ID
		check := &widget.Check{Text: fileLine(f), Checked: row.ticked && row.fileTicked(f.ID)}
		check.OnChanged = func(on bool) { v.onFileTicked(recID, fileID, on) }
		check.ExtendBaseWidget(check)
		box.Add(check)
	}
	hint := &widget.Label{Text: lang.L("Tick the files to download with this recording."), Wrapping: fyne.TextWrapWord}
	title := &widget.Label{Text: row.rec.Title, TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	d := dialog.NewCustom(lang.L("Files of this recording"), lang.L("Done"), container.NewVBox(title, hint, box), v.w.win)
	d.Resize(fyne.NewSize(max(box.MinSize().Width+80, 420), d.MinSize().Height))
	d.Show()
}

// onFileTicked follows a tick box of the files popup.
func (v *recordingsView) onFileTicked(recID, fileID string, on bool) {
	v.model.SetFileTicked(recID, fileID, on)
	if i := v.model.Index(recID); i >= 0 {
		v.table.RefreshItem(widget.TableCellID{Row: i, Col: v.colIndex(ColTick)})
		v.table.RefreshItem(widget.TableCellID{Row: i, Col: v.colIndex(ColFiles)})
	}
	v.updateSummary()
}

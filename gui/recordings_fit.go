package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// minTableRows is how many recordings the table shows at the least: the
// window cannot be made so low that fewer show, and the downloads panel
// below scrolls rather than take the table's last rows.
const minTableRows = 4

// tableAreaLayout stacks the table and the panel shown instead of it (a
// listing that failed), and asks for the height of the header and
// minTableRows rows: Fyne's table by itself asks for one row only, so the
// window's split would give the downloads all the rest.
type tableAreaLayout struct{ v *recordingsView }

func (l tableAreaLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objects {
		if o.Visible() {
			s = s.Max(o.MinSize())
		}
	}
	return fyne.NewSize(s.Width, max(s.Height, l.v.tableMinHeight()))
}

func (l tableAreaLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// tableMinHeight is the height of the table's header and of minTableRows
// rows, each with the padding the table puts under it.
func (v *recordingsView) tableMinHeight() float32 {
	if v.rowsHeight > 0 {
		return v.rowsHeight
	}
	pad := theme.Padding()
	row := v.createCell().MinSize().Height
	header := v.table.CreateHeader().MinSize().Height
	v.rowsHeight = header + pad + minTableRows*(row+pad)
	return v.rowsHeight
}

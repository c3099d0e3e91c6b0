package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cloudreel/fetch/queue"
)

// How the window's height is shared between the recordings table and the
// downloads panel below it. The panel asks for the height of what it shows
// (preferredHeight) and the divider of their split is placed there, but
// the panel's MinSize is only its heading and one row (leastHeight): the
// window can be made low, the table keeps the rows tableAreaLayout asks
// for, and the downloads scroll in what is left.

// maxPanelShare is how much of the window's height the downloads may take
// by themselves; past it their list scrolls.
const maxPanelShare = 0.45

// preferredHeight is the height the panel needs for what it shows: the
// heading and the one-line notice when there is nothing, else every row,
// up to maxPanelShare of the window's height.
func (p *downloadsPanel) preferredHeight() float32 {
	head, body, rowH := p.heights()
	if p.shown == 0 {
		return head + body
	}
	limit := 5 * rowH // before the window has a size
	if h := p.w.win.Canvas().Size().Height; h > 0 {
		limit = h*maxPanelShare - head
	}
	return head + min(body, max(limit, rowH))
}

// leastHeight is the panel's MinSize: its heading and the notice, or the
// first row (the others scroll).
func (p *downloadsPanel) leastHeight() float32 {
	head, body, rowH := p.heights()
	if p.shown == 0 {
		return head + body
	}
	return head + min(body, rowH)
}

// heights are those of the panel's heading, of what it lists (the notice
// when there is nothing) and of an ordinary row.
func (p *downloadsPanel) heights() (head, body, rowH float32) {
	head = p.top.MinSize().Height + theme.Padding()
	if p.shown == 0 {
		return head, p.empty.MinSize().Height, 0
	}
	rowH = p.rowHeight()
	// Every row is as high (downloadrow.go): this runs at every layout.
	body = float32(p.shown) * (rowH + theme.Size(theme.SizeNameSeparatorThickness))
	return head, body, rowH
}

// fitIn makes the panel the trailing part of split and returns what the
// window shows in the split's place: the split, with its divider placed
// so that the panel has its preferred height whenever the split is laid
// out (the split keeps the table's MinSize above it). relayout places it
// again when that height changes (the desktop driver would lay out at the
// next frame; tests have no frames).
func (p *downloadsPanel) fitIn(split *container.Split) fyne.CanvasObject {
	p.split = split
	split.Offset = 1
	return container.New(splitFitLayout{p}, split)
}

// placeDivider sets the split's offset for a split of the given height
// (the split itself keeps both parts at least their MinSize); a changed
// offset lays the split out again, without redrawing what is in it.
func (p *downloadsPanel) placeDivider(height float32) {
	thickness := theme.Size(theme.SizeNameSplitThickness)
	if thickness == 0 {
		thickness = 5 // Fyne's own default when the theme says nothing
	}
	if avail := height - thickness; avail > 0 {
		p.split.SetOffset(max(0, 1-float64(p.preferredHeight()/avail)))
	}
}

// relayout lays the split out again if the panel's preferred height changed.
func (p *downloadsPanel) relayout() {
	if h := p.preferredHeight(); p.split != nil && h != p.height {
		p.height = h
		p.placeDivider(p.split.Size().Height)
	}
}

// splitFitLayout places the divider of the downloads' split before it
// lays the split out.
type splitFitLayout struct{ p *downloadsPanel }

func (l splitFitLayout) MinSize(objects []fyne.CanvasObject) fyne.Size { return objects[0].MinSize() }

func (l splitFitLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	l.p.placeDivider(size.Height)
	objects[0].Move(fyne.NewPos(0, 0))
	objects[0].Resize(size)
}

// panelLayout gives the downloads panel its least height as MinSize.
type panelLayout struct{ p *downloadsPanel }

func (l panelLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(objects[0].MinSize().Width, l.p.leastHeight())
}

func (l panelLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	objects[0].Move(fyne.NewPos(0, 0))
	objects[0].Resize(size)
}

// newList is the downloads list: one row widget per row on screen, over
// the jobRows model.
func (p *downloadsPanel) newList() *widget.List {
	l := &widget.List{Length: func() int { return p.shown }, CreateItem: p.createItem, UpdateItem: p.updateItem}
	l.ExtendBaseWidget(l)
	l.OnSelected = func(widget.ListItemID) { l.UnselectAll() }
	return l
}

// ofRecordings are the jobs of some recordings. With 100,000 jobs,
// summing up every recording's status at each redraw cost more than a
// frame; only those on screen or changed are needed.
func (r *jobRows) ofRecordings(ids map[string]bool) []queue.Job {
	return r.jobsOf(r.refs(func(j *rowJob) bool { return ids[j.recordingID] }))
}

// takeChangedStatuses are the statuses of the recordings whose jobs
// changed since it was last called.
func (r *jobRows) takeChangedStatuses() map[string]string {
	r.mu.Lock()
	ids := r.recs
	r.recs = map[string]bool{}
	r.mu.Unlock()
	if len(ids) == 0 {
		return nil
	}
	return recordingStatuses(r.ofRecordings(ids))
}

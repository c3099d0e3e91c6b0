package gui

import (
	"fmt"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cloudreel/fetch/queue"
)

// Every downloads row is as high as every other, a failed one too: its
// error is on the line under its name, cut short with an ellipsis when it
// is long, and told in full by the row's "why" button or a double click
// on the row (showWhy). Rows of their own heights made Fyne's list walk
// every row above the visible ones at each scroll (it does so as soon as
// one row has a height of its own: widget.List.SetItemHeight), a quarter
// of a frame with 100,000 jobs (docs/benchmarks.md, "At scale").

// jobRowWidgets are the widgets of one downloads row.
type jobRowWidgets struct {
	name, detail                                      *widget.Label
	bar                                               *widget.ProgressBar
	barBox                                            *fyne.Container
	pause, resume, cancel, retry, why, open, inFolder *widget.Button
	// job is the job the row shows: the buttons' handlers read it, so
	// that they are made once with the row, not at every update.
	job queue.Job
	// icons are those its buttons show (see rowIcons).
	icons *rowIconSet
}

func (p *downloadsPanel) createItem() fyne.CanvasObject {
	icons := p.rowIcons()
	button := func(icon fyne.Resource) *widget.Button {
		return &widget.Button{Icon: icon, Importance: widget.LowImportance}
	}
	r := &jobRowWidgets{
		name:   &widget.Label{Truncation: fyne.TextTruncateEllipsis},
		detail: &widget.Label{SizeName: theme.SizeNameCaptionText, Importance: widget.LowImportance, Truncation: fyne.TextTruncateEllipsis},
		bar:    &widget.ProgressBar{Max: 1},
		pause:  button(icons.pause), resume: button(icons.resume), cancel: button(icons.cancel),
		retry: button(icons.retry), why: button(icons.why), open: button(icons.open), inFolder: button(icons.inFolder),
		icons: icons,
	}
	r.open.Text = lang.L("Open")
	r.bar.ExtendBaseWidget(r.bar)
	r.pause.OnTapped = func() { id := r.job.ID; p.act(func() error { return p.w.deps.Queue.Pause(id) }) }
	r.resume.OnTapped = func() { id := r.job.ID; p.act(func() error { return p.w.deps.Queue.Resume(id) }) }
	r.retry.OnTapped = func() { id := r.job.ID; p.act(func() error { return p.w.deps.Queue.Retry(id) }) }
	r.cancel.OnTapped = func() { id := r.job.ID; p.act(func() error { return p.w.deps.Queue.Cancel(id) }) }
	r.why.OnTapped = func() { p.showWhy(r.job) }
	r.open.OnTapped = func() { p.w.openFile(r.job.Path) }
	r.inFolder.OnTapped = func() { p.w.showInFolder(filepath.Dir(r.job.Path)) }
	buttons := container.NewHBox(named(r.why, lang.L("Why this download failed")), named(r.pause, lang.L("Pause this download")),
		named(r.resume, lang.L("Resume this download")), named(r.retry, lang.L("Try this download again")),
		named(r.cancel, lang.L("Cancel this download")), r.open, named(r.inFolder, lang.L("Show in folder")))
	r.barBox = container.NewCenter(container.NewGridWrap(fyne.NewSize(220, r.bar.MinSize().Height), r.bar))
	// The two lines close together: each label pads itself already.
	texts := container.New(layout.NewCustomPaddedVBoxLayout(-theme.InnerPadding()), r.name, r.detail)
	v := &jobRowView{content: container.NewBorder(nil, nil, nil, container.NewHBox(r.barBox, buttons), texts), w: r}
	v.ExtendBaseWidget(v)
	return v
}

// rowHeight is the height of a downloads row, every one the same.
func (p *downloadsPanel) rowHeight() float32 {
	if p.itemHeight == 0 {
		p.itemHeight = p.createItem().MinSize().Height
	}
	return p.itemHeight
}

// rowIconSet are the icons of a row's buttons, in one colour.
type rowIconSet struct {
	rgba                                              [4]uint32 // the colour, as color.Color.RGBA gives it
	pause, resume, cancel, retry, why, open, inFolder fyne.Resource
}

// rowIcons are the rows' button icons in the theme's foreground colour,
// made again only when that colour changes (light and dark switched).
// Fyne's own icons are themed resources: each time a button's renderer
// is made or the button is shown again, its image colours the SVG anew
// (parsing it and writing it out, twice) before parsing it to draw it. A
// fast scroll over 100,000 rows spent a third of each frame there; these
// are coloured once. Each is named by its colour, so that Fyne's cache of
// drawn SVGs, which goes by name, keeps a picture per colour.
func (p *downloadsPanel) rowIcons() *rowIconSet {
	r, g, b, a := theme.Color(theme.ColorNameForeground).RGBA()
	rgba := [4]uint32{r, g, b, a}
	if s := p.icons; s != nil && s.rgba == rgba {
		return s
	}
	coloured := func(icon fyne.Resource) fyne.Resource {
		// A themed resource's Content is the SVG in the theme's colour.
		return fyne.NewStaticResource(fmt.Sprintf("row-%04x%04x%04x%04x-%s", r, g, b, a, icon.Name()), icon.Content())
	}
	p.icons = &rowIconSet{
		rgba:  rgba,
		pause: coloured(theme.MediaPauseIcon()), resume: coloured(theme.MediaPlayIcon()),
		cancel: coloured(theme.CancelIcon()), retry: coloured(theme.ViewRefreshIcon()),
		why: coloured(theme.QuestionIcon()), open: coloured(theme.FileVideoIcon()),
		inFolder: coloured(theme.FolderOpenIcon()),
	}
	return p.icons
}

// setIcons gives the row's buttons the icons of s (after the theme's
// colour changed); a button is redrawn only when its icon changes.
func (r *jobRowWidgets) setIcons(s *rowIconSet) {
	if r.icons == s {
		return
	}
	r.icons = s
	for b, icon := range map[*widget.Button]fyne.Resource{
		r.pause: s.pause, r.resume: s.resume, r.cancel: s.cancel, r.retry: s.retry,
		r.why: s.why, r.open: s.open, r.inFolder: s.inFolder,
	} {
		if b.Icon != icon {
			b.SetIcon(icon)
		}
	}
}

// jobRowView is a downloads row: a widget that carries its parts so that
// UpdateItem finds them without walking the container tree. A double
// click on a downloaded file's row opens it; on a failed one, it tells
// why in full.
type jobRowView struct {
	widget.BaseWidget
	content  fyne.CanvasObject
	w        *jobRowWidgets
	onDouble func() // nil unless the file is downloaded or failed with an error
}

// CreateRenderer implements fyne.Widget.
func (v *jobRowView) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(v.content) }

// DoubleTapped implements fyne.DoubleTappable: it opens a downloaded file
// or tells why a download failed.
func (v *jobRowView) DoubleTapped(*fyne.PointEvent) {
	if v.onDouble != nil {
		v.onDouble()
	}
}

// updateItem shows job i on a row. A fast scroll fills every row on
// screen anew at each frame, and Fyne's list fills them twice when it is
// scrolled to a row (ScrollTo): what did not change is not set again, as
// setting a label's text measures and shapes it again.
func (p *downloadsPanel) updateItem(i widget.ListItemID, o fyne.CanvasObject) {
	j, ok := p.rows.at(i)
	if !ok {
		return
	}
	v := o.(*jobRowView)
	r := v.w
	r.job = j
	r.setIcons(p.rowIcons())
	setLabel(r.name, filepath.Base(j.Path), widget.MediumImportance)
	value := 0.0
	if j.Size > 0 {
		value = float64(j.Done) / float64(j.Size)
	}
	if r.bar.Value != value {
		r.bar.SetValue(value)
	}
	failed := j.State == queue.Failed
	if failed {
		setLabel(r.detail, failedDetail(j), widget.DangerImportance)
	} else {
		setLabel(r.detail, jobDetail(j), widget.LowImportance)
	}
	show(r.barBox, !failed)
	show(r.why, failed && j.Err != "")
	show(r.pause, j.State == queue.Queued || j.State == queue.Downloading || j.State == queue.Resolving || j.State == queue.Preparing)
	show(r.resume, j.State == queue.Paused)
	show(r.retry, failed)
	show(r.cancel, !j.State.Finished())
	show(r.open, j.State == queue.Done)
	show(r.inFolder, j.State == queue.Done)
	v.onDouble = nil
	switch j.State {
	case queue.Done:
		v.onDouble = r.open.OnTapped
	case queue.Failed:
		if j.Err != "" {
			v.onDouble = r.why.OnTapped
		}
	}
}

// setLabel sets a label's text and importance, and redraws it only when
// one of them changed.
func setLabel(l *widget.Label, text string, importance widget.Importance) {
	if l.Text == text && l.Importance == importance {
		return
	}
	l.Text, l.Importance = text, importance
	l.Refresh()
}

func show(o fyne.CanvasObject, visible bool) {
	if visible {
		o.Show()
	} else {
		o.Hide()
	}
}

// showWhy tells in full why a download failed: its row has room for the
// first words of the error only. The words are the queue's own (the
// error is written for the people who use Cloudreel, in their language).
func (p *downloadsPanel) showWhy(j queue.Job) {
	heading := &widget.Label{Text: filepath.Base(j.Path), TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	text := &widget.Label{Text: j.Err, Wrapping: fyne.TextWrapWord}
	d := dialog.NewCustom(lang.L("Why this download failed"), lang.L("Close"), container.NewVBox(heading, text), p.w.win)
	d.Resize(fyne.NewSize(480, d.MinSize().Height+text.MinSize().Height))
	d.Show()
}

// failedDetail is the line under a failed download's name: that it
// failed, and why (cut short with an ellipsis when the row is too narrow
// for it; showWhy tells it in full).
func failedDetail(j queue.Job) string {
	s := lang.L("Failed")
	if j.Size > 0 && j.Done > 0 {
		s = lang.L("Failed after {{.Done}} of {{.Size}}", vals{"Done": formatBytes(j.Done), "Size": formatBytes(j.Size)})
	}
	if j.Err != "" {
		s += " · " + j.Err
	}
	return s
}

// jobDetail is the line under a download's name: done/total, speed, time
// left and state, in words.
func jobDetail(j queue.Job) string {
	size := "?"
	if j.Size > 0 {
		size = formatBytes(j.Size)
	}
	progress := lang.L("{{.Done}} of {{.Size}}", vals{"Done": formatBytes(j.Done), "Size": size})
	switch j.State {
	case queue.Downloading:
		s := progress
		if sp := formatSpeed(j.Speed); sp != "" {
			s += " · " + sp
		}
		if eta := formatETA(j.ETA); eta != "" {
			s += " · " + eta
		}
		return s
	case queue.Queued:
		return lang.L("Waiting") + " · " + progress
	case queue.Preparing:
		return lang.L("The platform is preparing this file…")
	case queue.Resolving:
		return lang.L("Asking for a download link…")
	case queue.Paused:
		return lang.L("Paused") + " · " + progress
	case queue.Done:
		// Fyne 2.8 has no tooltips: the proof's sentence is on this line.
		if j.Verified() {
			return lang.L("Verified") + " · " + size + " · " + j.Proof.Sentence(j.Platform)
		}
		if j.Unproven != "" {
			return lang.L("Downloaded, not verified") + " · " + size + " · " + j.Unproven
		}
		return lang.L("Downloaded") + " · " + size
	case queue.Failed:
		if j.Err != "" {
			return lang.L("Failed: {{.Reason}}", vals{"Reason": j.Err})
		}
		return lang.L("Failed")
	case queue.Canceled:
		return lang.L("Canceled")
	}
	return string(j.State)
}

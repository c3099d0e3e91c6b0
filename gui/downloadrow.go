package gui

import (
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cloudreel/fetch/queue"
)

// jobRowWidgets are the widgets of one downloads row.
type jobRowWidgets struct {
	name, detail *widget.Label
	// problem is a failed job's error, on a line of its own under the
	// row (the progress bar is hidden then), wrapped rather than cut.
	problem                                      *widget.Label
	bar                                          *widget.ProgressBar
	barBox                                       *fyne.Container
	pause, resume, cancel, retry, open, inFolder *widget.Button
}

func (p *downloadsPanel) createItem() fyne.CanvasObject {
	r := &jobRowWidgets{
		name:     &widget.Label{Truncation: fyne.TextTruncateEllipsis},
		detail:   &widget.Label{SizeName: theme.SizeNameCaptionText, Importance: widget.LowImportance, Truncation: fyne.TextTruncateEllipsis},
		problem:  problemLabel(""),
		bar:      &widget.ProgressBar{Max: 1},
		pause:    &widget.Button{Icon: theme.MediaPauseIcon(), Importance: widget.LowImportance},
		resume:   &widget.Button{Icon: theme.MediaPlayIcon(), Importance: widget.LowImportance},
		cancel:   &widget.Button{Icon: theme.CancelIcon(), Importance: widget.LowImportance},
		retry:    &widget.Button{Icon: theme.ViewRefreshIcon(), Importance: widget.LowImportance},
		open:     &widget.Button{Text: lang.L("Open"), Icon: theme.FileVideoIcon(), Importance: widget.LowImportance},
		inFolder: &widget.Button{Icon: theme.FolderOpenIcon(), Importance: widget.LowImportance},
	}
	r.bar.ExtendBaseWidget(r.bar)
	r.problem.Hide()
	buttons := container.NewHBox(named(r.pause, lang.L("Pause this download")), named(r.resume, lang.L("Resume this download")),
		named(r.retry, lang.L("Try this download again")), named(r.cancel, lang.L("Cancel this download")), r.open,
		named(r.inFolder, lang.L("Show in folder")))
	r.barBox = container.NewCenter(container.NewGridWrap(fyne.NewSize(220, r.bar.MinSize().Height), r.bar))
	// The two lines close together: each label pads itself already.
	texts := container.New(layout.NewCustomPaddedVBoxLayout(-theme.InnerPadding()), r.name, r.detail)
	line := container.NewBorder(nil, nil, nil, container.NewHBox(r.barBox, buttons), texts)
	v := &jobRowView{content: container.NewBorder(line, nil, nil, nil, r.problem), w: r}
	v.ExtendBaseWidget(v)
	return v
}

// problemLabel is a failed job's error, wrapped at word boundaries.
func problemLabel(text string) *widget.Label {
	return &widget.Label{Text: text, SizeName: theme.SizeNameCaptionText, Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}
}

// rowHeight is the height of an ordinary downloads row.
func (p *downloadsPanel) rowHeight() float32 {
	if p.itemHeight == 0 {
		p.itemHeight = p.createItem().MinSize().Height
	}
	return p.itemHeight
}

// failedRowHeight is the height of a failed job's row: an ordinary row and
// its error wrapped at the list's width (two lines before the list has one).
func (p *downloadsPanel) failedRowHeight(msg string) float32 {
	probe := problemLabel(msg)
	oneLine := probe.MinSize().Height
	lines := oneLine + fyne.MeasureText("Mg", theme.CaptionTextSize(), fyne.TextStyle{}).Height
	if width := p.list.Size().Width - theme.Padding() - theme.ScrollBarSize(); width > 100 {
		probe.Resize(fyne.NewSize(width, oneLine))
		lines = probe.MinSize().Height
	}
	return p.rowHeight() + lines
}

// jobRowView is a downloads row: a widget that carries its parts so that
// UpdateItem finds them without walking the container tree. A double
// click on a downloaded file's row opens it.
type jobRowView struct {
	widget.BaseWidget
	content fyne.CanvasObject
	w       *jobRowWidgets
	onOpen  func() // nil unless the file is downloaded
}

// CreateRenderer implements fyne.Widget.
func (v *jobRowView) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(v.content) }

// DoubleTapped implements fyne.DoubleTappable: it opens a downloaded file.
func (v *jobRowView) DoubleTapped(*fyne.PointEvent) {
	if v.onOpen != nil {
		v.onOpen()
	}
}

func (p *downloadsPanel) updateItem(i widget.ListItemID, o fyne.CanvasObject) {
	if p.fitting {
		return // fitRows draws every row once it is done
	}
	j, ok := p.rows.at(i)
	if !ok {
		return
	}
	v := o.(*jobRowView)
	r := v.w
	r.name.SetText(filepath.Base(j.Path))
	if j.Size > 0 {
		r.bar.SetValue(float64(j.Done) / float64(j.Size))
	} else {
		r.bar.SetValue(0)
	}
	failed := j.State == queue.Failed
	r.detail.Importance = widget.LowImportance
	if failed {
		r.detail.Importance = widget.DangerImportance
		r.detail.SetText(failedDetail(j))
		r.problem.SetText(j.Err)
	} else {
		r.detail.SetText(jobDetail(j))
	}
	show(r.problem, failed && j.Err != "")
	show(r.barBox, !failed)
	show(r.pause, j.State == queue.Queued || j.State == queue.Downloading || j.State == queue.Resolving || j.State == queue.Preparing)
	show(r.resume, j.State == queue.Paused)
	show(r.retry, failed)
	show(r.cancel, j.State != queue.Done && j.State != queue.Canceled)
	show(r.open, j.State == queue.Done)
	show(r.inFolder, j.State == queue.Done)
	id, path := j.ID, j.Path
	r.pause.OnTapped = func() { p.act(func() error { return p.w.deps.Queue.Pause(id) }) }
	r.resume.OnTapped = func() { p.act(func() error { return p.w.deps.Queue.Resume(id) }) }
	r.retry.OnTapped = func() { p.act(func() error { return p.w.deps.Queue.Retry(id) }) }
	r.cancel.OnTapped = func() { p.act(func() error { return p.w.deps.Queue.Cancel(id) }) }
	r.open.OnTapped = func() { p.w.openFile(path) }
	r.inFolder.OnTapped = func() { p.w.showInFolder(filepath.Dir(path)) }
	v.onOpen = nil
	if j.State == queue.Done {
		v.onOpen = r.open.OnTapped
	}
}

func show(o fyne.CanvasObject, visible bool) {
	if visible {
		o.Show()
	} else {
		o.Hide()
	}
}

// failedDetail is the line under a failed download's name; the error
// itself is on the line below.
func failedDetail(j queue.Job) string {
	if j.Size > 0 && j.Done > 0 {
		return lang.L("Failed after {{.Done}} of {{.Size}}", vals{"Done": formatBytes(j.Done), "Size": formatBytes(j.Size)})
	}
	return lang.L("Failed")
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

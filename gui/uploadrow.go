package gui

import (
	"fmt"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cloudreel/fetch/upload"
)

// uploadShown is a job as its row shows it: whether a Run sends it now,
// and its speed.
type uploadShown struct {
	job     upload.Job
	running bool
	speed   float64
}

// paused is a job that waits for Resume: stopped by the person, or left
// from the last time the window was open.
func (s uploadShown) paused() bool {
	return !s.running && s.job.State != upload.Done && s.job.State != upload.Failed
}

// rank orders the rows as the downloads' are: what moves first, then
// paused, failed and done.
func (s uploadShown) rank() int {
	switch {
	case s.job.State == upload.Done:
		return 3
	case s.job.State == upload.Failed:
		return 2
	case s.paused():
		return 1
	}
	return 0
}

// uploadRowView is one upload's row: an arrow up says the file goes to
// Valt, beside the downloads' rows.
type uploadRowView struct {
	widget.BaseWidget
	content                              fyne.CanvasObject
	name, detail, problem                *widget.Label
	bar                                  *widget.ProgressBar
	barBox                               *fyne.Container
	pause, resume, retry, cancel, remove *widget.Button
	shown                                uploadShown // what the row shows, for the tests
}

// CreateRenderer implements fyne.Widget.
func (v *uploadRowView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(v.content)
}

func (p *uploadsPanel) newRow() *uploadRowView {
	v := &uploadRowView{
		name:    &widget.Label{Truncation: fyne.TextTruncateEllipsis},
		detail:  &widget.Label{SizeName: theme.SizeNameCaptionText, Importance: widget.LowImportance, Truncation: fyne.TextTruncateEllipsis},
		problem: problemLabel(""),
		bar:     &widget.ProgressBar{Max: 1},
		pause:   &widget.Button{Icon: theme.MediaPauseIcon(), Importance: widget.LowImportance},
		resume:  &widget.Button{Icon: theme.MediaPlayIcon(), Importance: widget.LowImportance},
		retry:   &widget.Button{Icon: theme.ViewRefreshIcon(), Importance: widget.LowImportance},
		cancel:  &widget.Button{Icon: theme.CancelIcon(), Importance: widget.LowImportance},
		remove:  &widget.Button{Icon: theme.ContentClearIcon(), Importance: widget.LowImportance},
	}
	v.bar.ExtendBaseWidget(v.bar)
	v.problem.Hide()
	arrow := widget.NewIcon(theme.UploadIcon())
	buttons := container.NewHBox(v.pause, v.resume, v.retry, v.cancel, v.remove)
	v.barBox = container.NewCenter(container.NewGridWrap(fyne.NewSize(220, v.bar.MinSize().Height), v.bar))
	texts := container.New(layout.NewCustomPaddedVBoxLayout(-theme.InnerPadding()), v.name, v.detail)
	line := container.NewBorder(nil, nil, arrow, container.NewHBox(v.barBox, buttons), texts)
	v.content = container.NewBorder(line, nil, nil, nil, v.problem)
	v.ExtendBaseWidget(v)
	return v
}

func (p *uploadsPanel) updateRow(v *uploadRowView, s uploadShown) {
	j := s.job
	v.shown = s
	v.name.SetText(fmt.Sprintf(lang.L("%s → %s, as “%s”"), filepath.Base(j.Path), j.AccountName, j.Name))
	if j.Size > 0 {
		v.bar.SetValue(float64(j.Sent) / float64(j.Size))
	} else {
		v.bar.SetValue(0)
	}
	failed := j.State == upload.Failed
	v.detail.Importance = widget.LowImportance
	if failed {
		v.detail.Importance = widget.DangerImportance
		v.problem.SetText(j.Err)
	}
	v.detail.SetText(uploadDetail(s))
	show(v.problem, failed && j.Err != "")
	show(v.barBox, !failed && j.State != upload.Done)
	show(v.pause, s.running)
	show(v.resume, s.paused())
	show(v.retry, failed)
	show(v.cancel, j.State != upload.Done)
	show(v.remove, j.State == upload.Done)
	id := j.ID
	v.pause.OnTapped = func() { p.onPause(id) }
	v.resume.OnTapped = func() { p.onResume(id) }
	v.retry.OnTapped = func() { p.onRetry(id) }
	v.cancel.OnTapped = func() { p.onCancel(id) }
	v.remove.OnTapped = func() { p.onRemove(id) }
}

// uploadDetail is the line under an upload's name, in words.
func uploadDetail(s uploadShown) string {
	j := s.job
	progress := fmt.Sprintf(lang.L("%s of %s"), formatBytes(j.Sent), formatBytes(j.Size))
	switch {
	case j.State == upload.Done:
		return fmt.Sprintf(lang.L("In Valt · %s · its SHA-256 is %s"), formatBytes(j.Size), shortDigest(j.SHA256))
	case j.State == upload.Failed:
		return lang.L("Failed: it is not in Valt")
	case s.paused():
		return lang.L("Paused · Valt cannot continue an upload: Resume sends it again from the beginning")
	case j.State == upload.Creating:
		return lang.L("Making its record in Valt…")
	case j.State == upload.Uploading:
		text := lang.L("Sending") + " · " + progress
		if sp := formatSpeed(s.speed); sp != "" {
			text += " · " + sp
		}
		return text
	case j.Err != "":
		return lang.L("Waiting to try again") + " · " + j.Err
	}
	return lang.L("Waiting for a free slot")
}

// shortDigest is the start of a hex digest, enough to compare by eye.
func shortDigest(hex string) string {
	if len(hex) > 12 {
		return hex[:12] + "…"
	}
	return hex
}

// problemLabel is a failed upload's error, wrapped at word boundaries on
// a line of its own under the row. (The downloads list keeps every row
// the same height instead: see downloadrow.go.)
func problemLabel(text string) *widget.Label {
	return &widget.Label{Text: text, SizeName: theme.SizeNameCaptionText, Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}
}

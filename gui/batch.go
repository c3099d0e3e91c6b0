package gui

import (
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cloudreel/fetch/locale"
	"cloudreel/fetch/queue"
)

// batchBanner is the line under the window's top bar that says a batch of
// downloads ended, with a button to open the folder: the desktop
// notification alone is easy to miss.
type batchBanner struct {
	w      *Window
	root   *fyne.Container
	text   *widget.Label
	open   *widget.Button
	folder string
}

func newBatchBanner(w *Window) *batchBanner { return &batchBanner{w: w} }

func (b *batchBanner) buildUI() fyne.CanvasObject {
	b.text = &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	b.open = &widget.Button{Text: lang.L("Open folder"), Icon: theme.FolderOpenIcon(), OnTapped: func() { b.w.showInFolder(b.folder) }}
	dismiss := &widget.Button{Icon: theme.WindowCloseIcon(), Importance: widget.LowImportance, OnTapped: b.hide}
	icon := widget.NewIcon(theme.ConfirmIcon())
	b.root = container.NewBorder(nil, nil, icon, container.NewHBox(b.open, named(dismiss, lang.L("Dismiss"))), b.text)
	b.root.Hide()
	return b.root
}

// show says that a batch ended; it runs on the Fyne goroutine.
func (b *batchBanner) show(done, failed int, folder string) {
	b.folder = folder
	b.text.SetText(batchSentence(done, failed, folder))
	show(b.open, folder != "" && done > 0)
	b.root.Show()
}

func (b *batchBanner) hide() { b.root.Hide() }

// batchSentence says how a batch ended and where its files went, e.g.
// "3 recordings downloaded to Videos/Cloudreel".
func batchSentence(done, failed int, folder string) string {
	var s string
	switch {
	case done == 0:
		s = lang.L("No recording was downloaded.")
	case folder != "":
		s = lang.N("{{.Count}} recordings downloaded to {{.Folder}}.", done, vals{"Count": done, "Folder": displayFolder(folder)})
	default:
		s = lang.N("{{.Count}} recordings downloaded.", done, vals{"Count": done})
	}
	if failed > 0 {
		s = locale.Sentences(s, lang.N("{{.Count}} could not be downloaded.", failed, vals{"Count": failed}))
	}
	return s
}

// displayFolder is a folder as a person thinks of it: inside their home
// folder, without it ("Videos/Cloudreel").
func displayFolder(folder string) string {
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return folder
	}
	rel, err := filepath.Rel(home, folder)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return folder
	}
	return rel
}

// lastFolder is the folder the most recently finished download was
// saved in (the one the person chose): where the batch that just ended
// went.
func (p *downloadsPanel) lastFolder() string {
	last, _ := p.w.deps.Queue.LastDone()
	return last.Folder
}

// batchProgress sums what is still to do, for the window's title: the
// files of the current batch (those it already finished count as done),
// not those of batches that ended before. Failed and canceled files are
// left out: nothing more will come of them.
func (r *jobRows) batchProgress() (done, size int64, active int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for id := range r.batch {
		j, ok := r.jobs[id]
		if !ok || j.state == queue.Failed || j.state == queue.Canceled {
			continue
		}
		if j.state.Active() {
			active++
		}
		done += j.done
		size += max(j.size, j.done)
	}
	return done, size, active
}

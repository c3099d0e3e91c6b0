package gui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cloudreel/fetch"
	"cloudreel/fetch/queue"
)

// recordingStatuses sums up jobs by recording: each recording's status
// in one word for the table.
func recordingStatuses(jobs []queue.Job) map[string]string {
	byRec := map[string][]queue.Job{}
	for _, j := range jobs {
		byRec[j.RecordingID] = append(byRec[j.RecordingID], j)
	}
	out := make(map[string]string, len(byRec))
	for id, js := range byRec {
		out[id] = recordingStatus(js)
	}
	return out
}

// recordingStatus sums up a recording's jobs in one word for the table.
func recordingStatus(jobs []queue.Job) string {
	if len(jobs) == 0 {
		return "new"
	}
	var done, size int64
	count := map[queue.State]int{}
	for _, j := range jobs {
		count[j.State]++
		done += j.Done
		if j.Size <= 0 && j.State != queue.Done {
			size = -1 // a size not known yet: no percentage
		}
		if size >= 0 {
			size += max(j.Size, j.Done)
		}
	}
	switch {
	case count[queue.Failed] > 0:
		return "failed"
	case count[queue.Done] == len(jobs) && allVerified(jobs):
		return "verified"
	case count[queue.Done] == len(jobs):
		return "downloaded"
	case count[queue.Downloading] > 0 || count[queue.Resolving] > 0:
		if size > 0 {
			return fmt.Sprintf("downloading %d%%", done*100/size)
		}
		return "downloading"
	case count[queue.Preparing] > 0:
		return "preparing"
	case count[queue.Paused] > 0:
		return "paused"
	case count[queue.Queued] > 0:
		return "queued"
	}
	return "new"
}

// downloadsPanel is the bottom of the window: every download with its
// progress and buttons, totals, and Pause all / Resume all. Its height
// follows what it shows (see preferredHeight).
type downloadsPanel struct {
	w     *Window
	rows  *jobRows
	list  *widget.List
	total *widget.Label
	empty *widget.Label
	top   fyne.CanvasObject
	body  *fyne.Container // the empty notice or the list, never both
	// shown is how many rows the list shows: the count at the last redraw,
	// so that the list, the notice and the panel's height always agree.
	shown int
	// itemHeight is a row's height (see rowHeight); icons are the rows'
	// button icons (see rowIcons).
	itemHeight float32
	icons      *rowIconSet
	// split is the window's split between the table and this panel, laid
	// out again when the panel's height changes (see fitIn).
	split  *container.Split
	height float32 // the preferred height the split was last laid out for
}

func newDownloadsPanel(w *Window) *downloadsPanel {
	return &downloadsPanel{w: w, rows: newJobRows(w.deps.Queue.Summary)}
}

func (p *downloadsPanel) buildUI() fyne.CanvasObject {
	p.list = p.newList()
	heading := &widget.Label{Text: lang.L("Downloads"), TextStyle: fyne.TextStyle{Bold: true}}
	// The totals are cut short rather than widen a narrow window.
	p.total = &widget.Label{Importance: widget.LowImportance, Truncation: fyne.TextTruncateEllipsis}
	p.empty = &widget.Label{Text: lang.L("Nothing downloading. Tick recordings above and press Download selected."), Importance: widget.LowImportance, Alignment: fyne.TextAlignCenter}
	pauseAll := &widget.Button{Text: lang.L("Pause all"), Icon: theme.MediaPauseIcon(), Importance: widget.LowImportance, OnTapped: p.onPauseAll}
	resumeAll := &widget.Button{Text: lang.L("Resume all"), Icon: theme.MediaPlayIcon(), Importance: widget.LowImportance, OnTapped: p.onResumeAll}
	clear := &widget.Button{Text: lang.L("Clear finished"), Icon: theme.ContentClearIcon(), Importance: widget.LowImportance, OnTapped: p.onClearFinished}
	// The uploads to Valt are listed above the downloads (uploads.go).
	p.top = container.NewVBox(container.NewBorder(nil, nil, heading, container.NewHBox(pauseAll, resumeAll, clear), p.total), p.w.uploads.buildUI())
	p.body = container.NewStack(p.empty)
	p.start()
	// The jobs left from before are shown at once, not at the first tick:
	// until then the notice would show through the first rows.
	p.redraw(true, nil, p.rows.totals())
	// The panel's buttons come before its rows when Tab goes through them.
	return container.New(panelLayout{p}, container.New(layout.NewBorderLayout(p.top, nil, nil, nil), p.top, p.body))
}

// start loads the jobs and follows the queue's events; a ticker redraws
// the rows that changed at most four times a second.
func (p *downloadsPanel) start() {
	q := p.w.deps.Queue
	p.rows.set(q.Summaries(), q.Len())
	events, unsubscribe := q.Subscribe()
	ctx := p.w.viewCtx
	go func() {
		defer unsubscribe()
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		changed := true
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-events:
				if !ok {
					return
				}
				p.rows.apply(ev)
				changed = true
			case <-tick.C:
				if changed {
					changed = false
					p.update()
				}
			}
		}
	}()
}

// update redraws the changed rows, the totals, the title and the
// recordings' statuses. It is called off the Fyne goroutine.
func (p *downloadsPanel) update() {
	all, rows := p.rows.take()
	t := p.rows.totals()
	batch, batchOver := p.rows.takeFinishedBatch()
	toDo, toDoSize, toDoActive := p.rows.batchProgress() // the title counts only what is still to do
	statuses := p.rows.takeChangedStatuses()
	fyne.Do(func() {
		p.redraw(all, rows, t)
		for id, status := range statuses {
			p.w.recordings.setStatus(id, status)
		}
		p.w.setTitleProgress(toDo, toDoSize, toDoActive)
		if batchOver {
			p.w.onBatchDone(batch)
		}
	})
}

// redraw shows the rows (all of them, or those listed), the notice when
// there are none, and the totals. It runs on the Fyne goroutine.
func (p *downloadsPanel) redraw(all bool, rows []int, t totals) {
	n := p.rows.len()
	if all || n != p.shown {
		p.shown = n
		p.list.Refresh()
	} else {
		for _, i := range rows {
			p.list.RefreshItem(i)
		}
	}
	body := fyne.CanvasObject(p.list)
	if n == 0 {
		body = p.empty
	}
	show(p.empty, n == 0)
	if len(p.body.Objects) != 1 || p.body.Objects[0] != body {
		p.body.Objects = []fyne.CanvasObject{body}
		p.body.Refresh()
	}
	p.showTotals(t)
	p.relayout()
}

func (p *downloadsPanel) showTotals(t totals) {
	if t.count == 0 {
		p.total.SetText("")
		return
	}
	text := lang.L("{{.Finished}} of {{.Count}} done", vals{"Finished": t.finished, "Count": t.count}) + " · " +
		lang.L("{{.Done}} of {{.Size}}", vals{"Done": formatBytes(t.done), "Size": formatBytes(t.size)})
	if t.speed > 0 {
		text += " · " + formatSpeed(t.speed)
	}
	if t.failed > 0 {
		text += " · " + lang.L("{{.Count}} failed", vals{"Count": t.failed})
	}
	p.total.SetText(text)
}

// statusesFor says what the queue knows of some recordings (for the table).
func (p *downloadsPanel) statusesFor(recs []fetch.Recording) map[string]string {
	ids := make(map[string]bool, len(recs))
	for _, r := range recs {
		ids[r.ID] = true
	}
	return recordingStatuses(p.rows.ofRecordings(ids))
}

// act runs a queue action off the Fyne goroutine and shows its failure.
func (p *downloadsPanel) act(f func() error) {
	go func() {
		if err := f(); err != nil {
			fyne.Do(func() { p.w.showError(lang.L("That did not work"), err) })
		}
	}()
}

func (p *downloadsPanel) onPauseAll()      { go p.w.deps.Queue.PauseAll() }
func (p *downloadsPanel) onResumeAll()     { go p.w.deps.Queue.ResumeAll() }
func (p *downloadsPanel) onClearFinished() { go p.w.deps.Queue.ClearFinished() }

// removeAccountJobs cancels the jobs of a removed account. It runs off the
// Fyne goroutine.
func (p *downloadsPanel) removeAccountJobs(accountID string) {
	for _, id := range p.rows.unfinishedOf(accountID) {
		_ = p.w.deps.Queue.Cancel(id)
	}
}

// openFile opens a downloaded file in the program the system chose for it.
func (w *Window) openFile(path string) {
	if err := w.app.OpenURL(fileURL(path)); err != nil {
		w.showError(lang.L("The file could not be opened"), err)
	}
}

// showInFolder opens the file manager on a folder.
func (w *Window) showInFolder(folder string) {
	if err := w.app.OpenURL(fileURL(folder)); err != nil {
		w.showError(lang.L("The folder could not be opened"), err)
	}
}

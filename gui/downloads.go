package gui

import (
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cloudreel/fetch"
	"cloudreel/fetch/queue"
)

// jobRows is the downloads list's data: the queue's jobs in the order
// they were added, updated from the queue's events. The list is redrawn by
// a ticker a few times a second, only the rows that changed.
type jobRows struct {
	mu    sync.Mutex
	order []string
	jobs  map[string]queue.Job
	dirty map[string]bool
	reset bool // the order changed: redraw everything
	// batch holds the jobs that were waiting or running since the queue
	// was last idle: what "a batch finished" speaks of. It is filled from
	// the state changes themselves, which the queue never drops, so a batch
	// that starts and ends between two redraws is still seen.
	batch map[string]bool
}

func newJobRows() *jobRows {
	return &jobRows{jobs: map[string]queue.Job{}, dirty: map[string]bool{}, batch: map[string]bool{}}
}

func (r *jobRows) set(jobs []queue.Job) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.order = r.order[:0]
	r.jobs = map[string]queue.Job{}
	for _, j := range jobs {
		r.order = append(r.order, j.ID)
		r.jobs[j.ID] = j
	}
	r.reset = true
}

func (r *jobRows) apply(ev queue.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if ev.Kind == queue.Removed {
		if _, ok := r.jobs[ev.Job.ID]; ok {
			delete(r.jobs, ev.Job.ID)
			r.order = slices.DeleteFunc(r.order, func(id string) bool { return id == ev.Job.ID })
			r.reset = true
		}
		return
	}
	if _, ok := r.jobs[ev.Job.ID]; !ok {
		r.order = append(r.order, ev.Job.ID)
		r.reset = true
	}
	r.jobs[ev.Job.ID] = ev.Job
	r.dirty[ev.Job.ID] = true
	if ev.Job.State.Active() {
		r.batch[ev.Job.ID] = true
	}
}

// takeFinishedBatch returns, once no job of the batch is waiting or
// running any more, how many of its recordings were downloaded whole and
// how many had a file fail, and starts a new batch. ok is false while the
// batch is still going or when there was none.
func (r *jobRows) takeFinishedBatch() (done, failed int, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.batch) == 0 {
		return 0, 0, false
	}
	var jobs []queue.Job
	for id := range r.batch {
		j, ok := r.jobs[id]
		if !ok {
			continue
		}
		if j.State.Active() {
			return 0, 0, false
		}
		jobs = append(jobs, j)
	}
	clear(r.batch)
	for _, status := range recordingStatuses(jobs) {
		switch status {
		case "downloaded":
			done++
		case "failed":
			failed++
		}
	}
	return done, failed, done+failed > 0
}

// take returns what to redraw: everything, or the indexes of changed rows.
func (r *jobRows) take() (all bool, rows []int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	all = r.reset
	if !all {
		for i, id := range r.order {
			if r.dirty[id] {
				rows = append(rows, i)
			}
		}
	}
	r.reset = false
	clear(r.dirty)
	return all, rows
}

func (r *jobRows) len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.order)
}

func (r *jobRows) at(i int) (queue.Job, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if i < 0 || i >= len(r.order) {
		return queue.Job{}, false
	}
	return r.jobs[r.order[i]], true
}

func (r *jobRows) all() []queue.Job {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]queue.Job, 0, len(r.order))
	for _, id := range r.order {
		out = append(out, r.jobs[id])
	}
	return out
}

// totals sums the jobs for the summary line and the window title.
type totals struct {
	done, size               int64
	active, finished, failed int
	count                    int
	speed                    float64
}

func (r *jobRows) totals() totals {
	var t totals
	for _, j := range r.all() {
		t.count++
		switch j.State {
		case queue.Done:
			t.finished++
		case queue.Failed:
			t.failed++
		case queue.Canceled:
			continue
		case queue.Queued, queue.Preparing, queue.Resolving, queue.Downloading:
			t.active++
			t.speed += j.Speed
		}
		t.done += j.Done
		t.size += max(j.Size, j.Done)
	}
	return t
}

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
// progress and buttons, totals, and Pause all / Resume all.
type downloadsPanel struct {
	w     *Window
	rows  *jobRows
	list  *widget.List
	total *widget.Label
	empty *widget.Label
}

func newDownloadsPanel(w *Window) *downloadsPanel {
	return &downloadsPanel{w: w, rows: newJobRows()}
}

func (p *downloadsPanel) buildUI() fyne.CanvasObject {
	p.list = &widget.List{Length: p.rows.len, CreateItem: p.createItem, UpdateItem: p.updateItem}
	p.list.ExtendBaseWidget(p.list)
	p.list.OnSelected = func(widget.ListItemID) { p.list.UnselectAll() }
	heading := &widget.Label{Text: "Downloads", TextStyle: fyne.TextStyle{Bold: true}}
	p.total = &widget.Label{Importance: widget.LowImportance}
	p.empty = &widget.Label{Text: "Nothing downloading. Tick recordings above and press Download selected.", Importance: widget.LowImportance, Alignment: fyne.TextAlignCenter}
	pauseAll := &widget.Button{Text: "Pause all", Icon: theme.MediaPauseIcon(), Importance: widget.LowImportance, OnTapped: p.onPauseAll}
	resumeAll := &widget.Button{Text: "Resume all", Icon: theme.MediaPlayIcon(), Importance: widget.LowImportance, OnTapped: p.onResumeAll}
	clear := &widget.Button{Text: "Clear finished", Icon: theme.ContentClearIcon(), Importance: widget.LowImportance, OnTapped: p.onClearFinished}
	top := container.NewBorder(nil, nil, container.NewHBox(heading, p.total), container.NewHBox(pauseAll, resumeAll, clear))
	p.start()
	return container.NewBorder(top, nil, nil, nil, container.NewStack(p.empty, p.list))
}

// start loads the jobs and follows the queue's events; a ticker redraws
// the rows that changed at most four times a second.
func (p *downloadsPanel) start() {
	q := p.w.deps.Queue
	p.rows.set(q.Jobs())
	events, unsubscribe := q.Subscribe()
	go func() {
		defer unsubscribe()
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		changed := true
		for {
			select {
			case <-p.w.ctx.Done():
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
	batchDone, batchFailed, batchOver := p.rows.takeFinishedBatch()
	statuses := recordingStatuses(p.rows.all())
	fyne.Do(func() {
		if all {
			p.list.Refresh()
		} else {
			for _, i := range rows {
				p.list.RefreshItem(i)
			}
		}
		p.showTotals(t)
		for id, status := range statuses {
			p.w.recordings.setStatus(id, status)
		}
		p.w.setTitleProgress(t.done, t.size, t.active)
		if batchOver {
			p.w.notifyBatchDone(batchDone, batchFailed)
		}
	})
}

func (p *downloadsPanel) showTotals(t totals) {
	if t.count == 0 {
		p.empty.Show()
		p.total.SetText("")
		return
	}
	p.empty.Hide()
	text := fmt.Sprintf("%d of %d done · %s of %s", t.finished, t.count, formatBytes(t.done), formatBytes(t.size))
	if t.speed > 0 {
		text += " · " + formatSpeed(t.speed)
	}
	if t.failed > 0 {
		text += fmt.Sprintf(" · %d failed", t.failed)
	}
	p.total.SetText(text)
}

// statusesFor says what the queue knows of some recordings (for the table).
func (p *downloadsPanel) statusesFor(recs []fetch.Recording) map[string]string {
	all := recordingStatuses(p.rows.all())
	out := map[string]string{}
	for _, r := range recs {
		if status, ok := all[r.ID]; ok {
			out[r.ID] = status
		}
	}
	return out
}

// jobRowWidgets are the widgets of one downloads row.
type jobRowWidgets struct {
	name, detail                       *widget.Label
	bar                                *widget.ProgressBar
	pause, resume, cancel, retry, open *widget.Button
}

func (p *downloadsPanel) createItem() fyne.CanvasObject {
	r := &jobRowWidgets{
		name:   &widget.Label{Truncation: fyne.TextTruncateEllipsis},
		detail: &widget.Label{SizeName: theme.SizeNameCaptionText, Importance: widget.LowImportance},
		bar:    &widget.ProgressBar{Max: 1},
		pause:  &widget.Button{Icon: theme.MediaPauseIcon(), Importance: widget.LowImportance},
		resume: &widget.Button{Icon: theme.MediaPlayIcon(), Importance: widget.LowImportance},
		cancel: &widget.Button{Icon: theme.CancelIcon(), Importance: widget.LowImportance},
		retry:  &widget.Button{Icon: theme.ViewRefreshIcon(), Importance: widget.LowImportance},
		open:   &widget.Button{Icon: theme.FolderOpenIcon(), Importance: widget.LowImportance},
	}
	r.bar.ExtendBaseWidget(r.bar)
	buttons := container.NewHBox(r.pause, r.resume, r.retry, r.cancel, r.open)
	bar := container.NewGridWrap(fyne.NewSize(220, r.bar.MinSize().Height), r.bar)
	texts := container.NewVBox(r.name, r.detail)
	row := container.NewBorder(nil, nil, nil, container.NewHBox(container.NewCenter(bar), buttons), texts)
	v := &jobRowView{content: row, w: r}
	v.ExtendBaseWidget(v)
	return v
}

// jobRowView is a downloads row: a widget that carries its parts so that
// UpdateItem finds them without walking the container tree.
type jobRowView struct {
	widget.BaseWidget
	content fyne.CanvasObject
	w       *jobRowWidgets
}

// CreateRenderer implements fyne.Widget.
func (v *jobRowView) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(v.content) }

func (p *downloadsPanel) updateItem(i widget.ListItemID, o fyne.CanvasObject) {
	j, ok := p.rows.at(i)
	if !ok {
		return
	}
	r := o.(*jobRowView).w
	r.name.SetText(filepath.Base(j.Path))
	if j.Size > 0 {
		r.bar.SetValue(float64(j.Done) / float64(j.Size))
	} else {
		r.bar.SetValue(0)
	}
	r.detail.Importance = widget.LowImportance
	if j.State == queue.Failed {
		r.detail.Importance = widget.DangerImportance
	}
	r.detail.SetText(jobDetail(j))
	show(r.pause, j.State == queue.Queued || j.State == queue.Downloading || j.State == queue.Resolving || j.State == queue.Preparing)
	show(r.resume, j.State == queue.Paused)
	show(r.retry, j.State == queue.Failed)
	show(r.cancel, j.State != queue.Done && j.State != queue.Canceled)
	show(r.open, j.State == queue.Done)
	id := j.ID
	r.pause.OnTapped = func() { p.act(func() error { return p.w.deps.Queue.Pause(id) }) }
	r.resume.OnTapped = func() { p.act(func() error { return p.w.deps.Queue.Resume(id) }) }
	r.retry.OnTapped = func() { p.act(func() error { return p.w.deps.Queue.Retry(id) }) }
	r.cancel.OnTapped = func() { p.act(func() error { return p.w.deps.Queue.Cancel(id) }) }
	folder := filepath.Dir(j.Path)
	r.open.OnTapped = func() { p.w.showInFolder(folder) }
}

func show(o fyne.CanvasObject, visible bool) {
	if visible {
		o.Show()
	} else {
		o.Hide()
	}
}

// jobDetail is the line under a download's name: done/total, speed, time
// left and state, in words.
func jobDetail(j queue.Job) string {
	size := "?"
	if j.Size > 0 {
		size = formatBytes(j.Size)
	}
	progress := formatBytes(j.Done) + " of " + size
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
		return "Waiting · " + progress
	case queue.Preparing:
		return "The platform is preparing this file…"
	case queue.Resolving:
		return "Asking for a download link…"
	case queue.Paused:
		return "Paused · " + progress
	case queue.Done:
		return "Downloaded · " + size
	case queue.Failed:
		if j.Err != "" {
			return "Failed: " + j.Err
		}
		return "Failed"
	case queue.Canceled:
		return "Canceled"
	}
	return string(j.State)
}

// act runs a queue action off the Fyne goroutine and shows its failure.
func (p *downloadsPanel) act(f func() error) {
	go func() {
		if err := f(); err != nil {
			fyne.Do(func() { p.w.showError("That did not work", err) })
		}
	}()
}

func (p *downloadsPanel) onPauseAll()      { go p.w.deps.Queue.PauseAll() }
func (p *downloadsPanel) onResumeAll()     { go p.w.deps.Queue.ResumeAll() }
func (p *downloadsPanel) onClearFinished() { go p.w.deps.Queue.ClearFinished() }

// removeAccountJobs cancels the jobs of a removed account. It runs off the
// Fyne goroutine.
func (p *downloadsPanel) removeAccountJobs(accountID string) {
	for _, j := range p.rows.all() {
		if j.AccountID == accountID && j.State != queue.Done && j.State != queue.Canceled {
			_ = p.w.deps.Queue.Cancel(j.ID)
		}
	}
}

// showInFolder opens the file manager on a folder.
func (w *Window) showInFolder(folder string) {
	if err := w.app.OpenURL(fileURL(folder)); err != nil {
		w.showError("The folder could not be opened", err)
	}
}

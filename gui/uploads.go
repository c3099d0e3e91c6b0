package gui

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"cloudreel/fetch/locale"
	"cloudreel/fetch/upload"
)

// uploadsPanel is the uploads to Valt, in the downloads panel above the
// downloads: one row per file, with its progress and speed, Pause (Valt
// cannot continue an upload, so a paused one starts again from its first
// byte), Retry and Cancel. Each job runs in a Run of its own, so that one
// can be stopped without the others; they wait for the slots they share
// with the downloads (fetch/limits).
type uploadsPanel struct {
	w  *Window
	up *upload.Uploader // nil: the window sends nothing to Valt

	mu      sync.Mutex
	running map[string]*uploadRun
	speeds  map[string]*uploadSpeed
	// waiting is how many files of copies are downloading first.
	waiting int
	changed bool

	root    *fyne.Container
	heading *widget.Label
	rows    *fyne.Container
	views   map[string]*uploadRowView
}

// uploadRun is one job's Run: cancel stops it, done is closed when it
// returned.
type uploadRun struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// uploadSpeed follows a job's bytes sent between two looks.
type uploadSpeed struct {
	sent  int64
	at    time.Time
	speed float64
}

func newUploadsPanel(w *Window) *uploadsPanel {
	return &uploadsPanel{w: w, up: w.deps.Uploads, running: map[string]*uploadRun{},
		speeds: map[string]*uploadSpeed{}, views: map[string]*uploadRowView{}}
}

// buildUI is the uploads' part of the downloads panel: hidden while there
// is none.
func (p *uploadsPanel) buildUI() fyne.CanvasObject {
	if p == nil { // a downloads panel built on its own, as some tests do
		return container.NewVBox()
	}
	p.heading = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	p.rows = container.NewVBox()
	scroll := container.NewVScroll(p.rows)
	p.root = container.NewBorder(p.heading, nil, nil, nil, container.New(uploadRowsLayout{p}, scroll))
	p.root.Hide()
	if p.up != nil {
		p.redraw()
		go p.follow()
	}
	return p.root
}

// follow redraws the rows a few times a second while something may have
// changed: a job running, or one just added or stopped.
func (p *uploadsPanel) follow() {
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-p.w.ctx.Done():
			return
		case <-tick.C:
			p.mu.Lock()
			busy := p.changed || len(p.running) > 0
			p.changed = false
			p.mu.Unlock()
			if busy {
				p.measure()
				fyne.Do(p.redraw)
			}
		}
	}
}

// touch asks for a redraw at the next tick.
func (p *uploadsPanel) touch() {
	p.mu.Lock()
	p.changed = true
	p.mu.Unlock()
}

// measure updates the speeds of the jobs being sent.
func (p *uploadsPanel) measure() {
	now := time.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, j := range p.up.Jobs() {
		s := p.speeds[j.ID]
		if s == nil || j.State != upload.Uploading || j.Sent < s.sent {
			p.speeds[j.ID] = &uploadSpeed{sent: j.Sent, at: now}
			continue
		}
		if dt := now.Sub(s.at).Seconds(); dt >= 0.2 {
			inst := float64(j.Sent-s.sent) / dt
			s.speed = 0.6*s.speed + 0.4*inst
			if s.speed == 0 {
				s.speed = inst
			}
			s.sent, s.at = j.Sent, now
		}
	}
}

// redraw shows the jobs: running and waiting first, then paused, failed
// and done, each group oldest first. It runs on the Fyne goroutine.
func (p *uploadsPanel) redraw() {
	jobs := p.up.Jobs()
	p.mu.Lock()
	shown := make([]uploadShown, len(jobs))
	for i, j := range jobs {
		_, run := p.running[j.ID]
		var speed float64
		if s := p.speeds[j.ID]; s != nil {
			speed = s.speed
		}
		shown[i] = uploadShown{job: j, running: run, speed: speed}
	}
	waiting := p.waiting
	p.mu.Unlock()
	slices.SortStableFunc(shown, func(a, b uploadShown) int { return a.rank() - b.rank() })

	objects := make([]fyne.CanvasObject, 0, len(shown))
	seen := map[string]bool{}
	for _, s := range shown {
		v := p.views[s.job.ID]
		if v == nil {
			v = p.newRow()
			p.views[s.job.ID] = v
		}
		p.updateRow(v, s)
		seen[s.job.ID] = true
		objects = append(objects, v)
	}
	for id := range p.views {
		if !seen[id] {
			delete(p.views, id)
		}
	}
	p.rows.Objects = objects
	p.rows.Refresh()
	p.heading.SetText(uploadsHeading(shown, waiting))
	show(p.root, len(shown) > 0 || waiting > 0)
	if p.w.downloads.top != nil { // built: the panel's height follows its rows
		p.w.downloads.relayout()
	}
}

// uploadsHeading says what the uploads are doing in one line.
func uploadsHeading(shown []uploadShown, waiting int) string {
	done := 0
	for _, s := range shown {
		if s.job.State == upload.Done {
			done++
		}
	}
	text := fmt.Sprintf(lang.L("Sent to Valt: %d of %d"), done, len(shown))
	if waiting > 0 {
		text += " · " + fmt.Sprintf(lang.L("%d waiting for their download"), waiting)
	}
	return text
}

// uploadRowsLayout gives the rows the height of at most three of them;
// past that they scroll, so that the downloads keep their room.
type uploadRowsLayout struct{ p *uploadsPanel }

func (l uploadRowsLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}

func (l uploadRowsLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	rows := l.p.rows.Objects
	var h, w float32
	for i, o := range rows {
		if i == 3 {
			break
		}
		m := o.MinSize()
		h += m.Height
		w = max(w, m.Width)
	}
	return fyne.NewSize(w, h)
}

// start sends a job in a Run of its own, unless it is already running.
func (p *uploadsPanel) start(id string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.running[id]; ok {
		return
	}
	ctx, cancel := context.WithCancel(p.w.ctx)
	r := &uploadRun{cancel: cancel, done: make(chan struct{})}
	p.running[id] = r
	p.changed = true
	go func() {
		defer close(r.done)
		p.up.Run(ctx, []string{id})
		cancel()
		p.mu.Lock()
		delete(p.running, id)
		p.changed = true
		p.mu.Unlock()
	}()
}

// stop ends a job's Run and waits for it to return; it runs off the Fyne
// goroutine.
func (p *uploadsPanel) stop(id string) {
	p.mu.Lock()
	r := p.running[id]
	p.mu.Unlock()
	if r != nil {
		r.cancel()
		<-r.done
	}
}

// onPause stops a job: Valt keeps nothing of a stopped upload, so Resume
// sends it again from its first byte, into the same record.
func (p *uploadsPanel) onPause(id string) { go func() { p.stop(id); p.touch() }() }

func (p *uploadsPanel) onResume(id string) { p.start(id) }

func (p *uploadsPanel) onRetry(id string) {
	go func() {
		if err := p.up.Retry(id); err != nil {
			fyne.Do(func() { p.w.showError(lang.L("That did not work"), err) })
			return
		}
		p.start(id)
	}()
}

// onCancel stops a job and takes it off the list; a record it made in
// Valt and did not fill is named, so that the person can remove it there.
func (p *uploadsPanel) onCancel(id string) {
	go func() {
		p.stop(id)
		j, err := p.up.Remove(id)
		p.touch()
		fyne.Do(func() {
			switch {
			case err != nil:
				p.w.showError(lang.L("That did not work"), err)
			case j.EmptyRecord() != "":
				p.w.notice(locale.Sentences(lang.L("The upload was cancelled."), j.EmptyRecord()))
			}
		})
	}()
}

// onRemove takes a finished job off the list; the file stays in Valt.
func (p *uploadsPanel) onRemove(id string) {
	go func() {
		if _, err := p.up.Remove(id); err != nil {
			fyne.Do(func() { p.w.showError(lang.L("That did not work"), err) })
		}
		p.touch()
	}()
}

// add makes the jobs for reqs and sends those not in Valt yet; it runs
// off the Fyne goroutine.
func (p *uploadsPanel) add(reqs []upload.Request) error {
	jobs, err := p.up.Add(reqs...)
	for _, j := range jobs {
		if j.State != upload.Done {
			p.start(j.ID)
		}
	}
	p.touch()
	return err
}

// setWaiting changes how many files of copies download first.
func (p *uploadsPanel) setWaiting(delta int) {
	p.mu.Lock()
	p.waiting += delta
	p.changed = true
	p.mu.Unlock()
}

// forgetUploadTarget drops the Valt connector of an account whose
// settings or secret changed, so that the next upload signs in with what
// was saved.
func (w *Window) forgetUploadTarget(accountID string) {
	if w.deps.Uploads != nil {
		w.deps.Uploads.ForgetTarget(accountID)
	}
}

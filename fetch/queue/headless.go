package queue

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/dustin/go-humanize"
)

// Report is how a headless run ended.
type Report struct {
	Done, Skipped, Failed, Canceled, Paused int
	// Halted is why the queue stopped as a whole (a full disk), or "".
	Halted string
}

// OK reports whether every file of the run is whole on disk.
func (r Report) OK() bool {
	return r.Failed == 0 && r.Canceled == 0 && r.Paused == 0 && r.Halted == ""
}

// RunHeadless starts the queue (when it is not running yet) and waits
// until none of the jobs ids is waiting or running any more, or the queue
// stops on a full disk, or ctx ends. It writes a line to w for every state
// change of those jobs and, when progress is true (a terminal), a line of
// totals at most once a second, rewritten in place.
func RunHeadless(ctx context.Context, q *Queue, ids []string, w io.Writer, progress bool) (Report, error) {
	events, stop := q.Subscribe()
	defer stop()
	q.Start(ctx)
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	p := &printer{w: w, progress: progress}
	for _, id := range ids {
		if j, ok := q.Job(id); ok && j.State == Done {
			p.state(j)
		}
	}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		if rep, finished := q.report(want); finished {
			p.clear()
			return rep, nil
		}
		select {
		case <-ctx.Done():
			p.clear()
			rep, _ := q.report(want)
			return rep, ctx.Err()
		case ev, ok := <-events:
			if !ok {
				rep, _ := q.report(want)
				return rep, ErrClosed
			}
			switch {
			case ev.Kind == Halted && ev.Message != "":
				p.line("stopped: " + ev.Message)
			case ev.Kind == StateChanged && want[ev.Job.ID]:
				p.state(ev.Job)
			}
		case <-tick.C:
			if progress {
				p.totals(q, want)
			}
		}
	}
}

// report counts the jobs of a run; finished is true when none of them has
// work left (or the queue stopped on a full disk).
func (q *Queue) report(want map[string]bool) (Report, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	r := Report{Halted: q.halted}
	active := 0
	for _, e := range q.order {
		if !want[e.job.ID] {
			continue
		}
		switch e.job.State {
		case Done:
			if e.job.Skipped {
				r.Skipped++
			} else {
				r.Done++
			}
		case Failed:
			r.Failed++
		case Canceled:
			r.Canceled++
		case Paused:
			r.Paused++
		default:
			active++
		}
	}
	return r, active == 0
}

// printer writes the lines of a headless run.
type printer struct {
	w        io.Writer
	progress bool
	shown    bool // a totals line is on the screen
}

func (p *printer) clear() {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}

func (p *printer) line(s string) {
	p.clear()
	fmt.Fprintln(p.w, s)
}

// state writes one job's change, e.g.
// "done         Valt/Office/2025-03-04 Staff meeting (video).mp4 (12 MB)".
func (p *printer) state(j Job) {
	name := j.Path
	if rel, err := filepath.Rel(j.Folder, j.Path); err == nil {
		name = rel
	}
	label := string(j.State)
	detail := ""
	switch {
	case j.State == Done && j.Skipped:
		label, detail = "skipped", " (already downloaded)"
	case j.State == Done:
		detail = " (" + humanize.Bytes(uint64(j.Size)) + ")"
	case j.State == Downloading && j.Done > 0:
		detail = fmt.Sprintf(" (continuing after %s)", humanize.Bytes(uint64(j.Done)))
	case j.State == Queued && !j.NextTry.IsZero() && j.Err != "":
		detail = fmt.Sprintf(": %s Trying again in %s.", strings.TrimSpace(j.Err), time.Until(j.NextTry).Round(time.Second))
	case j.Err != "":
		detail = ": " + j.Err
	}
	p.line(fmt.Sprintf("%-11s  %s%s", label, name, detail))
}

// totals rewrites the progress line: files done, bytes, speed, time left.
func (p *printer) totals(q *Queue, want map[string]bool) {
	var files, finished int
	var done, size int64
	var speed float64
	for _, j := range q.Jobs() {
		if !want[j.ID] {
			continue
		}
		files++
		if j.State == Done {
			finished++
		}
		done += j.Done
		size += max(j.Size, j.Done)
		speed += j.Speed
	}
	line := fmt.Sprintf("%d of %d files, %s of %s", finished, files, humanize.Bytes(uint64(done)), humanize.Bytes(uint64(size)))
	if speed >= 1 {
		line += fmt.Sprintf(", %s/s", humanize.Bytes(uint64(speed)))
		if size > done {
			line += fmt.Sprintf(", %s left", (time.Duration(float64(size-done)/speed) * time.Second).Round(time.Second))
		}
	}
	fmt.Fprint(p.w, "\r\033[K"+line)
	p.shown = true
}

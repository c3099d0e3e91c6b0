package queue

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2/lang"

	"cloudreel/fetch/locale"
)

// Report is how a headless run ended, counted from the jobs' states
// (what the store holds), never from the events seen.
type Report struct {
	// Done is how many files this run downloaded; Skipped how many were
	// whole on disk before it (skipped, or finished by an earlier run).
	Done, Skipped, Failed, Canceled, Paused int
	// Unfinished is how many were still waiting or running when the run
	// was stopped.
	Unfinished int
	// Halted is why the queue stopped as a whole (a full disk), or "".
	Halted string
}

// OK reports whether every file of the run is whole on disk.
func (r Report) OK() bool {
	return r.NotWhole() == 0 && r.Halted == ""
}

// NotWhole is how many files of the run are not whole on disk.
func (r Report) NotWhole() int {
	return r.Failed + r.Canceled + r.Paused + r.Unfinished
}

// RunHeadless starts the queue (when it is not running yet) and waits
// until none of the jobs ids is waiting or running any more, or the queue
// stops on a full disk, or ctx ends. It writes a line to w for every state
// change of those jobs and, when progress is true (a terminal), a line of
// totals at most once a second, rewritten in place. However it ends, every
// job's final state is written once.
func RunHeadless(ctx context.Context, q *Queue, ids []string, w io.Writer, progress bool) (Report, error) {
	events, stop := q.Subscribe()
	defer stop()
	q.Start(ctx)
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	p := &printer{w: w, progress: progress, shownFinal: map[string]State{}, before: map[string]bool{}}
	for _, id := range ids {
		if j, ok := q.Job(id); ok && j.State == Done {
			p.before[id] = true
			p.state(j)
		}
	}
	// The events still in the mailbox when the run ends are not waited
	// for: the final states come from the queue itself.
	end := func(err error) (Report, error) {
		p.clear()
		rep, _ := q.report(want, p.before)
		for _, id := range ids {
			if j, ok := q.Job(id); ok && isFinal(j.State) && p.shownFinal[id] != j.State {
				p.state(j)
			}
		}
		return rep, err
	}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		if _, finished := q.report(want, p.before); finished {
			return end(nil)
		}
		select {
		case <-ctx.Done():
			return end(ctx.Err())
		case ev, ok := <-events:
			if !ok {
				return end(ErrClosed)
			}
			switch {
			case ev.Kind == Halted && ev.Message != "":
				p.line(lang.L("stopped: {{.Reason}}", map[string]any{"Reason": ev.Message}))
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

// isFinal reports whether a state ends a headless run's work on a job.
func isFinal(s State) bool { return !s.Active() }

// report counts the jobs of a run (before: those done when it began);
// finished is true when none of them has work left (or the queue stopped
// on a full disk).
func (q *Queue) report(want, before map[string]bool) (Report, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	r := Report{Halted: q.halted}
	for id := range want {
		var state State
		var skipped bool
		if e, ok := q.entries[id]; ok {
			state, skipped = e.job.State, e.job.Skipped
		} else if b, ok := q.fin[id]; ok {
			state, skipped = State(q.words.at(b.state)), b.skipped
		} else {
			continue
		}
		switch state {
		case Done:
			if skipped || before[id] {
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
			r.Unfinished++
		}
	}
	return r, r.Unfinished == 0 || r.Halted != ""
}

// printer writes the lines of a headless run.
type printer struct {
	w          io.Writer
	progress   bool
	shown      bool             // a totals line is on the screen
	shownFinal map[string]State // the final state last written for a job
	before     map[string]bool  // jobs already done when the run began
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
// A file already on disk is named by its full path: it may be in another
// folder than this run's.
func (p *printer) state(j Job) {
	if isFinal(j.State) {
		p.shownFinal[j.ID] = j.State
	} else {
		delete(p.shownFinal, j.ID)
	}
	name := j.Path
	skipped := j.State == Done && (j.Skipped || p.before[j.ID])
	if rel, err := filepath.Rel(j.Folder, j.Path); err == nil && !skipped {
		name = rel
	}
	label := j.State.Words()
	detail := ""
	switch {
	case skipped:
		label, detail = lang.L("skipped"), " "+lang.L("(already downloaded)")
	case j.State == Done:
		detail = " (" + locale.Now().Bytes(j.Size) + ")"
	case j.State == Downloading && j.Done > 0:
		detail = " " + lang.L("(continuing after {{.Size}})", map[string]any{"Size": locale.Now().Bytes(j.Done)})
	case j.State == Queued && !j.NextTry.IsZero() && j.Err != "":
		detail = ": " + locale.Sentences(j.Err, lang.L("Trying again in {{.Wait}}.", map[string]any{"Wait": locale.Now().Remaining(max(time.Until(j.NextTry), time.Second))}))
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
	for j := range q.Summaries() {
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
	line := lang.N("{{.Count}} of {{.Total}} files, {{.Done}} of {{.Size}}", files,
		map[string]any{"Count": finished, "Total": files, "Done": locale.Now().Bytes(done), "Size": locale.Now().Bytes(size)})
	if speed >= 1 {
		line += ", " + locale.Now().Speed(speed)
		if size > done {
			line += lang.L(", {{.Left}} left", map[string]any{"Left": locale.Now().Remaining(time.Duration(float64(size-done) / speed * float64(time.Second)))})
		}
	}
	fmt.Fprint(p.w, "\r\033[K"+line)
	p.shown = true
}

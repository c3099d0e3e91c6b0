package gui

import (
	"sync"
	"testing"

	"cloudreel/fetch/queue"
)

// fakeLook is a queue's Summary over a map that a test changes.
type fakeLook struct {
	mu   sync.Mutex
	jobs map[string]queue.Summary
}

func (f *fakeLook) look(id string) (queue.Summary, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.jobs[id]
	return s, ok
}

func (f *fakeLook) put(j queue.Job) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.jobs[j.ID] = queue.SummaryOf(j)
}

// The rows keep only their order and sums: what a row shows beside them
// (name, folder, reason, account) is read from the queue when the row is
// drawn, and once the queue has no such job any more the row shows what
// it kept.
func TestJobRowsReadTheRestFromTheQueue(t *testing.T) {
	f := &fakeLook{jobs: map[string]queue.Summary{}}
	failed := job("1", "r1", queue.Failed, 4, 10)
	failed.AccountID, failed.Err, failed.Folder = "acc-a", "The link expired.", "/videos"
	waiting := job("2", "r2", queue.Queued, 0, 20)
	waiting.AccountID = "acc-b"
	f.put(failed)
	f.put(waiting)
	r := newJobRows(f.look)
	r.set(summaries([]queue.Job{failed, waiting}), 2)

	// Row 0 is the waiting job (waiting before failed), row 1 the failed one.
	if j, ok := r.at(1); !ok || j.ID != "1" || j.Err != "The link expired." || j.Path != "/videos/1.mp4" || j.AccountID != "acc-a" {
		t.Errorf("row 1 is %+v, want the failed job with its reason, path and account", j)
	}
	failed.Path = "/videos/renamed.mp4"
	f.put(failed)
	if j, _ := r.at(1); j.Path != "/videos/renamed.mp4" {
		t.Errorf("row 1 shows path %q after the queue's changed, want the queue's", j.Path)
	}
	if got := r.unfinishedOf("acc-b"); len(got) != 1 || got[0] != "2" {
		t.Errorf("unfinishedOf(acc-b) = %v, want [2]", got)
	}

	f.mu.Lock()
	delete(f.jobs, "2")
	f.mu.Unlock()
	if j, ok := r.at(0); !ok || j.ID != "2" || j.State != queue.Queued || j.Size != 20 || j.RecordingID != "r2" || j.Path != "" {
		t.Errorf("row 0, gone from the queue, is %+v, want what the row kept only", j)
	}
}

package gui

import (
	"iter"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"

	"cloudreel/fetch"
	"cloudreel/fetch/queue"
)

func job(id, rec string, s queue.State, done, size int64) queue.Job {
	return queue.Job{ID: id, RecordingID: rec, State: s, Done: done, Size: size, Path: "/videos/" + id + ".mp4"}
}

func TestRecordingStatus(t *testing.T) {
	cases := []struct {
		name string
		jobs []queue.Job
		want string
	}{
		{"no jobs", nil, "new"},
		{"all done", []queue.Job{job("1", "r", queue.Done, 10, 10), job("2", "r", queue.Done, 5, 5)}, "downloaded"},
		{"one failed", []queue.Job{job("1", "r", queue.Done, 10, 10), job("2", "r", queue.Failed, 1, 5)}, "failed"},
		{"failed wins over downloading", []queue.Job{job("1", "r", queue.Downloading, 1, 10), job("2", "r", queue.Failed, 0, 5)}, "failed"},
		// Progress counts the finished files too: 100 + 20 of 300.
		{"downloading", []queue.Job{job("1", "r", queue.Done, 100, 100), job("2", "r", queue.Downloading, 20, 200)}, "downloading 40%"},
		{"resolving counts as downloading", []queue.Job{job("1", "r", queue.Resolving, 0, 100)}, "downloading 0%"},
		{"size unknown", []queue.Job{job("1", "r", queue.Downloading, 0, 0)}, "downloading"},
		{"one size unknown: no percentage", []queue.Job{job("1", "r", queue.Downloading, 50, 0), job("2", "r", queue.Done, 10, 10)}, "downloading"},
		{"preparing", []queue.Job{job("1", "r", queue.Preparing, 0, 10), job("2", "r", queue.Queued, 0, 10)}, "preparing"},
		{"paused", []queue.Job{job("1", "r", queue.Paused, 3, 10), job("2", "r", queue.Done, 10, 10)}, "paused"},
		{"paused before queued", []queue.Job{job("1", "r", queue.Paused, 3, 10), job("2", "r", queue.Queued, 0, 10)}, "paused"},
		{"queued", []queue.Job{job("1", "r", queue.Queued, 0, 10), job("2", "r", queue.Done, 10, 10)}, "queued"},
	}
	for _, c := range cases {
		if got := recordingStatus(c.jobs); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestJobDetail(t *testing.T) {
	cases := []struct {
		j    queue.Job
		want string
	}{
		{queue.Job{State: queue.Downloading, Done: 1_000_000, Size: 4_000_000, Speed: 500_000, ETA: 6500 * time.Millisecond}, "1.0 MB of 4.0 MB · 500 kB/s · 7 s left"},
		{queue.Job{State: queue.Downloading, Done: 1_000_000}, "1.0 MB of ?"},
		{queue.Job{State: queue.Queued, Size: 2_000_000}, "Waiting · 0 B of 2.0 MB"},
		{queue.Job{State: queue.Preparing}, "The platform is preparing this file…"},
		{queue.Job{State: queue.Resolving}, "Asking for a download link…"},
		{queue.Job{State: queue.Paused, Done: 1_500_000, Size: 3_000_000}, "Paused · 1.5 MB of 3.0 MB"},
		{queue.Job{State: queue.Done, Done: 3_000_000, Size: 3_000_000}, "Downloaded · 3.0 MB"},
		{queue.Job{State: queue.Failed, Err: "Zoom refused the link."}, "Failed: Zoom refused the link."},
		{queue.Job{State: queue.Failed}, "Failed"},
		{queue.Job{State: queue.Canceled, Size: 10}, "Canceled"},
	}
	for _, c := range cases {
		if got := jobDetail(c.j); got != c.want {
			t.Errorf("%s: %q, want %q", c.j.State, got, c.want)
		}
	}
}

func TestFormatETA(t *testing.T) {
	cases := map[time.Duration]string{
		0:                               "",
		-time.Second:                    "",
		400 * time.Millisecond:          "1 s left",
		44*time.Second + 200e6:          "45 s left",
		89 * time.Second:                "2 min left",
		59*time.Minute + 10*time.Second: "60 min left",
		2*time.Hour + 5*time.Minute:     "2 h 5 min left",
		26 * time.Hour:                  "26 h 0 min left",
	}
	for d, want := range cases {
		if got := formatETA(d); got != want {
			t.Errorf("formatETA(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestFormatBytesAndSpeed(t *testing.T) {
	if got := formatBytes(-5); got != "0 B" {
		t.Errorf("formatBytes(-5) = %q", got)
	}
	if got := formatBytes(1_234_567_890); got != "1.2 GB" {
		t.Errorf("formatBytes(1.23e9) = %q", got)
	}
	if got := formatSpeed(0); got != "" {
		t.Errorf("formatSpeed(0) = %q, want nothing", got)
	}
	if got := formatSpeed(4_100_000); got != "4.1 MB/s" {
		t.Errorf("formatSpeed(4.1e6) = %q", got)
	}
}

func TestJobRows(t *testing.T) {
	r := newJobRows(nil)
	r.set(summaries([]queue.Job{job("1", "a", queue.Done, 10, 10), job("2", "a", queue.Paused, 4, 10)}), 0)
	if all, _ := r.take(); !all {
		t.Error("the first take after set does not redraw everything")
	}
	if all, rows := r.take(); all || len(rows) != 0 {
		t.Errorf("nothing changed, yet take says all=%v rows=%v", all, rows)
	}
	r.apply(queue.Event{Kind: queue.Progress, Job: job("2", "a", queue.Downloading, 6, 10)})
	// Paused and downloading jobs come before downloaded ones: job 2 is row 0.
	if all, rows := r.take(); all || !slices.Equal(rows, []int{0}) {
		t.Errorf("after progress of job 2: all=%v rows=%v, want row 0 only", all, rows)
	}
	r.apply(queue.Event{Kind: queue.StateChanged, Job: job("3", "b", queue.Queued, 0, 30)})
	if all, _ := r.take(); !all || r.len() != 3 {
		t.Errorf("a new job: all=%v, %d rows", all, r.len())
	}
	if j, ok := r.at(1); !ok || j.ID != "3" {
		t.Errorf("row 1 is %+v, want the new waiting job after the running one, before the downloaded one", j)
	}
	r.apply(queue.Event{Kind: queue.StateChanged, Job: job("4", "b", queue.Canceled, 0, 50)})
	r.apply(queue.Event{Kind: queue.StateChanged, Job: func() queue.Job {
		j := job("3", "b", queue.Downloading, 15, 30)
		j.Speed = 1000
		return j
	}()})
	tot := r.totals()
	// Canceled job 4 counts as a row but not in bytes; only running jobs have speed.
	if tot.count != 4 || tot.finished != 1 || tot.active != 2 || tot.done != 10+6+15 || tot.size != 10+10+30 || tot.speed != 1000 {
		t.Errorf("totals %+v", tot)
	}
	r.apply(queue.Event{Kind: queue.Removed, Job: job("1", "a", queue.Done, 10, 10)})
	r.apply(queue.Event{Kind: queue.Removed, Job: job("nope", "a", queue.Done, 10, 10)})
	if all, _ := r.take(); !all || r.len() != 3 {
		t.Errorf("after removing job 1: all=%v, %d rows", all, r.len())
	}
	if _, ok := r.at(3); ok {
		t.Error("row 3 exists with three rows")
	}
	if j, _ := r.at(0); j.ID != "2" {
		t.Errorf("row 0 is %s after job 1 was removed", j.ID)
	}
}

func TestStatusImportance(t *testing.T) {
	for status, want := range map[string]widget.Importance{
		"downloaded":      widget.SuccessImportance,
		"failed":          widget.DangerImportance,
		"new":             widget.LowImportance,
		"downloading 40%": widget.HighImportance,
		"paused":          widget.HighImportance,
	} {
		if got := statusImportance(status); got != want {
			t.Errorf("%q: importance %v, want %v", status, got, want)
		}
	}
}

func TestParseSpeed(t *testing.T) {
	for in, want := range map[string]float64{"": 0, " 0 ": 0, "2": 2, "2,5": 2.5, "1.5 MB/s": 1.5, "3mb/s": 3} {
		got, err := parseSpeed(in)
		if err != nil || got != want {
			t.Errorf("parseSpeed(%q) = %v, %v; want %v", in, got, err, want)
		}
		if want > 0 {
			if back, _ := parseSpeed(speedText(got)); back != got {
				t.Errorf("speedText(%v) = %q does not read back", got, speedText(got))
			}
		}
	}
	for _, in := range []string{"fast", "-1", "1..2"} {
		if _, err := parseSpeed(in); err == nil {
			t.Errorf("parseSpeed(%q) accepted", in)
		}
	}
	if speedText(0) != "" {
		t.Errorf("speedText(0) = %q, want empty (no limit)", speedText(0))
	}
}

func TestTickedSize(t *testing.T) {
	known := rec("a", "A", day0, time.Minute, 2, 1_500_000)
	unknown := rec("b", "B", day0, time.Minute, 1, 0)
	for _, c := range []struct {
		recs []fetch.Recording
		want string
	}{
		{[]fetch.Recording{known}, "3.0 MB"},
		{[]fetch.Recording{unknown}, "size unknown"},
		{[]fetch.Recording{known, unknown}, "at least 3.0 MB"},
	} {
		if got := tickedSize(c.recs); got != c.want {
			t.Errorf("%v: %q, want %q", c.recs, got, c.want)
		}
	}
}

// summaries are jobs as the queue's Summaries hands them out.
func summaries(jobs []queue.Job) iter.Seq[queue.Summary] {
	return func(yield func(queue.Summary) bool) {
		for _, j := range jobs {
			if !yield(queue.SummaryOf(j)) {
				return
			}
		}
	}
}

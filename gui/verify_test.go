package gui

import (
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cloudreel/fetch"
	"cloudreel/fetch/queue"
	"cloudreel/fetch/sim"
	"cloudreel/fetch/verify"
)

// downloadFirst ticks the table's first row, downloads it and waits until
// every file of it is done; it returns the recording and its jobs.
func downloadFirst(t *testing.T, h *harness) (fetch.Recording, []queue.Job) {
	t.Helper()
	h.tick(0)
	var rec fetch.Recording
	var n int
	h.ui(func() {
		ticked := h.w.recordings.model.Ticked()
		if len(ticked) != 1 {
			t.Fatalf("%d rows ticked, want 1", len(ticked))
		}
		rec, n = ticked[0], filesOf(ticked...)
		test.Tap(h.w.recordings.download)
	})
	h.eventually("the download to finish", func() bool { return allDone(h, n) })
	return rec, h.queue.Jobs()
}

// tableStatus is what the Status column shows for a recording.
func (h *harness) tableStatus(recID string) string {
	m := h.w.recordings.model
	row, ok := m.Row(m.Index(recID))
	if !ok {
		return "(not listed)"
	}
	return statusText(row, time.Now())
}

// A Huawei recording whose files match Huawei's SHA-256 says "verified" in
// the table, and each of its rows says Verified with the proof's sentence.
func TestHuaweiDownloadShowsVerified(t *testing.T) {
	h := newHarness(t, harnessOptions{sim: simSmall})
	h.ui(func() { h.w.win.Resize(fyne.NewSize(1180, 1400)) })
	h.addAccount(fetch.Huawei, "Head office")
	rec, jobs := downloadFirst(t, h)
	h.eventually("the table to say verified", func() bool { return h.tableStatus(rec.ID) == "verified" })
	h.eventually("the rows to say Verified", func() bool {
		for _, j := range jobs {
			row := h.jobRow(j)
			if row == nil || row.detail.Text != "Verified · "+formatBytes(j.Size)+" · SHA-256 matches Huawei's" {
				return false
			}
		}
		return true
	})
	h.ui(func() {
		if got := find(h.w.recordings.table, func(l *dragLabel) bool { return l.Text == "verified" }); len(got) != 1 {
			t.Errorf("%d table cells say verified, want 1", len(got))
		}
	})
}

// When Huawei's SHA-256 differs from the bytes (same size), the download
// is thrown away, not Verified: neither the table nor the rows say so.
func TestWrongHuaweiChecksumIsNotVerified(t *testing.T) {
	h := newHarness(t, harnessOptions{sim: simSmall})
	h.ui(func() { h.w.win.Resize(fyne.NewSize(1180, 1400)) })
	h.sim.Faults().Update(func(f *sim.FaultSet) { f.HuaweiWrongSHA256 = true })
	h.addAccount(fetch.Huawei, "Head office")
	h.tick(0)
	var rec fetch.Recording
	h.ui(func() {
		rec = h.w.recordings.model.Ticked()[0]
		test.Tap(h.w.recordings.download)
	})
	h.eventually("the table to say failed", func() bool { return h.tableStatus(rec.ID) == "failed" })
	h.eventually("every job to end", func() bool {
		jobs := h.queue.Jobs()
		for _, j := range jobs {
			if j.State.Active() {
				return false
			}
		}
		return len(jobs) == len(rec.Files)
	})
	h.ui(func() {
		for _, j := range h.queue.Jobs() {
			if j.Verified() {
				t.Errorf("%s is Verified against a wrong SHA-256", j.Path)
			}
		}
		for _, d := range h.jobRowDetails() {
			if strings.Contains(d, "Verified") {
				t.Errorf("a row says %q", d)
			}
		}
	})
}

// A file downloaded whole but that no proof covers says so on its row.
func TestUnprovenDownloadSaysNotVerified(t *testing.T) {
	j := queue.Job{State: queue.Done, Done: 3_000_000, Size: 3_000_000, Platform: fetch.IBMVideo, Unproven: "IBM lists no size Cloudreel can trust."}
	if got, want := jobDetail(j), "Downloaded, not verified · 3.0 MB · IBM lists no size Cloudreel can trust."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	j.Proof = verify.Length
	if got, want := jobDetail(j), "Verified · 3.0 MB · "+verify.Length.Sentence(fetch.IBMVideo); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	done := queue.Job{State: queue.Done, Done: 10, Size: 10, Proof: verify.SHA256}
	if got := recordingStatus([]queue.Job{done, done}); got != "verified" {
		t.Errorf("two verified files: %q", got)
	}
	if got := recordingStatus([]queue.Job{done, {State: queue.Done, Done: 10, Size: 10}}); got != "downloaded" {
		t.Errorf("one of two verified: %q", got)
	}
}

// Check downloaded files finds a file changed on disk and one gone, says
// so in plain words, and the recording is no longer "verified".
func TestCheckDownloadedFilesFindsChangedAndMissing(t *testing.T) {
	h := newHarness(t, harnessOptions{sim: simSmall})
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	h.tick(0, 1)
	var recs []fetch.Recording
	h.ui(func() {
		recs = h.w.recordings.model.Ticked()
		test.Tap(h.w.recordings.download)
	})
	h.eventually("the downloads to finish", func() bool { return allDone(h, filesOf(recs...)) })
	h.eventually("the table to say verified", func() bool {
		return h.tableStatus(recs[0].ID) == "verified" && h.tableStatus(recs[1].ID) == "verified"
	})
	var changed, gone queue.Job
	for _, j := range h.queue.Jobs() {
		switch {
		case j.RecordingID == recs[0].ID && changed.ID == "":
			changed = j
		case j.RecordingID == recs[1].ID && gone.ID == "":
			gone = j
		}
	}
	// Same size, other bytes: only the SHA-256 tells.
	b, err := os.ReadFile(changed.Path)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0xff
	if err := os.WriteFile(changed.Path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(gone.Path); err != nil {
		t.Fatal(err)
	}

	h.ui(func() { test.Tap(button(t, h.content(), "Check downloaded files")) })
	h.eventually("the check's report", func() bool {
		return hasLabel(h.overlay(), "Changed: "+baseName(changed.Path)) && hasLabel(h.overlay(), "Missing: "+baseName(gone.Path))
	})
	h.ui(func() {
		want := "Checked " + itoa(len(h.queue.Jobs())) + " files: " + itoa(len(h.queue.Jobs())-2) + " as downloaded, 1 changed, 1 missing."
		if !hasLabel(h.overlay(), want) {
			t.Errorf("no %q in the report", want)
		}
	})
	h.eventually("the table to stop saying verified", func() bool {
		return h.tableStatus(recs[0].ID) == "downloaded" && h.tableStatus(recs[1].ID) == "downloaded"
	})
	h.ui(func() { test.Tap(button(t, h.overlay(), "Close")) })
}

// The check's summary, for files all fine and for files never proven.
func TestCheckSummary(t *testing.T) {
	fine := queue.FileCheck{Job: queue.Job{Proof: verify.Size}}
	unproven := queue.FileCheck{Job: queue.Job{}}
	if s, advice := checkSummary([]queue.FileCheck{fine, fine}); s != "All 2 files are as they were downloaded." || len(advice) != 0 {
		t.Errorf("two fine files: %q %q", s, advice)
	}
	s, advice := checkSummary([]queue.FileCheck{fine, unproven})
	if s != "All 2 files are as they were downloaded." || len(advice) != 1 || !strings.HasPrefix(advice[0], "1 file is as downloaded, but nothing proved it whole") {
		t.Errorf("one unproven file: %q %q", s, advice)
	}
	if s, _ := checkSummary(nil); s != "There are no downloaded files to check." {
		t.Errorf("no files: %q", s)
	}
	objs := checkReport(nil, os.ErrPermission)
	if l, ok := objs[0].(*widget.Label); !ok || !strings.HasPrefix(l.Text, "The files could not be checked: ") {
		t.Errorf("an error: %#v", objs[0])
	}
}

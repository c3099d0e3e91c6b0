package gui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cloudreel/fetch"
	"cloudreel/fetch/sim"
	"cloudreel/fetch/upload"
)

// uploadRows are the upload rows the downloads panel shows.
func (h *harness) uploadRows() []*uploadRowView {
	return find(h.w.downloads.top, (func(*uploadRowView) bool)(nil))
}

// uploadRowOf is the row of the job sending path, or nil.
func (h *harness) uploadRowOf(path string) *uploadRowView {
	for _, v := range h.uploadRows() {
		if v.shown.job.Path == path {
			return v
		}
	}
	return nil
}

// writeVideoFile writes n made-up bytes as a video and returns its path
// and SHA-256.
func writeVideoFile(t *testing.T, dir, name string, n int) (string, string) {
	t.Helper()
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + 3)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p, fileSHA256(t, p)
}

// A Zoom recording ticked in the window and sent with "Send to Valt…"
// is downloaded, then ends in the simulated Valt with the same bytes,
// named by its title, date and source, with the Valt account's template
// fields and sharing.
func TestSendTickedZoomRecordingToValt(t *testing.T) {
	h := newHarness(t, smallSim)
	valt := h.ensureAccount(fetch.Valt, "School Valt", "")
	valt.UploadTemplate = map[string]string{"3": "{source}"}
	valt.ShareGroups = []int64{8}
	if err := h.store.Update(context.Background(), valt, ""); err != nil {
		t.Fatal(err)
	}
	zoom := h.addAccount(fetch.ZoomSDK, "Meetings")
	var rec fetch.Recording
	h.ui(func() {
		for i := range h.w.recordings.model.Len() {
			r, _ := h.w.recordings.model.Row(i)
			if len(r.rec.Files) > 0 && upload.IsVideo(r.rec.Files[0].Ext) {
				rec = r.rec
				h.w.recordings.model.Toggle(i)
				break
			}
		}
	})
	if rec.ID == "" {
		t.Fatal("no Zoom recording with a video")
	}
	want := map[string]bool{}
	for _, f := range rec.Files {
		if upload.IsVideo(f.Ext) {
			sf, _ := h.sim.File(f.ID)
			want[sim.ContentSHA256(sf)] = true
		}
	}
	h.ui(func() { test.Tap(button(t, h.content(), "Send to Valt…")) })
	h.eventually("the send dialog", func() bool { return h.overlay() != nil })
	h.ui(func() {
		sel := find(h.overlay(), (func(*widget.Select) bool)(nil))
		if len(sel) != 1 || sel[0].Selected != "School Valt" {
			t.Fatalf("the dialog offers %v", sel)
		}
		test.Tap(button(t, h.overlay(), "Send the 1 ticked recordings of Meetings"))
	})
	h.eventually("every video in Valt", func() bool {
		recs := h.sim.ValtUploadRecords()
		if len(recs) != len(want) {
			return false
		}
		for _, r := range recs {
			if r.Empty() {
				return false
			}
		}
		return true
	})
	for _, r := range h.sim.ValtUploadRecords() {
		if !want[r.Videos[0].SHA256] {
			t.Fatalf("%q in Valt does not hold the Zoom file's bytes", r.Name)
		}
		if !strings.HasPrefix(r.Name, rec.Title+" (Zoom Video SDK: Meetings, "+rec.Start.Local().Format("2006-01-02")) {
			t.Fatalf("record name %q", r.Name)
		}
		if r.Template["3"] != "Zoom Video SDK: Meetings" || len(r.Groups) != 1 || r.Groups[0] != "8" {
			t.Fatalf("template %v, groups %v", r.Template, r.Groups)
		}
	}
	// The download's row and the upload's row are both in the panel.
	h.eventually("the upload rows to say In Valt", func() bool {
		rows := h.uploadRows()
		for _, v := range rows {
			if !strings.HasPrefix(v.detail.Text, "In Valt") {
				return false
			}
		}
		return len(rows) == len(want) && strings.HasPrefix(h.w.uploads.heading.Text, "Sent to Valt: ")
	})
	if jobs := h.queue.Jobs(); len(jobs) != len(want) || !jobs[0].Verified() || jobs[0].AccountID != zoom.ID {
		t.Fatalf("downloads: %+v", jobs)
	}
}

// Video files dropped onto the window while a Valt account is shown are
// sent to it; paused, an upload starts again from its first byte into the
// same record when resumed; a finished row can be removed.
func TestDropVideoOnValtPauseResumeAndRemove(t *testing.T) {
	h := newHarness(t, smallSim)
	valt := h.addAccount(fetch.Valt, "Clinic Valt")
	path, sum := writeVideoFile(t, t.TempDir(), "interview.mp4", 2<<20)
	h.queue.SetSpeedLimit(256 << 10) // the shared limit: the upload lasts seconds
	h.ui(func() { h.w.onDropped(fyne.Position{}, []fyne.URI{storage.NewFileURI(path)}) })
	h.eventually("the upload to be sending", func() bool {
		v := h.uploadRowOf(path)
		return v != nil && v.shown.job.State == upload.Uploading && v.shown.job.Sent > 0 && v.pause.Visible()
	})
	h.ui(func() { test.Tap(h.uploadRowOf(path).pause) })
	h.eventually("the row to say paused", func() bool {
		v := h.uploadRowOf(path)
		return v != nil && v.resume.Visible() && strings.Contains(v.detail.Text, "Resume sends it again from the beginning")
	})
	if recs := h.sim.ValtUploadRecords(); len(recs) != 1 || !recs[0].Empty() {
		t.Fatalf("after the pause Valt holds %+v", recs)
	}
	h.queue.SetSpeedLimit(0)
	h.ui(func() { test.Tap(h.uploadRowOf(path).resume) })
	h.eventually("the upload to end", func() bool {
		v := h.uploadRowOf(path)
		return v != nil && v.shown.job.State == upload.Done && v.remove.Visible()
	})
	recs := h.sim.ValtUploadRecords()
	if len(recs) != 1 || recs[0].Videos[0].SHA256 != sum || recs[0].Name != "interview" {
		t.Fatalf("Valt holds %+v, want one record with the file", recs)
	}
	if j := h.uploadRowOf(path).shown.job; j.AccountID != valt.ID {
		t.Fatalf("sent to %s", j.AccountName)
	}
	h.ui(func() { test.Tap(h.uploadRowOf(path).remove) })
	h.eventually("the row to go", func() bool { return h.uploadRowOf(path) == nil && !h.w.uploads.root.Visible() })

	// A dropped video while a Zoom account is shown is not sent.
	h.addAccount(fetch.ZoomSDK, "Meetings")
	h.ui(func() { h.w.onDropped(fyne.Position{}, []fyne.URI{storage.NewFileURI(path)}) })
	h.eventually("the notice", func() bool { return h.overlay() != nil })
	if len(h.uploads.Jobs()) != 0 {
		t.Fatal("a file dropped on a Zoom account was sent")
	}
}

// An upload that keeps being cut off fails, naming the empty record it
// made in Valt; Retry fills that same record; Cancel of a failed one says
// which record to remove in Valt.
func TestFailedUploadNamesItsRecordAndRetryFillsIt(t *testing.T) {
	h := newHarness(t, smallSim)
	valt := h.addAccount(fetch.Valt, "Clinic Valt")
	dir := t.TempDir()
	path, sum := writeVideoFile(t, dir, "visit.mp4", 200<<10)
	h.sim.Faults().Update(func(f *sim.FaultSet) { f.ValtUploadCuts = 100 })
	h.w.uploads.sendPaths(valt, []string{path})
	h.eventually("the upload to fail", func() bool {
		v := h.uploadRowOf(path)
		return v != nil && v.shown.job.State == upload.Failed && v.retry.Visible() && v.problem.Visible()
	})
	var problem string
	h.ui(func() { problem = h.uploadRowOf(path).problem.Text })
	recs := h.sim.ValtUploadRecords()
	if len(recs) != 1 || !strings.Contains(problem, recs[0].ID) || !strings.Contains(problem, "remove that record in Valt") {
		t.Fatalf("the failed row says %q (records %+v)", problem, recs)
	}
	h.sim.Faults().Update(func(f *sim.FaultSet) { f.ValtUploadCuts = 0 })
	h.ui(func() { test.Tap(h.uploadRowOf(path).retry) })
	h.eventually("the retry to end", func() bool {
		v := h.uploadRowOf(path)
		return v != nil && v.shown.job.State == upload.Done
	})
	if recs := h.sim.ValtUploadRecords(); len(recs) != 1 || recs[0].Videos[0].SHA256 != sum {
		t.Fatalf("after the retry Valt holds %+v, want the one record filled", recs)
	}

	// Cancel of a failed upload names the record left empty.
	other, _ := writeVideoFile(t, dir, "other.mp4", 100<<10)
	h.sim.Faults().Update(func(f *sim.FaultSet) { f.ValtUploadCuts = 100 })
	h.w.uploads.sendPaths(valt, []string{other})
	h.eventually("the second upload to fail", func() bool {
		v := h.uploadRowOf(other)
		return v != nil && v.shown.job.State == upload.Failed
	})
	h.ui(func() { test.Tap(h.uploadRowOf(other).cancel) })
	h.eventually("the notice naming the record", func() bool {
		o := h.overlay()
		return o != nil && len(find(o, func(l *widget.Label) bool { return strings.Contains(l.Text, "is still empty") })) > 0
	})
}

// The Valt account dialog keeps the template fields and the users and
// groups to share with, and refuses ids that are not numbers.
func TestValtAccountDialogKeepsTemplateAndShares(t *testing.T) {
	h := newHarness(t, smallSim)
	a := h.addAccount(fetch.Valt, "Clinic Valt")
	open := func() *uploadFields {
		h.ui(func() { test.Tap(button(t, h.content(), "Edit")) })
		h.eventually("the account dialog", func() bool { return h.overlay() != nil })
		var f []*widget.Entry
		h.ui(func() {
			f = find(h.overlay(), func(e *widget.Entry) bool { return e.MultiLine })
		})
		if len(f) != 1 {
			t.Fatalf("found %d template boxes", len(f))
		}
		var fields *uploadFields
		h.ui(func() {
			for _, e := range find(h.overlay(), (func(*widget.Entry) bool)(nil)) {
				if strings.HasPrefix(e.PlaceHolder, "optional: user ids") {
					fields = &uploadFields{template: f[0], users: e}
				}
				if strings.HasPrefix(e.PlaceHolder, "optional: group ids") && fields != nil {
					fields.groups = e
				}
			}
		})
		if fields == nil || fields.groups == nil {
			t.Fatal("the share boxes are missing")
		}
		return fields
	}
	f := open()
	h.ui(func() {
		test.Type(f.template, "12 = {title} ({date})\n14 = Clinic")
		test.Type(f.users, "4, x")
		test.Tap(button(t, h.overlay(), "Save"))
	})
	h.eventually("the refusal", func() bool {
		return len(find(h.overlay(), func(l *widget.Label) bool { return strings.Contains(l.Text, `"x" is not a user id`) })) > 0
	})
	h.ui(func() {
		f.users.SetText("4, 17")
		test.Type(f.groups, "2")
		test.Tap(button(t, h.overlay(), "Save"))
	})
	h.eventually("the dialog to close", func() bool { return h.overlay() == nil })
	got, err := h.store.Get(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.UploadTemplate["12"] != "{title} ({date})" || got.UploadTemplate["14"] != "Clinic" || len(got.ShareUsers) != 2 || got.ShareUsers[1] != 17 || len(got.ShareGroups) != 1 {
		t.Fatalf("saved %+v %v %v", got.UploadTemplate, got.ShareUsers, got.ShareGroups)
	}
	f = open()
	h.ui(func() {
		if f.template.Text != "12 = {title} ({date})\n14 = Clinic" || f.users.Text != "4, 17" || f.groups.Text != "2" {
			t.Fatalf("the dialog shows %q %q %q", f.template.Text, f.users.Text, f.groups.Text)
		}
	})
}

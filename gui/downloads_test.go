package gui

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/queue"
	"cloudreel/fetch/sim"
)

// slowSim serves files slowly enough that a person (or a test) can pause
// one while it downloads.
var slowSim = harnessOptions{sim: sim.Config{Recordings: 20, Throttle: 512 << 10, MinSize: 2 << 20, MaxSize: 3 << 20}}

// checkOnDisk fails unless every job's file is whole under folder, with
// the simulator's bytes, and no partial file is left.
func checkOnDisk(t *testing.T, h *harness, folder string, jobs []queue.Job) {
	t.Helper()
	for _, j := range jobs {
		if rel, err := filepath.Rel(folder, j.Path); err != nil || strings.HasPrefix(rel, "..") {
			t.Errorf("%s is not under %s", j.Path, folder)
			continue
		}
		if got, want := fileSHA256(t, j.Path), sim.ContentSHA256(h.simFile(j)); got != want {
			t.Errorf("%s has other bytes than the platform's file", j.Path)
		}
	}
	_ = filepath.WalkDir(folder, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".part") {
			t.Errorf("partial file left behind: %s", p)
		}
		return nil
	})
}

// allDone reports whether the queue has n jobs, all downloaded.
func allDone(h *harness, n int) bool {
	jobs := h.queue.Jobs()
	if len(jobs) != n {
		return false
	}
	for _, j := range jobs {
		if j.State != queue.Done {
			return false
		}
	}
	return true
}

func filesOf(recs ...fetch.Recording) int {
	n := 0
	for _, r := range recs {
		n += len(r.Files)
	}
	return n
}

func TestDownloadTickedRows(t *testing.T) {
	h := newHarness(t, smallSim)
	h.ui(func() { h.w.win.Resize(fyne.NewSize(1180, 1400)) }) // every downloads row on screen
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	v := h.w.recordings
	h.tick(0, 1)
	var ticked []fetch.Recording
	h.ui(func() {
		ticked = v.model.Ticked()
		if !h.w.downloads.empty.Visible() {
			t.Error("the downloads panel does not say it is empty before the first download")
		}
		test.Tap(v.download)
	})
	n := filesOf(ticked...)
	h.eventually("the downloads to finish", func() bool { return allDone(h, n) })
	h.eventually("the panel to show every file downloaded", func() bool {
		details := h.jobRowDetails()
		if len(details) != n {
			return false
		}
		for _, d := range details {
			if !strings.HasPrefix(d, "Verified · ") {
				return false
			}
		}
		return strings.HasPrefix(h.w.downloads.total.Text, fmt.Sprintf("%d of %d done", n, n))
	})
	h.eventually("the table to say downloaded", func() bool {
		for _, r := range ticked {
			if row, _ := v.model.Row(v.model.Index(r.ID)); row.status != "verified" {
				return false
			}
		}
		return len(find(v.table, func(l *dragLabel) bool { return l.Text == "verified" })) == len(ticked)
	})
	h.ui(func() {
		for _, j := range h.queue.Jobs() {
			row := h.jobRow(j)
			if row == nil {
				t.Errorf("no row for %s", j.Path)
				continue
			}
			if want := "Verified · " + formatBytes(j.Size) + " · " + j.Proof.Sentence(j.Platform); row.detail.Text != want {
				t.Errorf("row %q says %q, want %q", row.name.Text, row.detail.Text, want)
			}
			if row.bar.Value != 1 || !row.open.Visible() || !row.inFolder.Visible() || row.pause.Visible() || row.cancel.Visible() {
				t.Errorf("row %q: bar %.2f, open %v, show in folder %v, pause %v, cancel %v", row.name.Text, row.bar.Value, row.open.Visible(), row.inFolder.Visible(), row.pause.Visible(), row.cancel.Visible())
			}
		}
		if got := h.w.win.Title(); got != "Cloudreel" {
			t.Errorf("title %q after the downloads finished", got)
		}
		if len(v.model.Ticked()) != 0 {
			t.Error("rows stay ticked after they were queued")
		}
		if h.w.downloads.empty.Visible() {
			t.Error("the panel still says nothing is downloading")
		}
	})
	checkOnDisk(t, h, h.folder, h.queue.Jobs())
	for _, j := range h.queue.Jobs() {
		want := filepath.Join(h.folder, queue.Name(queue.DefaultTemplate, queue.NameFields{Platform: fetch.ZoomSDK, Account: "School Zoom",
			RecordingID: j.RecordingID, Title: j.RecordingTitle, Start: j.RecordingStart, Kind: j.File.Kind, FileID: j.File.ID, Ext: j.File.Ext}))
		if j.Path != want {
			t.Errorf("downloaded to %s, the default template names it %s", j.Path, want)
		}
	}

	// Clear finished empties the panel; the files stay.
	h.ui(func() { test.Tap(button(t, h.content(), "Clear finished")) })
	h.eventually("the panel to be cleared", func() bool { return h.w.downloads.rows.len() == 0 && h.w.downloads.empty.Visible() })
}

// fewSlowFiles are small files served slowly enough that the downloads
// panel sees them running.
var fewSlowFiles = harnessOptions{sim: sim.Config{Recordings: 20, Throttle: 512 << 10, MinSize: 256 << 10, MaxSize: 512 << 10}}

func TestBatchNotificationCountsRecordings(t *testing.T) {
	h := newHarness(t, fewSlowFiles)
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	h.tick(0, 1)
	var n int
	h.ui(func() {
		n = filesOf(h.w.recordings.model.Ticked()...)
		test.Tap(h.w.recordings.download)
	})
	h.eventually("the panel to show the running batch", func() bool { return strings.HasPrefix(h.w.win.Title(), "Cloudreel — downloading") })
	h.eventually("the downloads to finish", func() bool { return allDone(h, n) })
	h.eventually("a notification", func() bool { return len(h.app.sent()) > 0 })
	sent := h.app.sent()
	if len(sent) != 1 {
		t.Errorf("%d notifications for one batch", len(sent))
	}
	if got := sent[0].Content; got != fmt.Sprintf("%d files of 2 recordings downloaded to %s.", n, displayFolder(h.folder)) {
		t.Fatalf("the batch notification says %q for 2 recordings (%d files)", got, n)
	}
}

func TestQuickBatchStillNotifies(t *testing.T) {
	h := newHarness(t, smallSim)
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	h.tick(0)
	var n int
	h.ui(func() {
		n = filesOf(h.w.recordings.model.Ticked()...)
		test.Tap(h.w.recordings.download)
	})
	h.eventually("the downloads to finish", func() bool { return allDone(h, n) })
	// The redraw that shows the batch finished is the one that notifies.
	h.eventually("the panel to show the batch finished", func() bool {
		return strings.HasPrefix(h.w.downloads.total.Text, fmt.Sprintf("%d of %d done", n, n))
	})
	if len(h.app.sent()) == 0 {
		t.Fatal("a batch queued and finished between two redraws sent no notification")
	}
}

// startSlowDownload queues the newest recording's files on the throttled
// simulator and returns its largest file's job once bytes are flowing.
func startSlowDownload(t *testing.T, h *harness) queue.Job {
	t.Helper()
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	h.tick(0)
	h.ui(func() { test.Tap(h.w.recordings.download) })
	var big queue.Job
	h.eventually("the largest file to be downloading", func() bool {
		jobs := h.queue.Jobs()
		if len(jobs) == 0 {
			return false
		}
		big = slices.MaxFunc(jobs, func(a, b queue.Job) int { return int(a.Size - b.Size) })
		row := h.jobRow(big)
		return big.State == queue.Downloading && big.Done > 0 && row != nil && row.bar.Value > 0 && row.pause.Visible()
	})
	return big
}

func TestPauseAndResume(t *testing.T) {
	h := newHarness(t, slowSim)
	big := startSlowDownload(t, h)
	h.eventually("the title to show progress", func() bool {
		return strings.HasPrefix(h.w.win.Title(), "Cloudreel — downloading ") && strings.HasSuffix(h.w.win.Title(), "%")
	})

	h.ui(func() { test.Tap(h.jobRow(big).pause) })
	h.eventually("the row to say paused", func() bool {
		row := h.jobRow(big)
		return strings.HasPrefix(row.detail.Text, "Paused · ") && row.resume.Visible() && !row.pause.Visible()
	})
	if j, _ := h.queue.Job(big.ID); j.State != queue.Paused {
		t.Fatalf("the queue says %s after Pause", j.State)
	}
	// The other files finish; the paused one stays where it was.
	others := 0
	for _, j := range h.queue.Jobs() {
		if j.ID != big.ID {
			others++
		}
	}
	h.eventually("the other files to finish", func() bool {
		done := 0
		for _, j := range h.queue.Jobs() {
			if j.ID != big.ID && j.State == queue.Done {
				done++
			}
		}
		return done == others
	})
	paused, _ := h.queue.Job(big.ID)
	part, err := os.Stat(paused.Path + ".part")
	if err != nil {
		t.Fatalf("no partial file for the paused download: %v", err)
	}
	if paused.State != queue.Paused || part.Size() == 0 || part.Size() >= paused.Size {
		t.Fatalf("paused job %s with %d of %d bytes on disk", paused.State, part.Size(), paused.Size)
	}
	h.eventually("the table and the title to show the pause", func() bool {
		row, _ := h.w.recordings.model.Row(h.w.recordings.model.Index(paused.RecordingID))
		return row.status == "paused" && h.w.win.Title() == "Cloudreel"
	})

	h.ui(func() { test.Tap(h.jobRow(big).resume) })
	h.eventually("the resumed file to finish", func() bool {
		j, _ := h.queue.Job(big.ID)
		row := h.jobRow(big)
		return j.State == queue.Done && row != nil && row.detail.Text == "Verified · "+formatBytes(j.Size)+" · "+j.Proof.Sentence(j.Platform)
	})
	done, _ := h.queue.Job(big.ID)
	if done.Path != paused.Path {
		t.Errorf("resumed into %s, paused in %s", done.Path, paused.Path)
	}
	checkOnDisk(t, h, h.folder, h.queue.Jobs())
	h.eventually("the title to go back to Cloudreel", func() bool { return h.w.win.Title() == "Cloudreel" })
}

func TestCancel(t *testing.T) {
	h := newHarness(t, slowSim)
	big := startSlowDownload(t, h)
	h.ui(func() { test.Tap(h.jobRow(big).cancel) })
	h.eventually("the row to say canceled", func() bool {
		row := h.jobRow(big)
		return row.detail.Text == "Canceled" && !row.cancel.Visible() && !row.pause.Visible() && !row.resume.Visible()
	})
	eventually(t, "the partial file to go", func() bool {
		_, err := os.Stat(big.Path + ".part")
		return os.IsNotExist(err)
	})
	if _, err := os.Stat(big.Path); !os.IsNotExist(err) {
		t.Errorf("a canceled download left %s (%v)", big.Path, err)
	}
	if j, _ := h.queue.Job(big.ID); j.State != queue.Canceled || j.Done != 0 {
		t.Errorf("the queue says %s with %d bytes after Cancel", j.State, j.Done)
	}
}

func TestDropAFolderOnTheWindow(t *testing.T) {
	h := newHarness(t, smallSim)
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	dropped := t.TempDir()

	// A file is not a folder: nothing is queued, the window says why.
	notAFolder := filepath.Join(dropped, "notes.txt")
	if err := os.WriteFile(notAFolder, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	h.tick(1)
	h.ui(func() {
		h.w.DropFolder(notAFolder)
		if h.overlay() == nil || !hasLabel(h.overlay(), "Drop a folder here to download the ticked recordings into it.") {
			t.Error("dropping a file says nothing")
		}
	})
	if n := len(h.queue.Jobs()); n != 0 {
		t.Fatalf("dropping a file queued %d downloads", n)
	}
	h.ui(func() { test.Tap(button(t, h.overlay(), "OK")) })

	var want []fetch.Recording
	h.ui(func() {
		want = h.w.recordings.model.Ticked()
		h.w.DropFolder(dropped)
	})
	n := filesOf(want...)
	h.eventually("the dropped folder's downloads to finish", func() bool { return allDone(h, n) })
	for _, j := range h.queue.Jobs() {
		if j.Folder != dropped || j.RecordingID != want[0].ID {
			t.Errorf("job %s (folder %s) is not the ticked recording into the dropped folder", j.Path, j.Folder)
		}
	}
	checkOnDisk(t, h, dropped, h.queue.Jobs())
}

func TestDragARowOntoAFolderShortcut(t *testing.T) {
	h := newHarness(t, smallSim)
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	shortcut := filepath.Join(t.TempDir(), "Lectures")
	if err := os.Mkdir(shortcut, 0o700); err != nil {
		t.Fatal(err)
	}
	var target *folderTarget
	h.ui(func() {
		h.w.accounts.folders.Add(shortcut)
		ts := find(h.content(), func(f *folderTarget) bool { return f.path == shortcut })
		if len(ts) != 1 || ts[0].Text != "Lectures" {
			t.Fatalf("the shortcut is not in the left panel (%d found)", len(ts))
		}
		target = ts[0]
		if !slices.ContainsFunc(find(h.content(), (func(*folderTarget) bool)(nil)), func(f *folderTarget) bool { return f.path == h.folder }) {
			t.Error("the default folder has no shortcut")
		}
	})

	// A drag that ends elsewhere downloads nothing.
	drag := func(row int, to fyne.Position) fetch.Recording {
		var rec recordingRow
		h.ui(func() {
			rec, _ = h.w.recordings.model.Row(row)
			l := h.titleLabel(row)
			if l == nil {
				t.Fatalf("row %d is not on screen", row)
			}
			from := centreOf(l)
			for _, p := range []fyne.Position{from.Add(fyne.NewPos(0, 5)), to} {
				l.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{AbsolutePosition: p}, Dragged: fyne.NewDelta(p.X-from.X, p.Y-from.Y)})
			}
			l.DragEnd()
		})
		return rec.rec
	}
	var away fyne.Position
	h.ui(func() { away = centreOf(h.w.recordings.table) })
	drag(0, away)
	if n := len(h.queue.Jobs()); n != 0 {
		t.Fatalf("a drag onto the table queued %d downloads", n)
	}

	var onto fyne.Position
	h.ui(func() { onto = centreOf(target) })
	rec := drag(1, onto)
	h.eventually("the dragged recording to download into the shortcut's folder", func() bool { return allDone(h, len(rec.Files)) })
	for _, j := range h.queue.Jobs() {
		if j.Folder != shortcut || j.RecordingID != rec.ID {
			t.Errorf("job %s (folder %s) is not the dragged recording into the shortcut", j.Path, j.Folder)
		}
	}
	checkOnDisk(t, h, shortcut, h.queue.Jobs())
}

func TestTapOnAFolderShortcutDownloadsTheTickedThere(t *testing.T) {
	h := newHarness(t, smallSim)
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	shortcut := t.TempDir()
	h.tick(2)
	var want []fetch.Recording
	h.ui(func() {
		h.w.accounts.folders.Add(shortcut)
		want = h.w.recordings.model.Ticked()
		test.Tap(find(h.content(), func(f *folderTarget) bool { return f.path == shortcut })[0])
	})
	h.eventually("the ticked recording in the shortcut's folder", func() bool { return allDone(h, filesOf(want...)) })
	checkOnDisk(t, h, shortcut, h.queue.Jobs())
}

func TestShowInFolderOpensTheFilesFolder(t *testing.T) {
	h := newHarness(t, smallSim)
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	h.tick(0)
	var n int
	h.ui(func() {
		n = filesOf(h.w.recordings.model.Ticked()...)
		test.Tap(h.w.recordings.download)
	})
	h.eventually("the download to finish", func() bool { return allDone(h, n) })
	j := h.queue.Jobs()[0]
	h.eventually("the row's Show in folder button", func() bool { row := h.jobRow(j); return row != nil && row.inFolder.Visible() })
	h.ui(func() { test.Tap(h.jobRow(j).inFolder) })
	want := fileURL(filepath.Dir(j.Path)).String()
	if got := h.app.openedURLs(); len(got) != 1 || got[0] != want {
		t.Errorf("Show in folder opened %v, want %s", got, want)
	}
}

func TestRetryAFailedDownload(t *testing.T) {
	h := newHarness(t, smallSim)
	h.ui(func() { h.w.win.Resize(fyne.NewSize(1180, 1400)) }) // every failed row on screen
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	h.sim.Faults().Update(func(f *sim.FaultSet) { f.MediaErrors = 1000 }) // the file server is down
	h.tick(0)
	var rec fetch.Recording
	h.ui(func() {
		rec = h.w.recordings.model.Ticked()[0]
		test.Tap(h.w.recordings.download)
	})
	var failed queue.Job
	h.eventually("a row to say the download failed", func() bool {
		for _, j := range h.queue.Jobs() {
			row := h.jobRow(j)
			if j.State == queue.Failed && row != nil && strings.HasPrefix(row.detail.Text, "Failed") && strings.HasSuffix(row.detail.Text, " · "+j.Err) &&
				row.detail.Importance == widget.DangerImportance && row.why.Visible() && row.retry.Visible() {
				failed = j
				return true
			}
		}
		return false
	})
	h.eventually("the table to say failed", func() bool {
		row, _ := h.w.recordings.model.Row(h.w.recordings.model.Index(rec.ID))
		return row.status == "failed"
	})
	h.ui(func() {
		_, msg, _ := strings.Cut(h.jobRow(failed).detail.Text, " · ")
		t.Logf("the row says: %s", msg)
		if !strings.HasSuffix(msg, ".") || strings.Contains(msg, "://") || strings.Contains(msg, "{") {
			t.Errorf("the failure %q is not a sentence", msg)
		}
	})

	h.sim.Faults().Update(func(f *sim.FaultSet) { f.MediaErrors = 0 }) // back up
	// Every file of the recording that failed is retried from its row.
	h.eventually("every file to stop trying", func() bool {
		for _, j := range h.queue.Jobs() {
			if j.State.Active() {
				return false
			}
		}
		return true
	})
	h.ui(func() {
		for _, j := range h.queue.Jobs() {
			if j.State == queue.Failed {
				test.Tap(h.jobRow(j).retry)
			}
		}
	})
	h.eventually("the retried downloads to finish", func() bool { return allDone(h, len(rec.Files)) })
	h.eventually("the table to say downloaded", func() bool {
		row, _ := h.w.recordings.model.Row(h.w.recordings.model.Index(rec.ID))
		return row.status == "verified"
	})
	checkOnDisk(t, h, h.folder, h.queue.Jobs())
}

// TestPauseAllAndRestart pauses and resumes everything, then quits while
// files download: started again, Cloudreel shows them paused with their
// progress, and Resume all finishes them with the right bytes.
func TestPauseAllAndRestart(t *testing.T) {
	secrets := accounts.NewSecrets()
	secrets.UseSessionOnly(true)
	opts := slowSim
	opts.secrets = secrets
	opts.server = serveSim(t, slowSim.sim) // the platform stays up while Cloudreel restarts
	h := newHarness(t, opts)
	big := startSlowDownload(t, h)

	h.ui(func() { test.Tap(button(t, h.content(), "Pause all")) })
	h.eventually("every row to say paused", func() bool {
		for _, j := range h.queue.Jobs() {
			row := h.jobRow(j)
			if j.State != queue.Done && (row == nil || !strings.HasPrefix(row.detail.Text, "Paused · ")) {
				return false
			}
		}
		return h.w.win.Title() == "Cloudreel"
	})
	h.ui(func() { test.Tap(button(t, h.content(), "Resume all")) })
	h.eventually("the largest file to download again", func() bool {
		j, _ := h.queue.Job(big.ID)
		return j.State == queue.Downloading && j.Done > big.Done
	})

	// Quit in the middle of it, and start again on the same data.
	h.close()
	opts.dataDir, opts.folder = h.dataDir, h.folder
	h2 := newHarness(t, opts)
	before := h2.queue.Jobs()
	restored := 0
	for _, j := range before {
		if j.State == queue.Paused {
			restored++
			if j.ID == big.ID && j.Done <= big.Done {
				t.Errorf("the largest file came back with %d bytes, it had %d before the pause", j.Done, big.Done)
			}
		}
	}
	if restored == 0 {
		t.Fatalf("no job came back paused after the restart: %+v", before)
	}
	h2.eventually("the restored rows, paused with their progress", func() bool {
		for _, j := range before {
			row := h2.jobRow(j)
			if row == nil {
				return false
			}
			want := jobDetail(j)
			if j.State == queue.Paused && (row.detail.Text != want || !row.resume.Visible() || row.bar.Value <= 0) {
				return false
			}
		}
		return true
	})
	h2.ui(func() { test.Tap(button(t, h2.content(), "Resume all")) })
	h2.eventually("the restored downloads to finish", func() bool { return allDone(h2, len(before)) })
	checkOnDisk(t, h2, h2.folder, h2.queue.Jobs())
}

package gui

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/queue"
)

// showJobs hands the panel jobs as the queue's events would and redraws
// it at once, as its ticker does.
func showJobs(h *harness, jobs ...queue.Job) {
	h.ui(func() {
		p := h.w.downloads
		for _, j := range jobs {
			p.rows.apply(queue.Event{Kind: queue.StateChanged, Job: j})
		}
		all, rows := p.rows.take()
		p.redraw(all, rows, p.rows.totals())
		// What the driver does before every frame: lay out again what
		// changed its minimum size.
		h.w.win.Content().Refresh()
	})
}

// panelRows are the panel's rendered rows, top to bottom, by file name.
func panelRows(h *harness) []string {
	views := find(h.w.downloads.list, (func(*jobRowView) bool)(nil))
	drv := fyne.CurrentApp().Driver()
	slices.SortFunc(views, func(a, b *jobRowView) int {
		return int(drv.AbsolutePositionForObject(a).Y - drv.AbsolutePositionForObject(b).Y)
	})
	var out []string
	for _, v := range views {
		out = append(out, strings.TrimSuffix(v.w.name.Text, ".mp4"))
	}
	return out
}

func failedJob(id string) queue.Job {
	j := job(id, "r"+id, queue.Failed, 0, 1000)
	j.Err = "The platform's file server did not answer when Cloudreel asked for this file, three times in a row. Try again later; if it keeps happening, tell the platform's administrator."
	return j
}

// Failed rows stayed on top and pushed new and paused downloads out of
// view: what is running or waiting comes first, then paused, failed and
// downloaded, each group in the order it was added.
func TestDownloadsOrderRunningFirst(t *testing.T) {
	h := newHarness(t, smallSim)
	h.ui(func() { h.w.win.Resize(fyne.NewSize(1180, 1400)) })
	showJobs(h, failedJob("failed1"), job("done1", "a", queue.Done, 10, 10), failedJob("failed2"))
	showJobs(h, job("paused1", "b", queue.Paused, 5, 10), job("new1", "c", queue.Queued, 0, 10), job("running1", "d", queue.Downloading, 3, 10))
	var got []string
	h.ui(func() { got = panelRows(h) })
	want := []string{"new1", "running1", "paused1", "failed1", "failed2", "done1"}
	if !slices.Equal(got, want) {
		t.Fatalf("rows %v, want %v", got, want)
	}
	// A job that moves to another group moves with it.
	showJobs(h, job("new1", "c", queue.Done, 10, 10))
	h.ui(func() { got = panelRows(h) })
	want = []string{"running1", "paused1", "failed1", "failed2", "done1", "new1"}
	if !slices.Equal(got, want) {
		t.Fatalf("after new1 finished: rows %v, want %v", got, want)
	}
}

// A failed job's error is on a line of its own, below the row's name and
// buttons, never under (or over) the progress bar, and it is not cut.
func TestAFailedDownloadsErrorHasItsOwnLine(t *testing.T) {
	h := newHarness(t, smallSim)
	failed := failedJob("broken")
	showJobs(h, failed, job("fine", "a", queue.Downloading, 3, 10))
	h.ui(func() {
		drv := fyne.CurrentApp().Driver()
		var row, other *jobRowWidgets
		for _, v := range find(h.w.downloads.list, (func(*jobRowView) bool)(nil)) {
			switch v.w.name.Text {
			case "broken.mp4":
				row = v.w
			case "fine.mp4":
				other = v.w
			}
		}
		if row == nil || other == nil {
			t.Fatal("the rows are not on screen")
		}
		if row.bar.Visible() && row.barBox.Visible() {
			t.Error("a failed row shows a progress bar")
		}
		if !row.problem.Visible() || row.problem.Text != failed.Err {
			t.Fatalf("the failed row's own error line says %q (shown %v)", row.problem.Text, row.problem.Visible())
		}
		if strings.Contains(row.detail.Text, failed.Err) {
			t.Error("the error is also crammed into the line under the name")
		}
		top := drv.AbsolutePositionForObject(row.problem).Y
		for _, o := range []fyne.CanvasObject{row.name, row.detail, row.retry} {
			if bottom := drv.AbsolutePositionForObject(o).Y + o.Size().Height; bottom > top+0.5 {
				t.Errorf("the error line (y %.0f) overlaps the row's first line (ends at %.0f)", top, bottom)
			}
		}
		// Every word of the error is drawn, inside the row.
		var drawn []string
		for _, c := range find(row.problem, (func(*canvas.Text) bool)(nil)) {
			drawn = append(drawn, c.Text)
			if y := drv.AbsolutePositionForObject(c).Y + c.Size().Height; y > drv.AbsolutePositionForObject(row.problem).Y+row.problem.Size().Height+0.5 {
				t.Errorf("the error line %q is drawn below its row", c.Text)
			}
		}
		if got := strings.Join(strings.Fields(strings.Join(drawn, " ")), " "); got != failed.Err {
			t.Errorf("the error line draws %q, want all of %q", got, failed.Err)
		}
		// The running row keeps its bar and no error line.
		if !other.bar.Visible() || !other.barBox.Visible() || other.problem.Visible() {
			t.Error("a running row lost its bar or shows an error line")
		}
	})
}

// The panel is as tall as what it shows: small when empty, a row more for
// each download, at most a share of the window; the table gets the rest.
func TestDownloadsPanelHeightFollowsItsRows(t *testing.T) {
	h := newHarness(t, smallSim)
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	var empty, three, many, window, table float32
	panelHeight := func() float32 {
		var hgt float32
		h.ui(func() { hgt = h.w.downloads.body.Size().Height + h.w.downloads.top.Size().Height })
		return hgt
	}
	h.ui(func() {
		h.w.win.Resize(fyne.NewSize(1180, 760))
		h.w.win.Content().Refresh()
	})
	empty = panelHeight()
	showJobs(h, job("a", "a", queue.Downloading, 1, 10), job("b", "b", queue.Queued, 0, 10), job("c", "c", queue.Paused, 1, 10))
	three = panelHeight()
	var rowH float32
	h.ui(func() {
		rowH = h.w.downloads.rowHeight()
		if got := panelRows(h); len(got) != 3 {
			t.Errorf("a panel sized for three rows shows %v", got)
		}
	})
	var jobs []queue.Job
	for i := range 40 {
		jobs = append(jobs, job("m"+string(rune('a'+i%26))+string(rune('a'+i/26)), "m", queue.Queued, 0, 10))
	}
	showJobs(h, jobs...)
	many = panelHeight()
	h.ui(func() {
		window = h.w.win.Canvas().Size().Height
		table = h.w.centre.Size().Height
	})
	t.Logf("panel height: empty %.0f, 3 rows %.0f, 43 rows %.0f (row %.0f); window %.0f, table %.0f", empty, three, many, rowH, window, table)
	if empty > 3*rowH {
		t.Errorf("the empty panel is %.0f high, more than the height of three rows (%.0f)", empty, 3*rowH)
	}
	if three < 3*rowH || three <= empty {
		t.Errorf("with three rows the panel is %.0f high (empty %.0f), want at least %.0f", three, empty, 3*rowH)
	}
	if window*maxPanelShare < 4*rowH+empty {
		t.Errorf("at the window's first size the panel can show fewer than four rows (%.0f high each)", rowH)
	}
	if many > window*maxPanelShare+1 || many <= three {
		t.Errorf("with 43 rows the panel is %.0f high in a %.0f window", many, window)
	}
	if table < window*(1-maxPanelShare)-80 {
		t.Errorf("the table keeps only %.0f of %.0f", table, window)
	}
}

// "Nothing downloading…" was drawn through the first rows, for instance
// right after a restart with downloads left from before.
func TestNothingDownloadingNeverShowsThroughRows(t *testing.T) {
	secrets := accounts.NewSecrets()
	secrets.UseSessionOnly(true)
	opts := smallSim
	opts.secrets = secrets
	opts.server = serveSim(t, smallSim.sim)
	h := newHarness(t, opts)
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	h.tick(0)
	var n int
	h.ui(func() {
		n = filesOf(h.w.recordings.model.Ticked()...)
		test.Tap(h.w.recordings.download)
	})
	h.eventually("the download to finish", func() bool { return allDone(h, n) })
	h.close()
	opts.dataDir, opts.folder = h.dataDir, h.folder
	h2 := newHarness(t, opts)
	h2.ui(func() {
		rows := find(h2.w.downloads.list, (func(*jobRowView) bool)(nil))
		notice := find(h2.content(), func(l *canvas.Text) bool { return strings.HasPrefix(l.Text, "Nothing downloading") })
		if len(rows) == 0 {
			t.Fatal("the downloads from before are not shown at once")
		}
		if len(notice) > 0 {
			t.Errorf("\"Nothing downloading\" is drawn with %d rows", len(rows))
		}
	})
	// And once they are cleared, the notice comes back alone.
	h2.ui(func() { test.Tap(button(t, h2.content(), "Clear finished")) })
	h2.eventually("the notice alone", func() bool {
		notice := find(h2.content(), func(l *canvas.Text) bool { return strings.HasPrefix(l.Text, "Nothing downloading") })
		return len(notice) == 1 && len(find(h2.content(), (func(*jobRowView) bool)(nil))) == 0
	})
}

// A downloaded file opens from its row: the Open button, or a double
// click on the row; Show in folder still opens its folder.
func TestOpenADownloadedFile(t *testing.T) {
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
	h.eventually("the row's Open button", func() bool { row := h.jobRow(j); return row != nil && row.open.Visible() })
	h.ui(func() {
		row := h.jobRow(j)
		if row.open.Text != "Open" {
			t.Errorf("the button says %q", row.open.Text)
		}
		test.Tap(row.open)
		for _, v := range find(h.w.downloads.list, (func(*jobRowView) bool)(nil)) {
			if v.w == row {
				test.DoubleTap(v)
			}
		}
		test.Tap(row.inFolder)
	})
	file, folder := fileURL(j.Path).String(), fileURL(filepath.Dir(j.Path)).String()
	if got := h.app.openedURLs(); !slices.Equal(got, []string{file, file, folder}) {
		t.Errorf("Open, a double click and Show in folder opened %v, want %s twice then %s", got, file, folder)
	}
	// A row that is not downloaded opens nothing on a double click.
	showJobs(h, job("waiting", "w", queue.Queued, 0, 10))
	h.ui(func() {
		for _, v := range find(h.w.downloads.list, (func(*jobRowView) bool)(nil)) {
			if v.w.name.Text == "waiting.mp4" {
				test.DoubleTap(v)
				if v.w.open.Visible() {
					t.Error("a waiting row offers Open")
				}
			}
		}
	})
	if got := h.app.openedURLs(); len(got) != 3 {
		t.Errorf("a double click on a waiting row opened %v", got[3:])
	}
}

package gui

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/queue"
)

// showJobs hands the panel jobs as the queue's events would and redraws
// it at once, as its ticker does. The jobs are not in the queue: the rows
// read what they do not keep from those shown, then from the queue.
func showJobs(h *harness, jobs ...queue.Job) {
	h.ui(func() {
		p := h.w.downloads
		if h.shown == nil {
			h.shown = &fakeLook{jobs: map[string]queue.Summary{}}
			p.rows.mu.Lock()
			p.rows.look = func(id string) (queue.Summary, bool) {
				if s, ok := h.shown.look(id); ok {
					return s, true
				}
				return h.queue.Summary(id)
			}
			p.rows.mu.Unlock()
		}
		for _, j := range jobs {
			h.shown.put(j)
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

// A failed row is as high as every other (rows of their own heights made
// Fyne's list walk all 100,000 rows at each scroll), yet it still says why
// in plain words: the error follows "Failed" on the line under the name,
// in the colour of errors and cut short with an ellipsis, never under (or
// over) the progress bar, which it has no more; its "why" button and a
// double click on the row tell the whole error.
func TestAFailedDownloadSaysWhyInARowAsHighAsTheOthers(t *testing.T) {
	h := newHarness(t, smallSim)
	failed := failedJob("broken")
	showJobs(h, failed, job("fine", "a", queue.Downloading, 3, 10))
	var row *jobRowWidgets
	var view *jobRowView
	h.ui(func() {
		drv := fyne.CurrentApp().Driver()
		var other *jobRowView
		for _, v := range find(h.w.downloads.list, (func(*jobRowView) bool)(nil)) {
			switch v.w.name.Text {
			case "broken.mp4":
				view = v
			case "fine.mp4":
				other = v
			}
		}
		if view == nil || other == nil {
			t.Fatal("the rows are not on screen")
		}
		row = view.w
		if got, want := view.Size().Height, other.Size().Height; got != want {
			t.Errorf("the failed row is %.0f high, the running one %.0f", got, want)
		}
		if got, want := view.Size().Height, h.w.downloads.rowHeight(); got != want {
			t.Errorf("the failed row is %.0f high, a row %.0f", got, want)
		}
		if row.bar.Visible() && row.barBox.Visible() {
			t.Error("a failed row shows a progress bar")
		}
		if want := "Failed · " + failed.Err; row.detail.Text != want || row.detail.Importance != widget.DangerImportance {
			t.Errorf("the line under the name says %q (importance %v), want %q in the colour of errors", row.detail.Text, row.detail.Importance, want)
		}
		// What is drawn of it is one line, inside the row, and ends with
		// an ellipsis: the error is longer than the row is wide.
		texts := find(row.detail, (func(*canvas.Text) bool)(nil))
		if len(texts) != 1 {
			t.Fatalf("the error is drawn on %d lines", len(texts))
		}
		drawn := texts[0]
		if !strings.HasPrefix(drawn.Text, "Failed · The platform's file server") || !strings.HasSuffix(drawn.Text, "…") {
			t.Errorf("the line under the name draws %q", drawn.Text)
		}
		top, bottom := drv.AbsolutePositionForObject(view).Y, drv.AbsolutePositionForObject(view).Y+view.Size().Height
		if y := drv.AbsolutePositionForObject(drawn).Y; y < top || y+drawn.Size().Height > bottom+0.5 {
			t.Errorf("the error is drawn at %.0f–%.0f, outside its row (%.0f–%.0f)", y, y+drawn.Size().Height, top, bottom)
		}
		if !row.why.Visible() || !row.retry.Visible() || !row.cancel.Visible() || row.pause.Visible() || row.open.Visible() {
			t.Error("a failed row does not offer why, Try again and Cancel (only)")
		}
		// The running row keeps its bar, its buttons and no why.
		if !other.w.bar.Visible() || !other.w.barBox.Visible() || other.w.why.Visible() || other.w.detail.Importance == widget.DangerImportance {
			t.Error("a running row lost its bar or says it failed")
		}
	})
	// The why button, and a double click on the row, tell the whole error.
	for _, open := range []func(){func() { test.Tap(row.why) }, func() { test.DoubleTap(view) }} {
		h.ui(open)
		h.eventually("the dialog that says why", func() bool { return h.overlay() != nil })
		h.ui(func() {
			if got := h.overlayTexts(); !strings.Contains(got, "broken.mp4") || !strings.Contains(got, failed.Err) {
				t.Errorf("the dialog says %q, want the file and all of %q", got, failed.Err)
			}
			test.Tap(button(t, h.overlay(), "Close"))
		})
		h.eventually("the dialog to close", func() bool { return h.overlay() == nil })
	}
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

// The rows' icons are coloured once, not by Fyne at each draw (see
// rowIcons): switching to the dark theme must still give them the dark
// theme's colour, and back.
func TestRowIconsFollowTheTheme(t *testing.T) {
	h := newHarness(t, smallSim)
	showJobs(h, job("waiting", "w", queue.Queued, 0, 10), failedJob("broken"))
	var seen [][]byte
	for _, setting := range []string{themeLight, themeDark, themeLight} {
		h.ui(func() {
			h.w.settings.Theme = setting
			h.w.settings.apply(h.app, h.queue)
			h.w.win.Content().Refresh() // what Fyne does on a change of theme
			rows := find(h.w.downloads.list, (func(*jobRowView) bool)(nil))
			if len(rows) < 2 {
				t.Fatalf("%d rows on screen", len(rows))
			}
			for _, v := range rows {
				for _, b := range []*widget.Button{v.w.pause, v.w.retry, v.w.why, v.w.cancel} {
					themed := map[*widget.Button]fyne.Resource{v.w.pause: theme.MediaPauseIcon(), v.w.retry: theme.ViewRefreshIcon(),
						v.w.why: theme.QuestionIcon(), v.w.cancel: theme.CancelIcon()}[b]
					if !bytes.Equal(b.Icon.Content(), themed.Content()) {
						t.Errorf("%s theme: the icon %s of %s is not in the theme's colour", setting, b.Icon.Name(), v.w.name.Text)
					}
				}
			}
			seen = append(seen, rows[0].w.pause.Icon.Content())
		})
	}
	if bytes.Equal(seen[0], seen[1]) || !bytes.Equal(seen[0], seen[2]) {
		t.Error("the light and dark themes draw the rows' icons in the same colour")
	}
}

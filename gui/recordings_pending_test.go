package gui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"cloudreel/fetch"
)

// cellShown says whether a cell of the recordings table shows text.
func cellShown(v *recordingsView, text string) bool {
	return len(find(v.table, func(l *dragLabel) bool { return l.Text == text })) > 0
}

func TestStatusOfARecordingBeingPrepared(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.Local)
	row := func(ready time.Time, status string) recordingRow {
		return recordingRow{rec: fetch.Recording{ID: "p", Pending: true, ReadyAt: ready}, status: status}
	}
	for _, c := range []struct {
		row  recordingRow
		want string
	}{
		{row(now.Add(4*time.Hour+30*time.Minute), "new"), "Preparing (ready about 14:30)"},
		{row(now.Add(24*time.Hour), "new"), "Preparing (ready 3 Mar 10:00)"},
		{row(now.Add(-time.Minute), "new"), "Preparing (should be ready soon)"},
		{row(time.Time{}, "new"), "Not ready yet"},
		{row(now.Add(time.Hour), "queued"), "queued"}, // the queue knows better
		{recordingRow{rec: fetch.Recording{ID: "r"}, status: "new"}, "new"},
	} {
		if got := statusText(c.row, now); got != c.want {
			t.Errorf("%+v: %q, want %q", c.row.rec, got, c.want)
		}
	}
}

// TestOwnerAndPreparingRecordingsInTheTable: the Owner column appears
// when a recording has an owner; a recording being prepared says when it
// will be ready and cannot be ticked while it has no files.
func TestOwnerAndPreparingRecordingsInTheTable(t *testing.T) {
	ready := time.Now().Add(2 * time.Hour).Truncate(time.Minute)
	normal := rec("n", "Staff meeting", day0, time.Hour, 1, 1<<20)
	normal.Owner = "L. Chen"
	preparing := fetch.Recording{ID: "p", Title: "Governors' meeting", Start: day0.Add(-time.Hour), Pending: true, ReadyAt: ready, Owner: "A. Patel"}
	waiting := fetch.Recording{ID: "w", Title: "Assembly", Start: day0.Add(-2 * time.Hour), Pending: true}
	v := largeView(t, []fetch.Recording{normal, preparing, waiting})
	v.refitColumns() // as a listing does when its recordings arrive
	v.table.Refresh()

	if v.colIndex(ColOwner) < 0 || !cellShown(v, "L. Chen") || !cellShown(v, "A. Patel") {
		t.Errorf("columns %v: no Owner column showing the owners", v.columns)
	}
	status := statusText(recordingRow{rec: preparing, status: "new"}, time.Now())
	if !strings.HasPrefix(status, "Preparing (ready") || !cellShown(v, status) || !cellShown(v, "Not ready yet") {
		t.Errorf("the recordings being prepared do not say so (%q)", status)
	}
	if _, right, ok := headerEdges(v, ColStatus); ok {
		left, _, _ := headerEdges(v, ColStatus)
		if need := fyne.MeasureText(status, theme.TextSize(), fyne.TextStyle{}).Width + 2*theme.InnerPadding(); right-left < need {
			t.Errorf("the Status column is %.0f px wide, %q needs %.0f", right-left, status, need)
		}
	}

	drv := fyne.CurrentApp().Driver()
	for i := range v.model.Len() {
		r, _ := v.model.Row(i)
		var title *dragLabel
		for _, l := range find(v.table, func(l *dragLabel) bool { return l.row == i && l.Text == r.rec.Title }) {
			title = l
		}
		if title == nil {
			t.Fatalf("row %d is not drawn", i)
		}
		y := drv.AbsolutePositionForObject(title).Y
		boxes := find(v.table, func(c *tickBox) bool { return drv.AbsolutePositionForObject(c).Y == y })
		if len(boxes) != 1 || boxes[0].Disabled() != (r.rec.ID != "n") {
			t.Errorf("row %q: tick boxes %v, want one, disabled only while there is nothing to download", r.rec.Title, boxes)
		}
	}
	test.Tap(button(t, v.root, "Select all"))
	if got := v.model.Ticked(); len(got) != 1 || got[0].ID != "n" {
		t.Errorf("Select all ticked %v, want the recording with files alone", got)
	}
	if want := "1 of 3 ticked (1.0 MB)"; v.summary.Text != want {
		t.Errorf("summary %q, want %q", v.summary.Text, want)
	}
}

// TestSummaryWhenSizesAreUnknown: a platform that lists no size is not
// summed as "0 B".
func TestSummaryWhenSizesAreUnknown(t *testing.T) {
	v := largeView(t, []fetch.Recording{
		rec("a", "No size", day0, time.Hour, 1, 0),
		rec("b", "Sized", day0.Add(-time.Hour), time.Hour, 2, 3<<20),
		rec("c", "Other", day0.Add(-2*time.Hour), time.Hour, 1, 0),
	})
	v.model.Toggle(v.model.Index("a"))
	v.updateSummary()
	if want := "1 of 3 ticked (size unknown)"; v.summary.Text != want {
		t.Errorf("summary %q, want %q", v.summary.Text, want)
	}
	v.model.Toggle(v.model.Index("b"))
	v.updateSummary()
	if want := "2 of 3 ticked (at least 6.3 MB)"; v.summary.Text != want {
		t.Errorf("summary %q, want %q", v.summary.Text, want)
	}
}

package gui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cloudreel/fetch"
)

// manyRecordings is a large account: n recordings, newest first, with
// titles that repeat words as real ones do.
func manyRecordings(n int) []fetch.Recording {
	words := []string{"Staff meeting", "Year 9 Science", "Parent evening", "Board review", "Interview room", "Lecture", "Assembly", "Case review"}
	start := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	out := make([]fetch.Recording, n)
	for i := range n {
		id := fmt.Sprintf("rec-%05d", i)
		out[i] = rec(id, fmt.Sprintf("%s %d", words[(i*7)%len(words)], i), start.Add(-time.Duration(i)*3*time.Hour),
			time.Duration(5+i%120)*time.Minute, 1+i%3, int64(1+i%97)<<20)
	}
	return out
}

// largeView is a recordings view alone in a window, as the centre of the
// real window is, without the accounts and queue around it.
func largeView(t testing.TB, recs []fetch.Recording) *recordingsView {
	test.NewTempApp(t)
	v := newRecordingsView(&Window{})
	w := test.NewTempWindow(t, v.content())
	w.Resize(fyne.NewSize(1000, 700))
	v.model.Set(recs)
	v.table.Refresh()
	v.updateSummary()
	return v
}

// shownRows are the model rows whose title cells the table draws.
func shownRows(v *recordingsView) []int {
	var rows []int
	for _, l := range find(v.table, func(l *dragLabel) bool { return l.row >= 0 }) {
		if r, ok := v.model.Row(l.row); ok && l.Text == r.rec.Title && !slices.Contains(rows, l.row) {
			rows = append(rows, l.row)
		}
	}
	slices.Sort(rows)
	return rows
}

// TestTenThousandRecordings shows that a large account is handled as a
// small one: the table draws only the rows on screen, and sorting,
// searching, ticking and scrolling act on all 10,000.
func TestTenThousandRecordings(t *testing.T) {
	const n = 10_000
	recs := manyRecordings(n)
	v := largeView(t, recs)

	if v.summary.Text != "10000 recordings" {
		t.Errorf("summary %q", v.summary.Text)
	}
	rows := shownRows(v)
	cells := len(find(v.table, (func(*dragLabel) bool)(nil)))
	if len(rows) == 0 || rows[0] != 0 || cells > 60*int(numColumns) {
		t.Fatalf("the table draws rows %v with %d cells for %d recordings: it should draw only what is on screen", rows, cells, n)
	}

	test.Tap(button(t, v.table, "Title"))
	first, _ := v.model.Row(0)
	last, _ := v.model.Row(n - 1)
	titles := make([]string, n)
	for i, r := range recs {
		titles[i] = strings.ToLower(r.Title)
	}
	slices.Sort(titles)
	if strings.ToLower(first.rec.Title) != titles[0] || strings.ToLower(last.rec.Title) != titles[n-1] {
		t.Errorf("sorted by title: first %q, last %q; want %q and %q", first.rec.Title, last.rec.Title, titles[0], titles[n-1])
	}
	if rows := shownRows(v); len(rows) == 0 || rows[0] != 0 {
		t.Errorf("after sorting the table draws rows %v", rows)
	}

	test.Type(v.search, "board review 12")
	want := 0
	for _, r := range recs {
		if strings.Contains(strings.ToLower(r.Title), "board review 12") {
			want++
		}
	}
	if v.model.Len() != want || want == 0 || v.summary.Text != fmt.Sprintf("%d recordings", want) {
		t.Errorf("search: %d rows, summary %q; want %d", v.model.Len(), v.summary.Text, want)
	}
	test.Tap(button(t, v.root, "Select all"))
	if got := len(v.model.Ticked()); got != want {
		t.Errorf("Select all under a search ticked %d, want %d", got, want)
	}
	v.search.SetText("")
	if v.model.Len() != n {
		t.Fatalf("%d rows after the search was cleared", v.model.Len())
	}
	if !strings.HasPrefix(v.summary.Text, fmt.Sprintf("%d of %d ticked", want, n)) {
		t.Errorf("summary %q after the search was cleared", v.summary.Text)
	}

	v.table.ScrollToBottom()
	if rows := shownRows(v); len(rows) == 0 || rows[len(rows)-1] != n-1 {
		t.Errorf("scrolled to the bottom, the table draws rows %v", rows)
	}

	// A status arriving for one recording redraws its cell only.
	id := last.rec.ID
	i := v.model.SetStatus(id, "downloading 5%")
	v.table.RefreshItem(widget.TableCellID{Row: i, Col: v.colIndex(ColStatus)})
	if i != n-1 || len(find(v.table, func(l *dragLabel) bool { return l.Text == "downloading 5%" })) != 1 {
		t.Errorf("the last row's status (row %d) is not drawn", i)
	}
}

// BenchmarkRecordingModel10k measures what a person does with a large
// account: a listing replaced, a header tapped, a search typed, a status
// arriving from the queue, and the table redrawn.
func BenchmarkRecordingModel10k(b *testing.B) {
	recs := manyRecordings(10_000)
	b.Run("Set", func(b *testing.B) {
		m := newRecordingModel()
		for b.Loop() {
			m.Set(recs)
		}
	})
	b.Run("SortBy", func(b *testing.B) {
		m := newRecordingModel()
		m.Set(recs)
		cols := []Column{ColTitle, ColSize, ColDate, ColDuration}
		i := 0
		for b.Loop() {
			m.SortBy(cols[i%len(cols)])
			i++
		}
	})
	b.Run("SetFilter", func(b *testing.B) {
		m := newRecordingModel()
		m.Set(recs)
		words := []string{"b", "bo", "boa", "boar", "board", ""}
		i := 0
		for b.Loop() {
			m.SetFilter(words[i%len(words)])
			i++
		}
	})
	b.Run("SetStatus", func(b *testing.B) {
		m := newRecordingModel()
		m.Set(recs)
		// Every call changes a status (10,000 is not a multiple of 3), on
		// rows all down the table.
		statuses := []string{"queued", "downloading 5%", "downloaded"}
		i := 0
		for b.Loop() {
			m.SetStatus(recs[i%len(recs)].ID, statuses[i%len(statuses)])
			i++
		}
	})
	// The same redraw with 100 recordings: the cost is the cells on
	// screen, not the rows behind them.
	for _, n := range []int{100, len(recs)} {
		b.Run(fmt.Sprintf("TableRefresh/%d", n), func(b *testing.B) {
			v := largeView(b, recs[:n])
			for b.Loop() {
				v.table.Refresh()
			}
		})
	}
	b.Run("SortAndRedraw", func(b *testing.B) {
		v := largeView(b, recs)
		for b.Loop() {
			v.onSort(ColTitle)
		}
	})
	b.Run("TypeAndRedraw", func(b *testing.B) {
		v := largeView(b, recs)
		words := []string{"s", "st", "sta", "staf", "staff", ""}
		i := 0
		for b.Loop() {
			v.onSearch(words[i%len(words)])
			i++
		}
	})
}

// TestEveryNewFilterShowsTheTop scrolls a long list to the bottom, then
// searches, sorts and lists again: each time the table shows its first
// rows, every one of the rows found when they fit.
func TestEveryNewFilterShowsTheTop(t *testing.T) {
	recs := manyRecordings(2_000)
	v := largeView(t, recs)
	query := "board review 12"
	want := 0
	for _, r := range recs {
		if strings.Contains(strings.ToLower(r.Title), query) {
			want++
		}
	}
	v.table.ScrollToBottom()
	test.Type(v.search, query)
	if rows := shownRows(v); len(rows) != want || want == 0 || rows[0] != 0 {
		t.Errorf("after a search scrolled to the bottom: the table draws rows %v of %d found", rows, want)
	}
	v.search.SetText("")
	v.table.ScrollToBottom()
	test.Tap(button(t, v.table, "Title"))
	if rows := shownRows(v); len(rows) == 0 || rows[0] != 0 {
		t.Errorf("after sorting scrolled to the bottom: the table draws rows %v", rows)
	}
}

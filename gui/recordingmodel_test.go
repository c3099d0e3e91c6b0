package gui

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"cloudreel/fetch"
)

var day0 = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

// rec makes a recording with n files of size bytes each.
func rec(id, title string, start time.Time, dur time.Duration, n int, size int64) fetch.Recording {
	r := fetch.Recording{ID: id, Title: title, Start: start, Duration: dur}
	for i := range n {
		r.Files = append(r.Files, fetch.File{ID: fmt.Sprintf("%s-f%d", id, i), RecordingID: id, Kind: "video", Ext: "mp4", Size: size})
	}
	return r
}

// sample is a handful of recordings whose every column differs, with one
// tie on duration to show the tie-break by date.
func sample() []fetch.Recording {
	return []fetch.Recording{
		rec("a", "staff meeting", day0.Add(-48*time.Hour), 30*time.Minute, 1, 300),
		rec("b", "Board review", day0, 90*time.Minute, 3, 100),
		rec("c", "assembly", day0.Add(-24*time.Hour), 30*time.Minute, 2, 50),
		rec("d", "Staff training", day0.Add(-72*time.Hour), 10*time.Minute, 1, 1000),
	}
}

func ids(m *recordingModel) string {
	var b strings.Builder
	for i := range m.Len() {
		r, _ := m.Row(i)
		b.WriteString(r.rec.ID)
	}
	return b.String()
}

func TestModelSortsByEveryColumn(t *testing.T) {
	// Sizes: a 300, b 3×100, c 2×50, d 1000; files: a 1, b 3, c 2, d 1.
	// Ties are broken by date, oldest first when ascending.
	cases := []struct {
		col       Column
		want, rev string
	}{
		{ColTitle, "cbad", "dabc"}, // assembly, Board, staff meeting, Staff training: case ignored
		{ColDuration, "dacb", "bcad"},
		{ColSize, "cabd", "dbac"},
		{ColFiles, "dacb", "bcad"},
	}
	for _, c := range cases {
		m := newRecordingModel()
		m.Set(sample())
		if got := ids(m); got != "bcad" {
			t.Fatalf("before sorting: %s, want newest first (bcad)", got)
		}
		m.SortBy(c.col)
		if got := ids(m); got != c.want {
			t.Errorf("sorted by %s: %s, want %s", columnTitles[c.col], got, c.want)
		}
		if col, desc := m.Sorting(); col != c.col || desc {
			t.Errorf("Sorting() = %v, %v after the first sort by %s", col, desc, columnTitles[c.col])
		}
		m.SortBy(c.col)
		if got := ids(m); got != c.rev {
			t.Errorf("sorted by %s again: %s, want %s", columnTitles[c.col], got, c.rev)
		}
	}
	m := newRecordingModel()
	m.Set(sample())
	m.SortBy(ColDate) // already by date, newest first: flips to oldest first
	if got := ids(m); got != "dacb" {
		t.Errorf("by date, flipped: %s, want oldest first (dacb)", got)
	}
	m.SortBy(ColTitle)
	m.SortBy(ColDate) // back to the date: newest first again
	if got := ids(m); got != "bcad" {
		t.Errorf("by date from another column: %s, want newest first", got)
	}
}

func TestModelSortsByStatusAndTick(t *testing.T) {
	m := newRecordingModel()
	m.Set(sample())
	m.SetStatus("c", "queued")
	m.SetStatus("a", "downloaded")
	m.SortBy(ColStatus)
	// downloaded < new (d and b, the older first) < queued
	if got := ids(m); got != "adbc" {
		t.Errorf("by status: %s, want adbc", got)
	}
	m.Toggle(m.Index("d"))
	m.SortBy(ColTick)
	if got := ids(m); got != "acbd" {
		t.Errorf("by tick, ascending: %s, want the unticked by date, then the ticked d (acbd)", got)
	}
}

func TestModelFilter(t *testing.T) {
	m := newRecordingModel()
	m.Set(sample())
	m.SortBy(ColTitle)
	m.SetFilter("  STAFF ")
	if got := ids(m); got != "ad" {
		t.Errorf("filter STAFF: %s, want ad (sorted by title, any case)", got)
	}
	if m.Len() != 2 || m.Total() != 4 {
		t.Errorf("Len %d, Total %d while filtered, want 2 and 4", m.Len(), m.Total())
	}
	if _, ok := m.Row(2); ok {
		t.Error("Row(2) exists with two visible rows")
	}
	if m.Index("b") != -1 {
		t.Error("a filtered-out recording has a visible row")
	}
	m.SetFilter("nothing like it")
	if m.Len() != 0 {
		t.Errorf("%d rows for a search that matches nothing", m.Len())
	}
	m.SetFilter("")
	if got := ids(m); got != "cbad" {
		t.Errorf("filter cleared: %s, want every row by title", got)
	}
}

func TestModelTicksSurviveSetFilterAndSort(t *testing.T) {
	m := newRecordingModel()
	m.Set(sample())
	m.Toggle(m.Index("a"))
	m.Toggle(m.Index("c"))
	m.SetStatus("c", "downloading 40%")

	// A refresh lists c again, no longer a, and a new e.
	recs := sample()[1:]
	recs = append(recs, rec("e", "evening class", day0.Add(time.Hour), time.Hour, 1, 10))
	m.Set(recs)
	ticked := m.Ticked()
	if len(ticked) != 1 || ticked[0].ID != "c" {
		t.Fatalf("ticked after Set: %v, want only c", ticked)
	}
	if r, _ := m.Row(m.Index("c")); r.status != "downloading 40%" {
		t.Errorf("c's status after Set: %q", r.status)
	}
	if r, _ := m.Row(m.Index("e")); r.ticked || r.status != "new" {
		t.Errorf("new recording e: ticked %v, status %q", r.ticked, r.status)
	}

	// A tick hidden by the search is still ticked, after the visible ones.
	m.Toggle(m.Index("d"))
	m.SetFilter("training")
	got := m.Ticked()
	if len(got) != 2 || got[0].ID != "d" || got[1].ID != "c" {
		t.Errorf("ticked while filtered: %v, want d (visible) then c", got)
	}
	// Select all / none act on what is visible only.
	m.TickAll(false)
	if got := m.Ticked(); len(got) != 1 || got[0].ID != "c" {
		t.Errorf("after Select none under a filter: %v, want c still ticked", got)
	}
	m.SetFilter("")
	m.TickAll(true)
	if got := len(m.Ticked()); got != 4 {
		t.Errorf("%d ticked after Select all, want 4", got)
	}
	m.SortBy(ColSize)
	if got := len(m.Ticked()); got != 4 {
		t.Errorf("%d ticked after sorting, want 4", got)
	}
	m.Toggle(-1)
	m.Toggle(99) // out of range: ignored
}

func TestModelSetStatus(t *testing.T) {
	m := newRecordingModel()
	m.Set(sample())
	if i := m.SetStatus("a", "queued"); i != m.Index("a") || i < 0 {
		t.Errorf("SetStatus returned %d, a is row %d", i, m.Index("a"))
	}
	if i := m.SetStatus("a", "queued"); i != -1 {
		t.Errorf("an unchanged status asks to redraw row %d", i)
	}
	if i := m.SetStatus("nope", "queued"); i != -1 {
		t.Errorf("an unknown recording asks to redraw row %d", i)
	}
	m.SetFilter("board")
	if i := m.SetStatus("a", "downloaded"); i != -1 {
		t.Errorf("a hidden recording asks to redraw row %d", i)
	}
	m.SetFilter("")
	if r, _ := m.Row(m.Index("a")); r.status != "downloaded" {
		t.Errorf("a hidden recording's status was not kept: %q", r.status)
	}
}

func TestModelAppend(t *testing.T) {
	m := newRecordingModel()
	s := sample()
	m.Append(s[:2]...)
	m.Toggle(m.Index("a"))
	m.Append(s[1:]...) // b again: not twice, and a keeps its tick
	if m.Total() != 4 || m.Len() != 4 {
		t.Errorf("Total %d, Len %d after overlapping appends, want 4", m.Total(), m.Len())
	}
	if got := ids(m); got != "bcad" {
		t.Errorf("appended rows %s, want them sorted (bcad)", got)
	}
	if t0 := m.Ticked(); len(t0) != 1 || t0[0].ID != "a" {
		t.Errorf("ticks after Append: %v", t0)
	}
}

// TestModelIsSafeAcrossGoroutines lets the listing goroutine append and
// the queue's statuses arrive while the table reads; the race detector
// is the judge.
func TestModelIsSafeAcrossGoroutines(t *testing.T) {
	m := newRecordingModel()
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range 200 {
			m.Append(rec(fmt.Sprint(i), fmt.Sprint("title ", i), day0.Add(time.Duration(i)*time.Minute), time.Minute, 1, 1))
		}
	})
	wg.Go(func() {
		for i := range 200 {
			m.SetStatus(fmt.Sprint(i), "queued")
			m.SetFilter(fmt.Sprint(i % 10))
		}
	})
	wg.Go(func() {
		for range 200 {
			for i := range m.Len() {
				if r, ok := m.Row(i); ok {
					_ = cellText(r, ColTitle)
				}
			}
			m.Toggle(0)
			_ = m.Ticked()
		}
	})
	wg.Wait()
	m.SetFilter("")
	if m.Total() != 200 || m.Len() != 200 {
		t.Errorf("Total %d, Len %d, want 200", m.Total(), m.Len())
	}
}

func TestCellText(t *testing.T) {
	r := recordingRow{rec: rec("a", "Staff meeting", day0, 95*time.Minute, 2, 1_500_000), status: "queued"}
	cases := map[Column]string{
		ColTitle:    "Staff meeting",
		ColDate:     day0.Local().Format("2 Jan 2006 15:04"),
		ColDuration: "1 h 35 min",
		ColSize:     "3.0 MB",
		ColFiles:    "2 files",
		ColStatus:   "queued",
		ColTick:     "",
	}
	for c, want := range cases {
		if got := cellText(r, c); got != want {
			t.Errorf("column %q: %q, want %q", columnTitles[c], got, want)
		}
	}
	for _, c := range []struct {
		r    fetch.Recording
		col  Column
		want string
	}{
		{rec("x", "", day0, 0, 1, 0), ColDuration, "–"},
		{rec("x", "", day0, 0, 1, 0), ColSize, "–"},
		{rec("x", "", day0, 44*time.Minute+40*time.Second, 1, 0), ColDuration, "45 min"},
		{rec("x", "", day0, 0, 1, 0), ColFiles, "1 file"},
		{fetch.Recording{ID: "x", Pending: true}, ColFiles, "…"},
	} {
		if got := cellText(recordingRow{rec: c.r}, c.col); got != c.want {
			t.Errorf("%+v column %q: %q, want %q", c.r, columnTitles[c.col], got, c.want)
		}
	}
}

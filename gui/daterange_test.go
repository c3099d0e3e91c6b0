package gui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cloudreel/fetch"
)

func TestLastMonthIsThePreviousCalendarMonth(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		now      time.Time
		from, to time.Time
	}{
		{time.Date(2026, 3, 15, 10, 0, 0, 0, time.UTC), d(2026, 2, 1), d(2026, 2, 28)},
		{time.Date(2028, 3, 1, 0, 5, 0, 0, time.UTC), d(2028, 2, 1), d(2028, 2, 29)}, // a leap year
		{time.Date(2026, 1, 31, 23, 0, 0, 0, time.UTC), d(2025, 12, 1), d(2025, 12, 31)},
		// The calendar is the person's: 1 May 08:00 in Sydney is still April in UTC.
		{time.Date(2026, 5, 1, 8, 0, 0, 0, time.FixedZone("AEST", 10*3600)), d(2026, 4, 1), d(2026, 4, 30)},
	} {
		q, ok := presetRange(presetLastMonth, c.now)
		if !ok || !q.From.Equal(c.from) || !q.To.Equal(c.to) {
			t.Errorf("last month on %v: %v to %v, want %v to %v", c.now, q.From, q.To, c.from, c.to)
		}
	}
}

func TestLastMonthListsThePreviousMonth(t *testing.T) {
	h := newHarness(t, smallSim)
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	v := h.w.recordings
	h.ui(func() {
		if !containsString(v.preset.Options, presetLastMonth) {
			t.Fatalf("the range menu offers %q, no %q", v.preset.Options, presetLastMonth)
		}
		v.preset.SetSelected(presetLastMonth)
	})
	now := time.Now()
	first := time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, time.UTC)
	want := fetch.Query{From: first, To: first.AddDate(0, 1, -1)}
	var titles []string
	for _, r := range h.sim.Recordings(fetch.ZoomSDK) {
		if want.Contains(r.Start) {
			titles = append(titles, r.Title)
		}
	}
	h.eventually("last month's recordings", func() bool {
		return !v.loading.Visible() && v.query == want && v.model.Total() == len(titles)
	})
}

func containsString(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

// TestCustomRangeBoxesAndCalendar opens the custom range on a range of
// the past: the dates are shown whole, and the calendar opens on the
// month of the date in its box, where a day can be picked.
func TestCustomRangeBoxesAndCalendar(t *testing.T) {
	h := newHarness(t, smallSim)
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	v := h.w.recordings
	from, to := time.Date(2025, 2, 3, 0, 0, 0, 0, time.UTC), time.Date(2025, 3, 20, 0, 0, 0, 0, time.UTC)
	h.ui(func() {
		v.query = fetch.Query{From: from, To: to}
		v.preset.SetSelected(presetCustom)
		dialog := h.overlay()
		if dialog == nil {
			t.Fatal("Custom… opened no dialog")
		}
		boxes := find(dialog, (func(*widget.DateEntry) bool)(nil))
		if len(boxes) != 2 {
			t.Fatalf("the custom range shows %d date boxes, want 2", len(boxes))
		}
		for _, b := range boxes {
			action := b.ActionItem.Size().Width
			room := b.Size().Width - action - 4*theme.InnerPadding()
			if need := fyne.MeasureText(b.Text, theme.TextSize(), fyne.TextStyle{}).Width; b.Text == "" || need > room {
				t.Errorf("the date box %q is %.0f px wide: room for %.0f px of text, the date needs %.0f", b.Text, b.Size().Width, room, need)
			}
		}
		nb, ok := boxes[0].ActionItem.(*namedButton)
		if !ok {
			t.Fatalf("the From box's calendar button is a %T", boxes[0].ActionItem)
		}
		test.Tap(nb.button)
		calendar := h.overlay()
		if !hasLabel(calendar, "February 2025") {
			t.Fatalf("the calendar of a From box on 3 Feb 2025 does not open on February 2025")
		}
		test.Tap(button(t, calendar, "10"))
		if d := boxes[0].Date; d == nil || d.Day() != 10 || d.Month() != time.February || d.Year() != 2025 {
			t.Fatalf("picking 10 in the calendar set the From box to %v", d)
		}
		test.Tap(button(t, h.overlay(), "Show"))
		if want := time.Date(2025, 2, 10, 0, 0, 0, 0, time.UTC); !v.query.From.Equal(want) || !v.query.To.Equal(to) {
			t.Errorf("the range is %v to %v, want %v to %v", v.query.From, v.query.To, want, to)
		}
	})
}

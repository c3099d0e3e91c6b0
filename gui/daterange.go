package gui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cloudreel/fetch"
)

// The date range presets offered above the table.
const (
	presetWeek      = "Last 7 days"
	presetMonth     = "Last 30 days"
	presetLastMonth = "Last month"
	presetYear      = "This year"
	presetCustom    = "Custom…"
)

// presets are the presets in the language spoken.
func presets() []choice {
	return []choice{{presetWeek, lang.L(presetWeek)}, {presetMonth, lang.L(presetMonth)}, {presetLastMonth, lang.L(presetLastMonth)},
		{presetYear, lang.L(presetYear)}, {presetCustom, lang.L(presetCustom)}}
}

// presetRange is the days a preset lists, on the calendar of now's time
// zone: "Last month" is the previous calendar month, first to last day.
func presetRange(p string, now time.Time) (fetch.Query, bool) {
	today := day(now)
	switch p {
	case presetWeek:
		return fetch.Query{From: today.AddDate(0, 0, -6), To: today}, true
	case presetMonth:
		return fetch.Query{From: today.AddDate(0, 0, -29), To: today}, true
	case presetLastMonth:
		first := time.Date(today.Year(), today.Month()-1, 1, 0, 0, 0, 0, time.UTC)
		return fetch.Query{From: first, To: first.AddDate(0, 1, -1)}, true
	case presetYear:
		return fetch.Query{From: time.Date(today.Year(), 1, 1, 0, 0, 0, 0, time.UTC), To: today}, true
	}
	return fetch.Query{}, false
}

// day is the calendar day of t, in its own time zone, as the UTC midnight
// that a fetch.Query counts in.
func day(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func (v *recordingsView) onPreset(words string) {
	p := valueOf(presets(), words)
	v.presetKey = p
	if p == presetCustom {
		v.askCustomRange()
		return
	}
	q, ok := presetRange(p, time.Now())
	if !ok {
		return
	}
	v.query = q
	if v.account.ID != "" {
		v.reload()
	}
}

// dateBoxWidth is wide enough for a date in any of Fyne's formats, the
// calendar button and the box's padding ("02/11/2026" was cut before).
func dateBoxWidth() float32 {
	text := fyne.MeasureText("28/12/2026", theme.TextSize(), fyne.TextStyle{}).Width
	return text + 2*theme.IconInlineSize() + 8*theme.InnerPadding()
}

// newDateBox is a date box whose calendar opens on the date in the box
// (Fyne's own opens on the month it was created in).
func (v *recordingsView) newDateBox() *widget.DateEntry {
	e := widget.NewDateEntry()
	button := &widget.Button{Icon: theme.CalendarIcon(), Importance: widget.LowImportance, OnTapped: func() {
		c := fyne.CurrentApp().Driver().CanvasForObject(e)
		if c == nil {
			return
		}
		start := time.Now()
		if e.Date != nil {
			start = *e.Date
		}
		var pop *widget.PopUp
		cal := widget.NewCalendar(start, func(d time.Time) {
			e.SetDate(&d)
			pop.Hide()
		})
		pop = widget.NewPopUp(cal, c)
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(e).Add(fyne.NewPos(0, e.Size().Height))
		pop.ShowAtPosition(pos)
		pop.Resize(fyne.NewSize(max(e.Size().Width, cal.MinSize().Width), cal.MinSize().Height))
	}}
	button.ExtendBaseWidget(button)
	e.ActionItem = named(button, lang.L("Open the calendar")) // set before the box is drawn, so Fyne keeps it
	return e
}

func (v *recordingsView) askCustomRange() {
	from, to := v.newDateBox(), v.newDateBox()
	if !v.query.From.IsZero() {
		f, t := v.query.From, v.query.To
		from.SetDate(&f)
		to.SetDate(&t)
	}
	// A form gives its boxes only their own small width: they get room.
	wide := func(e *widget.DateEntry) fyne.CanvasObject {
		return container.NewGridWrap(fyne.NewSize(dateBoxWidth(), e.MinSize().Height), e)
	}
	items := []*widget.FormItem{{Text: lang.L("From"), Widget: wide(from)}, {Text: lang.L("To"), Widget: wide(to)}}
	d := dialog.NewForm(lang.L("Recordings between"), lang.L("Show"), lang.L("Cancel"), items, func(ok bool) {
		if !ok || from.Date == nil || to.Date == nil {
			return
		}
		v.setRange(*from.Date, *to.Date)
	}, v.w.win)
	d.Show()
}

// setRange lists the recordings between two days, both included.
func (v *recordingsView) setRange(from, to time.Time) {
	if to.Before(from) {
		from, to = to, from
	}
	v.query = fetch.Query{From: day(from), To: day(to)}
	v.reload()
}

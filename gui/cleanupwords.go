package gui

import (
	"time"

	"fyne.io/fyne/v2/lang"

	"cloudreel/fetch"
	"cloudreel/fetch/cleanup"
	"cloudreel/fetch/locale"
)

// The clean-up's words in the window's language. The cleanup package says
// the same for the commands (cleanup.Summary, cleanup.Explain…); the
// window says them through lang, with dates and sizes in the language's
// conventions.

// cleanupSummary is what a clean-up frees: "12 recordings, 4.2 GB, from
// IBM Video Streaming, permanently, on 9 December".
func cleanupSummary(items []cleanup.Item, p fetch.Platform, mode fetch.DeleteMode, when, now time.Time) string {
	var size int64
	for _, it := range items {
		size += it.Size
	}
	v := vals{"Count": len(items), "Size": formatBytes(size), "Platform": platformName(p), "Day": cleanup.Day(when, now)}
	switch {
	case mode != fetch.DeleteForever:
		return lang.N("{{.Count}} recordings, {{.Size}}, from {{.Platform}}, to the trash, now", len(items), v)
	case !when.After(now):
		return lang.N("{{.Count}} recordings, {{.Size}}, from {{.Platform}}, permanently, now", len(items), v)
	}
	return lang.N("{{.Count}} recordings, {{.Size}}, from {{.Platform}}, permanently, on {{.Day}}", len(items), v)
}

// cleanupCountdown is how long until t in whole days or hours: "in 6
// days", "in 5 hours", "now".
func cleanupCountdown(t, now time.Time) string {
	d := t.Sub(now)
	switch {
	case d <= 0:
		return lang.L("now")
	case d >= 48*time.Hour:
		n := int((d + 12*time.Hour) / (24 * time.Hour))
		return lang.N("in {{.Count}} days", n, vals{"Count": n})
	case d >= 2*time.Hour:
		n := int((d + 30*time.Minute) / time.Hour)
		return lang.N("in {{.Count}} hours", n, vals{"Count": n})
	}
	return lang.L("in {{.Time}}", vals{"Time": locale.Now().Remaining(d)})
}

// outcomeWords says an outcome as a person would.
func outcomeWords(o cleanup.Outcome) string {
	switch o {
	case cleanup.Trashed:
		return lang.L("moved to the trash")
	case cleanup.Deleted:
		return lang.L("deleted permanently")
	case cleanup.AlreadyGone:
		return lang.L("already gone from the platform")
	case cleanup.Planned:
		return lang.L("permanent delete scheduled")
	case cleanup.Canceled:
		return lang.L("kept: delete cancelled")
	case cleanup.Failed:
		return lang.L("not cleaned up (nothing changed)")
	}
	return string(o)
}

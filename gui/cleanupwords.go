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
	v := vals{"Count": len(items), "Size": formatBytes(size), "Platform": platformName(p), "Day": cleanupDay(when, now)}
	switch {
	case mode != fetch.DeleteForever:
		return lang.N("{{.Count}} recordings, {{.Size}}, from {{.Platform}}, to the trash, now", len(items), v)
	case !when.After(now):
		return lang.N("{{.Count}} recordings, {{.Size}}, from {{.Platform}}, permanently, now", len(items), v)
	}
	return lang.N("{{.Count}} recordings, {{.Size}}, from {{.Platform}}, permanently, on {{.Day}}", len(items), v)
}

// cleanupDay is a date as people say it: "9 December".
func cleanupDay(t, now time.Time) string { return locale.Now().Day(t, now) }

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

// cleanupExplain says what platform p lets Cloudreel do with a
// recording's cloud copy (cleanup.Explain).
func cleanupExplain(p fetch.Platform) string {
	switch p {
	case fetch.Valt:
		return lang.L("Valt documents no way to delete a recording through its API, so Cloudreel always keeps recordings on the Valt server.")
	case fetch.ZoomSDK:
		return lang.L("Zoom Video SDK can move a recording to its trash, where it can be recovered for a while, or delete it permanently.")
	case fetch.IBMVideo:
		return lang.L("IBM Video Streaming has no trash: a video can only be deleted permanently.")
	case fetch.Huawei:
		return lang.L("Huawei Cloud Meeting has no trash: a recording can only be deleted permanently, and only by an enterprise administrator.")
	}
	return cleanup.Explain(p)
}

// policyWords is a setting as the account dialog offers it, after
// "After a recording is downloaded and verified:".
func policyWords(p cleanup.Policy) string {
	switch p {
	case cleanup.MoveToTrash:
		return lang.L("move it to the trash")
	case cleanup.Delete:
		return lang.L("delete it")
	}
	return lang.L("keep it")
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

package gui

import (
	"strconv"
	"time"

	"fyne.io/fyne/v2/lang"

	"cloudreel/fetch"
	"cloudreel/fetch/locale"
)

func itoa(i int) string { return strconv.Itoa(i) }

// formatBytes shows a size the way file managers do, in the language's
// conventions: "1.2 GB", "1,2 GB".
func formatBytes(n int64) string { return locale.Now().Bytes(n) }

// formatSpeed shows a transfer speed: "4.1 MB/s".
func formatSpeed(bps float64) string { return locale.Now().Speed(bps) }

// formatETA shows the time left in words a person reads at a glance.
func formatETA(d time.Duration) string {
	left := locale.Now().Remaining(d)
	if left == "" {
		return ""
	}
	return lang.L("{{.Time}} left", vals{"Time": left})
}

// formatDate is a day, formatDateTime a day and its time, in the
// language's conventions: "9 Mar 2026 14:05", "2026年3月9日 14:05".
func formatDate(t time.Time) string     { return locale.Now().Date(t) }
func formatDateTime(t time.Time) string { return locale.Now().DateTime(t) }

// tickedSize says how much the ticked files weigh in words that stay true
// when a platform does not list every size: "1.2 GB", "at least 1.2 GB"
// when some sizes are missing, "size unknown" when none is known.
func tickedSize(recs []fetch.Recording) string {
	var known int64
	missing, files := 0, 0
	for _, r := range recs {
		for _, f := range r.Files {
			files++
			if f.Size > 0 {
				known += f.Size
			} else {
				missing++
			}
		}
	}
	switch {
	case files > 0 && missing == files:
		return lang.L("size unknown")
	case missing > 0:
		return lang.L("at least {{.Size}}", vals{"Size": formatBytes(known)})
	}
	return formatBytes(known)
}

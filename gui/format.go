package gui

import (
	"strconv"
	"time"

	"github.com/dustin/go-humanize"

	"cloudreel/fetch"
)

func itoa(i int) string { return strconv.Itoa(i) }

// formatBytes shows a size the way file managers do: "1.2 GB".
func formatBytes(n int64) string {
	if n < 0 {
		n = 0
	}
	return humanize.Bytes(uint64(n))
}

// formatSpeed shows a transfer speed: "4.1 MB/s".
func formatSpeed(bps float64) string {
	if bps <= 0 {
		return ""
	}
	return humanize.Bytes(uint64(bps)) + "/s"
}

// formatETA shows the time left in words a person reads at a glance.
func formatETA(d time.Duration) string {
	switch {
	case d <= 0:
		return ""
	case d < time.Minute:
		return itoa(int(d.Seconds())+1) + " s left"
	case d < time.Hour:
		return itoa(int(d.Minutes())+1) + " min left"
	}
	return itoa(int(d.Hours())) + " h " + itoa(int(d.Minutes())%60) + " min left"
}

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
		return "size unknown"
	case missing > 0:
		return "at least " + formatBytes(known)
	}
	return formatBytes(known)
}

package gui

import (
	"strconv"
	"time"

	"github.com/dustin/go-humanize"
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

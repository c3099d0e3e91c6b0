package cleanup

import "github.com/dustin/go-humanize"

// Bytes writes a size as people read it: "4.2 GB" (powers of 1000, as
// file managers show sizes).
func Bytes(n int64) string {
	if n < 0 {
		n = 0
	}
	return humanize.Bytes(uint64(n))
}

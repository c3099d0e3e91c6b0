package queue

import (
	"strconv"

	"golang.org/x/sys/unix"
)

// bootID names the current boot of the computer by its boot time: a
// record written under another boot went through a restart.
func bootID() string {
	tv, err := unix.SysctlTimeval("kern.boottime")
	if err != nil {
		return ""
	}
	return strconv.FormatInt(tv.Sec, 10) + "." + strconv.FormatInt(int64(tv.Usec), 10)
}

package queue

import (
	"os"
	"strings"
)

// bootID names the current boot of the computer: a record written under
// another boot went through a restart (perhaps a power cut).
func bootID() string {
	b, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

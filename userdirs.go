package main

import (
	"strings"
)

// parseUserDirs finds XDG_VIDEOS_DIR in the text of user-dirs.dirs,
// expanding $HOME.
func parseUserDirs(text, home string) string {
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		v, ok := strings.CutPrefix(line, "XDG_VIDEOS_DIR=")
		if !ok {
			continue
		}
		v = strings.Trim(v, `"`)
		v = strings.ReplaceAll(v, "$HOME", home)
		if v == home || v == home+"/" {
			return "" // "no Videos folder" is spelled as $HOME
		}
		return v
	}
	return ""
}

package main

import "testing"

func TestParseUserDirs(t *testing.T) {
	text := "# written by xdg-user-dirs-update\nXDG_DESKTOP_DIR=\"$HOME/Desktop\"\nXDG_VIDEOS_DIR=\"$HOME/Vidéos\"\n"
	if got := parseUserDirs(text, "/home/ann"); got != "/home/ann/Vidéos" {
		t.Fatalf("got %q", got)
	}
	// Spelled as $HOME, it means "no Videos folder": fall back.
	if got := parseUserDirs("XDG_VIDEOS_DIR=\"$HOME/\"\n", "/home/ann"); got != "" {
		t.Fatalf("got %q for a videos dir of $HOME", got)
	}
	if got := parseUserDirs("XDG_MUSIC_DIR=\"$HOME/Music\"\n", "/home/ann"); got != "" {
		t.Fatalf("got %q with no videos entry", got)
	}
}

//go:build !windows && !darwin

package autostart

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

const supported = true

// fileName is the autostart entry's name; the desktop's session manager
// starts every entry in the folder.
const fileName = "cloudreel.desktop"

// Path is where the autostart entry goes: XDG_CONFIG_HOME/autostart, by
// default ~/.config/autostart.
func Path() (string, error) {
	cfg := os.Getenv("XDG_CONFIG_HOME")
	if cfg == "" || !filepath.IsAbs(cfg) { // the spec says to ignore a relative one
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("finding your home folder: %w", err)
		}
		cfg = filepath.Join(home, ".config")
	}
	return filepath.Join(cfg, "autostart", fileName), nil
}

func (l LoginItem) enabled() bool {
	p, err := Path()
	if err != nil {
		return false
	}
	_, err = os.Stat(p)
	return err == nil
}

func (l LoginItem) enable() error {
	p, err := Path()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("making the folder of programs started at login: %w", err)
	}
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, []byte(desktopEntry(l.Program)), 0o644); err != nil {
		return fmt.Errorf("writing Cloudreel's start at login: %w", err)
	}
	if err := os.Rename(tmp, p); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing Cloudreel's start at login: %w", err)
	}
	return nil
}

func (l LoginItem) disable() error {
	p, err := Path()
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("removing Cloudreel's start at login: %w", err)
	}
	return nil
}

// desktopEntry is the autostart entry of program, after the Desktop Entry
// Specification.
func desktopEntry(program string) string {
	return "[Desktop Entry]\n" +
		"Type=Application\n" +
		"Name=Cloudreel\n" +
		"Comment=Download video recordings and keep them in sync\n" +
		"Exec=" + execValue(program) + "\n" +
		"Icon=io.cloudreel.app\n" +
		"Terminal=false\n" +
		"X-GNOME-Autostart-enabled=true\n"
}

// execValue quotes program as the Exec key's value: inside the double
// quotes ", `, $ and \ are escaped with \, then, as the value is a string,
// each \ is written \\; a % is written %% (a field code otherwise).
func execValue(program string) string {
	quoted := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "`", "\\`", `$`, `\$`).Replace(program)
	value := strings.ReplaceAll(`"`+quoted+`"`, `\`, `\\`)
	return strings.ReplaceAll(value, "%", "%%")
}

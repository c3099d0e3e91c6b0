//go:build !windows && !darwin

package autostart

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Turning it on writes the XDG autostart entry under XDG_CONFIG_HOME,
// which desktop-file-validate accepts; turning it off removes it.
func TestAutostartEntryIsWrittenAndRemoved(t *testing.T) {
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	program := "/opt/My Apps/cloudreel$1 \"new\"%"
	l := LoginItem{Program: program}
	if l.Enabled() {
		t.Fatal("enabled before it was turned on")
	}
	if err := l.SetEnabled(true); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(cfg, "autostart", "cloudreel.desktop")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no autostart entry: %v", err)
	}
	if !l.Enabled() {
		t.Fatal("not enabled after it was turned on")
	}
	text := string(data)
	for _, want := range []string{"[Desktop Entry]\n", "Type=Application\n", "Name=Cloudreel\n",
		`Exec="/opt/My Apps/cloudreel\\$1 \\"new\\"%%"` + "\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("the entry lacks %q:\n%s", want, text)
		}
	}
	if validate, err := exec.LookPath("desktop-file-validate"); err == nil {
		if out, err := exec.Command(validate, path).CombinedOutput(); err != nil || len(strings.TrimSpace(string(out))) > 0 {
			t.Errorf("desktop-file-validate: %v\n%s", err, out)
		}
	} else {
		t.Log("desktop-file-validate is not installed (.ci/install-deps.sh test installs it)")
	}

	if err := l.SetEnabled(false); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("the entry is still there after it was turned off: %v", err)
	}
	if l.Enabled() {
		t.Fatal("enabled after it was turned off")
	}
	if err := l.SetEnabled(false); err != nil {
		t.Fatalf("turning it off twice: %v", err)
	}
}

// Without XDG_CONFIG_HOME (or with a relative one, which the spec says to
// ignore), the entry goes to ~/.config/autostart.
func TestAutostartPathDefaultsToHomeConfig(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, cfg := range []string{"", "relative/dir"} {
		t.Setenv("XDG_CONFIG_HOME", cfg)
		p, err := Path()
		if err != nil {
			t.Fatal(err)
		}
		if want := filepath.Join(home, ".config", "autostart", "cloudreel.desktop"); p != want {
			t.Errorf("with XDG_CONFIG_HOME=%q: %s, want %s", cfg, p, want)
		}
	}
}

package schedule

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// UnitDir is where systemd looks for a user's own units:
// $XDG_CONFIG_HOME/systemd/user, by default ~/.config/systemd/user.
func UnitDir() (string, error) {
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding your settings folder: %w", err)
	}
	return filepath.Join(d, "systemd", "user"), nil
}

// Install writes the service and the timer into j.Dir (default UnitDir)
// and, with Activate and when systemctl is there, reloads the user's
// systemd and starts the timer, now and at every login.
func Install(j Job) (Result, error) {
	service, timer, err := SystemdUnits(j)
	if err != nil {
		return Result{}, err
	}
	dir := j.Dir
	if dir == "" {
		if dir, err = UnitDir(); err != nil {
			return Result{}, err
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Result{}, fmt.Errorf("creating the folder %s for the timer: %w", dir, err)
	}
	var res Result
	for name, text := range map[string]string{Name + ".service": service, Name + ".timer": timer} {
		path := filepath.Join(dir, name)
		if err := writeFile(path, []byte(text)); err != nil {
			return res, fmt.Errorf("writing %s: %w", path, err)
		}
		res.Files = append(res.Files, path)
	}
	if !j.Activate {
		res.Note = "To start it: systemctl --user daemon-reload && systemctl --user enable --now " + Name + ".timer"
		return res, nil
	}
	if _, err := exec.LookPath("systemctl"); err != nil {
		res.Note = "systemctl is not on this system: start " + Name + ".timer with your service manager."
		return res, nil
	}
	if err := systemctl("daemon-reload"); err != nil {
		return res, err
	}
	if err := systemctl("enable", "--now", Name+".timer"); err != nil {
		return res, err
	}
	res.Activated = true
	return res, nil
}

// Uninstall stops the timer (with Activate, when systemctl is there) and
// removes both units.
func Uninstall(j Job) (Result, error) {
	dir := j.Dir
	if dir == "" {
		var err error
		if dir, err = UnitDir(); err != nil {
			return Result{}, err
		}
	}
	var res Result
	_, lookErr := exec.LookPath("systemctl")
	active := j.Activate && lookErr == nil
	if active {
		// A timer that was never enabled is not an error here.
		_ = systemctl("disable", "--now", Name+".timer")
	}
	for _, name := range []string{Name + ".timer", Name + ".service"} {
		path := filepath.Join(dir, name)
		err := os.Remove(path)
		switch {
		case err == nil:
			res.Files = append(res.Files, path)
		case !errors.Is(err, fs.ErrNotExist):
			return res, fmt.Errorf("removing %s: %w", path, err)
		}
	}
	if active {
		if err := systemctl("daemon-reload"); err != nil {
			return res, err
		}
		res.Activated = true
	}
	return res, nil
}

func systemctl(args ...string) error {
	out, err := exec.Command("systemctl", append([]string{"--user"}, args...)...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("systemctl --user %s did not work (%s): %w", strings.Join(args, " "), strings.TrimSpace(string(out)), err)
	}
	return nil
}

package schedule

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Install writes the task's XML into j.Dir (required: Cloudreel's
// settings folder) and, with Activate, registers it for the person with
// schtasks /Create /XML, replacing an earlier one.
func Install(j Job) (Result, error) {
	if j.Dir == "" {
		return Result{}, errors.New("schedule: no folder for the task's description")
	}
	if j.Start.IsZero() {
		j.Start = time.Now().Add(2 * time.Minute)
	}
	body, err := TaskXML(j)
	if err != nil {
		return Result{}, err
	}
	if err := os.MkdirAll(j.Dir, 0o700); err != nil {
		return Result{}, fmt.Errorf("creating the folder %s: %w", j.Dir, err)
	}
	path := filepath.Join(j.Dir, Name+".xml")
	if err := writeFile(path, body); err != nil {
		return Result{}, fmt.Errorf("writing %s: %w", path, err)
	}
	res := Result{Files: []string{path}}
	if !j.Activate {
		res.Note = fmt.Sprintf(`To register it: schtasks /Create /TN "%s" /XML "%s" /F`, TaskName, path)
		return res, nil
	}
	if err := schtasks("/Create", "/TN", TaskName, "/XML", path, "/F"); err != nil {
		return res, err
	}
	res.Activated = true
	return res, nil
}

// Uninstall deletes the task (with Activate) and its XML.
func Uninstall(j Job) (Result, error) {
	var res Result
	if j.Activate {
		if err := schtasks("/Delete", "/TN", TaskName, "/F"); err != nil {
			return res, err
		}
		res.Activated = true
	}
	if j.Dir != "" {
		path := filepath.Join(j.Dir, Name+".xml")
		switch err := os.Remove(path); {
		case err == nil:
			res.Files = append(res.Files, path)
		case !errors.Is(err, fs.ErrNotExist):
			return res, fmt.Errorf("removing %s: %w", path, err)
		}
	}
	return res, nil
}

func schtasks(args ...string) error {
	out, err := exec.Command("schtasks", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("the Task Scheduler refused (schtasks %s: %s): %w", args[0], strings.TrimSpace(string(out)), err)
	}
	return nil
}

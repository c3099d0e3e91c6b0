package locale

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// choiceFile is the file in the data folder that holds the language chosen
// in Settings: a tag alone, or nothing for the system's. A plain file, not
// Fyne's preferences, so that the headless commands read it too.
const choiceFile = "language"

// Read returns the language chosen in the data folder dir (System when
// none was chosen).
func Read(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, choiceFile))
	if errors.Is(err, fs.ErrNotExist) {
		return System, nil
	}
	if err != nil {
		return System, fmt.Errorf("reading the language chosen: %w", err)
	}
	return known(strings.TrimSpace(string(b))), nil
}

// Save keeps tag as the language chosen in the data folder dir.
func Save(dir, tag string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("saving the language chosen: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, choiceFile), []byte(known(tag)+"\n"), 0o600); err != nil {
		return fmt.Errorf("saving the language chosen: %w", err)
	}
	return nil
}

// Apply loads the translation sets and speaks the language chosen in the
// data folder dir; what Cloudreel's window and commands do at start.
func Apply(dir string, sets ...Set) error {
	tag, err := Read(dir)
	Use(tag)
	if lerr := Load(sets...); lerr != nil {
		return lerr
	}
	return err
}

//go:build windows

package autostart

import (
	"errors"
	"fmt"

	"golang.org/x/sys/windows/registry"
)

const supported = true

// runKey is the current user's list of programs started at login; the
// value is named after the app.
const (
	runKey   = `Software\Microsoft\Windows\CurrentVersion\Run`
	runValue = "Cloudreel"
)

func (l LoginItem) enabled() bool {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
	if err != nil {
		return false
	}
	defer k.Close()
	_, _, err = k.GetStringValue(runValue)
	return err == nil
}

func (l LoginItem) enable() error {
	k, _, err := registry.CreateKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if err != nil {
		return fmt.Errorf("opening the list of programs started at login: %w", err)
	}
	defer k.Close()
	// Quoted: a path with spaces (C:\Program Files\...) is one program.
	if err := k.SetStringValue(runValue, `"`+l.Program+`"`); err != nil {
		return fmt.Errorf("adding Cloudreel to the programs started at login: %w", err)
	}
	return nil
}

func (l LoginItem) disable() error {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("opening the list of programs started at login: %w", err)
	}
	defer k.Close()
	if err := k.DeleteValue(runValue); err != nil && !errors.Is(err, registry.ErrNotExist) {
		return fmt.Errorf("removing Cloudreel from the programs started at login: %w", err)
	}
	return nil
}

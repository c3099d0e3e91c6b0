// Package autostart is "Start Cloudreel when I log in": an XDG autostart
// entry on Linux and the BSDs (~/.config/autostart/cloudreel.desktop,
// under XDG_CONFIG_HOME when set), the current user's Run key in the
// registry on Windows. On macOS it is not offered: a person adds Cloudreel
// in System Settings, General, Login Items (README).
package autostart

import "errors"

// ErrUnsupported says this OS has no start at login that Cloudreel sets.
var ErrUnsupported = errors.New("starting Cloudreel when you log in is set in System Settings, General, Login Items on this computer")

// LoginItem starts Program when the user logs in.
type LoginItem struct {
	// Program is the full path of the program to start (os.Executable).
	Program string
}

// Supported reports whether this OS has a start at login that Cloudreel
// can set.
func Supported() bool { return supported }

// Enabled reports whether Cloudreel starts when the user logs in.
func (l LoginItem) Enabled() bool { return l.enabled() }

// SetEnabled makes Cloudreel start, or no longer start, when the user logs
// in.
func (l LoginItem) SetEnabled(on bool) error {
	if !supported {
		return ErrUnsupported
	}
	if on {
		return l.enable()
	}
	return l.disable()
}

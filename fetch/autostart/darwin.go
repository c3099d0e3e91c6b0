//go:build darwin

package autostart

// On macOS Cloudreel does not set its own login item (that takes a signed
// helper or an Apple Events permission): the README shows where to add it.
const supported = false

func (l LoginItem) enabled() bool  { return false }
func (l LoginItem) enable() error  { return ErrUnsupported }
func (l LoginItem) disable() error { return ErrUnsupported }

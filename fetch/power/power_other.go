//go:build !linux && !windows && !darwin

package power

// Other systems have no command Cloudreel knows: run says so.
func sleepCommand() []string    { return nil }
func shutDownCommand() []string { return nil }

package power

// pmset sleepnow needs no administrator; shutting down does through
// shutdown(8), so it is asked of System Events, as the Apple menu does.
func sleepCommand() []string { return []string{"pmset", "sleepnow"} }
func shutDownCommand() []string {
	return []string{"osascript", "-e", `tell application "System Events" to shut down`}
}

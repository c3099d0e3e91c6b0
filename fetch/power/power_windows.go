package power

// SetSuspendState(0,1,0): sleep (not hibernate) when hibernation is off;
// shutdown /s /t 0 shuts down at once (the countdown was Cloudreel's).
func sleepCommand() []string {
	return []string{"rundll32.exe", "powrprof.dll,SetSuspendState", "0,1,0"}
}
func shutDownCommand() []string { return []string{"shutdown", "/s", "/t", "0"} }

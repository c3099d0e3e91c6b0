package power

// systemd's systemctl asks logind, which lets the person at the desktop
// suspend or power off without a password (its polkit rules).
func sleepCommand() []string    { return []string{"systemctl", "suspend"} }
func shutDownCommand() []string { return []string{"systemctl", "poweroff"} }

// Package schedule puts `cloudreel sync -once` in the operating system's
// scheduler, so that accounts stay in sync with no window open and no
// one logged in to a terminal: a systemd user timer on Linux, a Task
// Scheduler task on Windows. (macOS has launchd: the README shows the
// plist to write by hand.) The units and the task are made here on every
// system, so that they are tested everywhere; Install and Uninstall,
// which hand them to the scheduler, are per system.
package schedule

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf16"
)

// Name is what the scheduled job is called: the systemd units are
// Name.service and Name.timer, the Windows task is TaskName.
const (
	Name     = "cloudreel-sync"
	TaskName = "Cloudreel sync"
)

// Job is what the scheduler runs: Exe with Args, every Every, with Env
// added to its environment (CLOUDREEL_HOME for a portable install).
type Job struct {
	Exe   string
	Args  []string
	Env   map[string]string
	Every time.Duration
	// Dir is where the units or the task's XML are written (default: the
	// system's own place, see Install).
	Dir string
	// Activate hands the job to the scheduler (systemctl, schtasks); off,
	// only the files are written (tests, or to enable them by hand).
	Activate bool
	// Start is when a Windows task's first run is due (default: now).
	Start time.Time
}

// Result says what Install or Uninstall did, for the person.
type Result struct {
	Files     []string // written or removed
	Activated bool     // the scheduler was told
	// Note is a sentence to show: what to run by hand, when the scheduler
	// was not told.
	Note string
}

func (j Job) check() error {
	if j.Exe == "" {
		return errors.New("schedule: no program to run")
	}
	if j.Every < time.Minute {
		return fmt.Errorf("looking every %s is too often for a schedule", j.Every)
	}
	return nil
}

// SystemdUnits returns the service and the timer of j, as systemd reads
// them (systemd.service(5), systemd.timer(5)).
func SystemdUnits(j Job) (service, timer string, err error) {
	if err := j.check(); err != nil {
		return "", "", err
	}
	if strings.ContainsAny(j.Exe, "\"'\\\n") {
		// systemd refuses such a program name however it is quoted.
		return "", "", fmt.Errorf("systemd cannot run a program whose path has a quote or a backslash in it (%s): move Cloudreel to a folder without one", j.Exe)
	}
	var s strings.Builder
	s.WriteString("# Written by `cloudreel sync -install`; `cloudreel sync -uninstall` removes it.\n")
	s.WriteString("[Unit]\nDescription=Cloudreel: download the new recordings of the accounts kept in sync\n")
	s.WriteString("\n")
	s.WriteString("[Service]\nType=oneshot\n")
	keys := make([]string, 0, len(j.Env))
	for k := range j.Env {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		s.WriteString("Environment=" + systemdQuote(k+"="+j.Env[k]) + "\n")
	}
	words := []string{systemdQuote(j.Exe)}
	for _, a := range j.Args {
		words = append(words, systemdQuote(a))
	}
	s.WriteString("ExecStart=" + strings.Join(words, " ") + "\n")
	// A sync that finds a file failed exits 1: the next run retries it,
	// and `systemctl --user status` shows the failure meanwhile.
	s.WriteString("Nice=10\nIOSchedulingClass=idle\n")

	every := systemdSpan(j.Every)
	var t strings.Builder
	t.WriteString("# Written by `cloudreel sync -install`; `cloudreel sync -uninstall` removes it.\n")
	t.WriteString("[Unit]\nDescription=Cloudreel: look for new recordings every " + every + "\n\n")
	t.WriteString("[Timer]\nOnStartupSec=2min\nOnUnitActiveSec=" + every + "\nRandomizedDelaySec=1min\n")
	t.WriteString("Unit=" + Name + ".service\n\n")
	t.WriteString("[Install]\nWantedBy=timers.target\n")
	return s.String(), t.String(), nil
}

// systemdQuote writes one word of a unit's command line or environment:
// in double quotes, with backslashes, quotes and systemd's specifiers (%)
// escaped, so that spaces in a path are kept.
func systemdQuote(w string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "%", "%%", "$", "$$", "\n", `\n`)
	return `"` + r.Replace(w) + `"`
}

// systemdSpan writes a span in systemd's time syntax (systemd.time(7)):
// "3h", "90min", or whole seconds.
func systemdSpan(d time.Duration) string {
	switch {
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%dmin", d/time.Minute)
	}
	return fmt.Sprintf("%ds", int64(d/time.Second))
}

// The Task Scheduler's task (Task Scheduler Schema, version 1.2), only
// the elements a repeating task needs.
type task struct {
	XMLName     xml.Name `xml:"Task"`
	Version     string   `xml:"version,attr"`
	Xmlns       string   `xml:"xmlns,attr"`
	Description string   `xml:"RegistrationInfo>Description"`
	Trigger     trigger  `xml:"Triggers>TimeTrigger"`
	LogonType   string   `xml:"Principals>Principal>LogonType"`
	RunLevel    string   `xml:"Principals>Principal>RunLevel"`
	Settings    settings `xml:"Settings"`
	Exec        execTask `xml:"Actions>Exec"`
}

type trigger struct {
	Interval          string `xml:"Repetition>Interval"`
	StopAtDurationEnd bool   `xml:"Repetition>StopAtDurationEnd"`
	StartBoundary     string `xml:"StartBoundary"`
	Enabled           bool   `xml:"Enabled"`
}

type settings struct {
	MultipleInstancesPolicy    string `xml:"MultipleInstancesPolicy"`
	DisallowStartIfOnBatteries bool   `xml:"DisallowStartIfOnBatteries"`
	StopIfGoingOnBatteries     bool   `xml:"StopIfGoingOnBatteries"`
	StartWhenAvailable         bool   `xml:"StartWhenAvailable"`
	RunOnlyIfNetworkAvailable  bool   `xml:"RunOnlyIfNetworkAvailable"`
	ExecutionTimeLimit         string `xml:"ExecutionTimeLimit"`
	Enabled                    bool   `xml:"Enabled"`
}

type execTask struct {
	Command   string `xml:"Command"`
	Arguments string `xml:"Arguments,omitempty"`
}

// TaskXML returns the Windows task of j as schtasks /Create /XML reads
// it: UTF-16 with a byte order mark, as the Task Scheduler writes its own
// exports. The task runs as the person, only while they are logged on
// (the secrets are in their Credential Manager), catches up a run missed
// while the computer was off, and never runs twice at once.
func TaskXML(j Job) ([]byte, error) {
	if err := j.check(); err != nil {
		return nil, err
	}
	if len(j.Env) > 0 {
		// An Exec action has no environment of its own.
		return nil, errors.New("a Windows task cannot carry CLOUDREEL_HOME: install the sync from the usual settings folder")
	}
	start := j.Start
	if start.IsZero() {
		start = time.Now()
	}
	t := task{
		Version: "1.2", Xmlns: "http://schemas.microsoft.com/windows/2004/02/mit/task",
		Description: "Cloudreel: downloads the new recordings of the accounts kept in sync (cloudreel sync -once).",
		Trigger:     trigger{Interval: isoSpan(j.Every), StartBoundary: start.Format("2006-01-02T15:04:05"), Enabled: true},
		LogonType:   "InteractiveToken", RunLevel: "LeastPrivilege",
		Settings: settings{MultipleInstancesPolicy: "IgnoreNew", StartWhenAvailable: true, RunOnlyIfNetworkAvailable: true,
			ExecutionTimeLimit: "PT0S", Enabled: true},
		Exec: execTask{Command: j.Exe, Arguments: windowsArgs(j.Args)},
	}
	body, err := xml.MarshalIndent(t, "", "  ")
	if err != nil {
		return nil, err
	}
	text := `<?xml version="1.0" encoding="UTF-16"?>` + "\r\n" + strings.ReplaceAll(string(body), "\n", "\r\n") + "\r\n"
	var out bytes.Buffer
	out.Write([]byte{0xFF, 0xFE})
	for _, u := range utf16.Encode([]rune(text)) {
		out.WriteByte(byte(u))
		out.WriteByte(byte(u >> 8))
	}
	return out.Bytes(), nil
}

// DecodeUTF16 reads what TaskXML wrote back as text.
func DecodeUTF16(b []byte) (string, error) {
	if len(b) < 2 || b[0] != 0xFF || b[1] != 0xFE || len(b)%2 != 0 {
		return "", errors.New("not UTF-16 little-endian with a byte order mark")
	}
	u := make([]uint16, 0, len(b)/2-1)
	for i := 2; i < len(b); i += 2 {
		u = append(u, uint16(b[i])|uint16(b[i+1])<<8)
	}
	return string(utf16.Decode(u)), nil
}

// isoSpan writes a span as an XML duration (PT1H30M).
func isoSpan(d time.Duration) string {
	d = d.Round(time.Minute)
	h, m := int64(d/time.Hour), int64(d%time.Hour/time.Minute)
	s := "PT"
	if h > 0 {
		s += fmt.Sprintf("%dH", h)
	}
	if m > 0 || h == 0 {
		s += fmt.Sprintf("%dM", m)
	}
	return s
}

// windowsArgs joins arguments as Windows programs split them
// (CommandLineToArgvW): quoted when they hold a space or a quote.
func windowsArgs(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if a != "" && !strings.ContainsAny(a, " \t\"") {
			out[i] = a
			continue
		}
		var b strings.Builder
		b.WriteByte('"')
		slashes := 0
		for _, r := range a {
			switch r {
			case '\\':
				slashes++
				continue
			case '"':
				b.WriteString(strings.Repeat(`\`, 2*slashes+1))
			default:
				b.WriteString(strings.Repeat(`\`, slashes))
			}
			slashes = 0
			b.WriteRune(r)
		}
		b.WriteString(strings.Repeat(`\`, 2*slashes))
		b.WriteByte('"')
		out[i] = b.String()
	}
	return strings.Join(out, " ")
}

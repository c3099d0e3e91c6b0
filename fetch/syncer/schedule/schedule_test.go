package schedule

import (
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// job runs this test binary (a program that exists, as systemd checks)
// from a path with spaces and a percent sign in it.
func job(t *testing.T) Job {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), `My Apps 100%`)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "cloud reel")
	if err := os.Symlink(self, exe); err != nil {
		t.Fatal(err)
	}
	return Job{Exe: exe, Args: []string{"sync", "-once"}, Every: 90 * time.Minute,
		Env: map[string]string{"CLOUDREEL_HOME": "/srv/cloud reel/data"}}
}

// The units Install writes are what systemd-analyze verify accepts.
func TestSystemdAcceptsTheUnits(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("systemd units are installed on Linux only")
	}
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed (Debian package systemd; .ci/install-deps.sh test installs it): the units are not verified")
	}
	j := job(t)
	j.Dir = t.TempDir()
	res, err := Install(j)
	if err != nil {
		t.Fatal(err)
	}
	if res.Activated || len(res.Files) != 2 {
		t.Fatalf("Install without Activate: %+v", res)
	}
	service, timer := filepath.Join(j.Dir, Name+".service"), filepath.Join(j.Dir, Name+".timer")
	cmd := exec.Command(analyze, "verify", service, timer)
	cmd.Env = append(os.Environ(), "SYSTEMD_LOG_LEVEL=notice")
	out, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "" {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
	text, _ := os.ReadFile(service)
	for _, want := range []string{
		`ExecStart="` + strings.ReplaceAll(j.Exe, "%", "%%") + `" "sync" "-once"`,
		`Environment="CLOUDREEL_HOME=/srv/cloud reel/data"`,
		"Type=oneshot",
	} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the service lacks %s:\n%s", want, text)
		}
	}
	if text, _ := os.ReadFile(timer); !strings.Contains(string(text), "OnUnitActiveSec=90min") {
		t.Errorf("the timer does not repeat every 90 minutes:\n%s", text)
	}

	res, err = Uninstall(j)
	if err != nil || len(res.Files) != 2 {
		t.Fatalf("Uninstall: %+v, %v", res, err)
	}
	if entries, _ := os.ReadDir(j.Dir); len(entries) != 0 {
		t.Fatalf("left after Uninstall: %v", entries)
	}
	if res, err := Uninstall(j); err != nil || len(res.Files) != 0 {
		t.Fatalf("a second Uninstall: %+v, %v", res, err)
	}
}

// systemd-analyze catches a unit that systemd would refuse: the check
// above is not one that passes anything.
func TestSystemdAnalyzeRefusesABrokenUnit(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil || runtime.GOOS != "linux" {
		t.Skip("systemd-analyze is not installed (Debian package systemd)")
	}
	path := filepath.Join(t.TempDir(), "broken.service")
	if err := os.WriteFile(path, []byte("[Service]\nType=oneshot\nExecStart=relative/program\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(analyze, "verify", path).CombinedOutput(); err == nil && len(out) == 0 {
		t.Fatal("systemd-analyze verify accepted a relative ExecStart")
	}
}

// The Windows task is UTF-16 XML that names the program and its
// arguments as Windows splits them, repeating every Every.
func TestTaskXML(t *testing.T) {
	j := Job{Exe: `C:\Program Files\Cloudreel\cloudreel.exe`, Args: []string{"sync", "-once", `C:\My Videos\`}, Every: 2 * time.Hour,
		Start: time.Date(2026, 3, 10, 8, 30, 0, 0, time.Local)}
	body, err := TaskXML(j)
	if err != nil {
		t.Fatal(err)
	}
	text, err := DecodeUTF16(body)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(text, `<?xml version="1.0" encoding="UTF-16"?>`) {
		t.Fatalf("the XML starts %q", text[:40])
	}
	var got task
	// encoding/xml reads only UTF-8: the declaration is dropped here.
	_, rest, _ := strings.Cut(text, "?>")
	if err := xml.Unmarshal([]byte(rest), &got); err != nil {
		t.Fatalf("the task is not XML: %v\n%s", err, text)
	}
	if got.Exec.Command != j.Exe || got.Exec.Arguments != `sync -once "C:\My Videos\\"` {
		t.Fatalf("the task runs %q %q", got.Exec.Command, got.Exec.Arguments)
	}
	if got.Trigger.Interval != "PT2H" || got.Trigger.StartBoundary != "2026-03-10T08:30:00" || !got.Trigger.Enabled {
		t.Fatalf("the trigger is %+v", got.Trigger)
	}
	if got.LogonType != "InteractiveToken" || got.Settings.MultipleInstancesPolicy != "IgnoreNew" || got.Xmlns != "http://schemas.microsoft.com/windows/2004/02/mit/task" {
		t.Fatalf("the task is %+v", got)
	}
	if _, err := TaskXML(Job{Exe: "x", Every: time.Hour, Env: map[string]string{"CLOUDREEL_HOME": "D:\\"}}); err == nil {
		t.Fatal("a task with an environment was made")
	}
}

func TestSpans(t *testing.T) {
	for d, want := range map[time.Duration]string{time.Hour: "PT1H", 90 * time.Minute: "PT1H30M", 5 * time.Minute: "PT5M", 24 * time.Hour: "PT24H"} {
		if got := isoSpan(d); got != want {
			t.Errorf("isoSpan(%v) = %s, want %s", d, got, want)
		}
	}
	for in, want := range map[string]string{"plain": "plain", "two words": `"two words"`, `say "hi"`: `"say \"hi\""`, "": `""`} {
		if got := windowsArgs([]string{in}); got != want {
			t.Errorf("windowsArgs(%q) = %s, want %s", in, got, want)
		}
	}
	if _, _, err := SystemdUnits(Job{Exe: `/home/o'brien/cloudreel`, Every: time.Hour}); err == nil {
		t.Fatal("a unit systemd refuses (a quote in the program's path) was made")
	}
	if _, _, err := SystemdUnits(Job{Exe: "/bin/true", Every: time.Second}); err == nil {
		t.Fatal("a timer every second was made")
	}
}

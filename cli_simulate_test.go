package main

import (
	"bufio"
	"bytes"
	"flag"
	"io"
	"net/http"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"cloudreel/fetch/sim"
)

// TestSimulateServesUntilInterrupted runs `cloudreel simulate` as a real
// process: it prints its base URL, answers as the platforms do with the
// faults asked for, and stops cleanly on Ctrl+C.
func TestSimulateServesUntilInterrupted(t *testing.T) {
	bin := buildCloudreel(t)
	cmd := exec.Command(bin, "simulate", "-addr", "127.0.0.1:0", "-small", "-server-errors", "1", "-many", "3")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	out := bufio.NewReader(stdout)
	line, err := out.ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	base := strings.TrimSpace(line)
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("first line %q is not the base URL", line)
	}
	var rest []string
	for !strings.Contains(strings.Join(rest, ""), "faults:") {
		l, err := out.ReadString('\n')
		if err != nil {
			t.Fatalf("after %q: %v", rest, err)
		}
		rest = append(rest, l)
	}
	if last := rest[len(rest)-1]; !strings.Contains(last, "3 recordings per account; faults: server-errors=1") {
		t.Fatalf("the faults line is %q, want the account size and the fault asked for", last)
	}
	// Zoom without a token: first the 503 asked for, then the platform's
	// 401, not a 404.
	for _, want := range []int{http.StatusServiceUnavailable, http.StatusUnauthorized} {
		resp, err := http.Get(base + "/zoom/v2/videosdk/recordings")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Fatalf("Zoom without a token answered %s, want %d", resp.Status, want)
		}
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("after Ctrl+C: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("still running 30 s after Ctrl+C")
	}
}

// TestSimulateHasAFlagForEveryFault sets each fault of fetch/sim through
// its flag and checks that exactly that fault is switched on.
func TestSimulateHasAFlagForEveryFault(t *testing.T) {
	typ := reflect.TypeFor[sim.FaultSet]()
	for i := range typ.NumField() {
		field := typ.Field(i)
		if !field.IsExported() {
			continue
		}
		name := flagName(field.Name)
		var got sim.FaultSet
		fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		faultFlags(fs, &got)
		value := map[reflect.Kind]string{reflect.Bool: "true", reflect.Int: "3", reflect.Int64: "3", reflect.String: "x"}[field.Type.Kind()]
		if field.Type == reflect.TypeFor[time.Duration]() {
			value = "2s"
		}
		if err := fs.Parse([]string{"-" + name + "=" + value}); err != nil {
			t.Errorf("fault %s has no flag -%s: %v", field.Name, name, err)
			continue
		}
		v := reflect.ValueOf(got)
		for j := range typ.NumField() {
			if on := !v.Field(j).IsZero(); on != (j == i) {
				t.Errorf("-%s=%s: %s is %v", name, value, typ.Field(j).Name, v.Field(j).Interface())
			}
		}
	}
}

func TestFlagName(t *testing.T) {
	for field, want := range map[string]string{
		"CutMidBody": "cut-mid-body", "IBMPendingPolls": "ibm-pending-polls", "ErrorBody200": "error-body-200",
		"ValtURLUnderData": "valt-url-under-data", "LinkTTL": "link-ttl", "RateLimited": "rate-limited",
	} {
		if got := flagName(field); got != want {
			t.Errorf("flagName(%q) = %q, want %q", field, got, want)
		}
	}
}

// interruptOnFirstWrite is a command's standard output that sends the
// process a signal at the command's first line, as a person who presses
// Ctrl+C as soon as something shows, and waits long enough for the
// signal to arrive before the command goes on.
type interruptOnFirstWrite struct {
	sig  os.Signal
	sent bool
	out  bytes.Buffer
}

func (w *interruptOnFirstWrite) Write(p []byte) (int, error) {
	if !w.sent {
		w.sent = true
		self, _ := os.FindProcess(os.Getpid())
		_ = self.Signal(w.sig)
		time.Sleep(300 * time.Millisecond)
	}
	os.Stdout.Write(p)
	return w.out.Write(p)
}

// signalChild runs the test named test again in a child process with
// CLOUDREEL_SIGNAL_CHILD=sig, where it runs a command that is signalled
// at its first line (see interruptOnFirstWrite). A command that has no
// handler yet dies of the signal: the child's exit says so.
func signalChild(t *testing.T, test string, sig syscall.Signal) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), "CLOUDREEL_SIGNAL_CHILD="+sig.String())
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			t.Fatalf("the command died of %v instead of handling it:\n%s%s", ws.Signal(), out.String(), errb.String())
		}
		return ee.ExitCode(), out.String(), errb.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, out.String(), errb.String()
}

// childSignal is the signal a child of signalChild sends itself, or nil
// in the parent.
func childSignal() os.Signal {
	switch os.Getenv("CLOUDREEL_SIGNAL_CHILD") {
	case syscall.SIGINT.String():
		return os.Interrupt
	case syscall.SIGTERM.String():
		return syscall.SIGTERM
	}
	return nil
}

// Ctrl+C the moment `simulate` prints its first line stops it cleanly:
// the handler is in place before anything is printed.
func TestSimulateHandlesCtrlCFromItsFirstLine(t *testing.T) {
	if sig := childSignal(); sig != nil {
		w := &interruptOnFirstWrite{sig: sig}
		os.Exit(run([]string{"simulate", "-addr", "127.0.0.1:0", "-small"}, strings.NewReader(""), w, os.Stderr))
	}
	if !canSignalSelf() {
		t.Skip("no signals to a process on this system")
	}
	code, stdout, stderr := signalChild(t, "TestSimulateHandlesCtrlCFromItsFirstLine", syscall.SIGINT)
	if code != 0 || !strings.HasPrefix(stdout, "http://127.0.0.1:") {
		t.Fatalf("exit %d, stdout %q, stderr %q: want the URL and a clean stop", code, stdout, stderr)
	}
}

func canSignalSelf() bool {
	self, _ := os.FindProcess(os.Getpid())
	return self.Signal(syscall.Signal(0)) == nil
}

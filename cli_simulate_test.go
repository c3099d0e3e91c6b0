package main

import (
	"bufio"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestSimulateServesUntilInterrupted runs `cloudreel simulate` as a real
// process: it prints its base URL, answers as the platforms do, and stops
// cleanly on Ctrl+C.
func TestSimulateServesUntilInterrupted(t *testing.T) {
	bin := buildCloudreel(t)
	cmd := exec.Command(bin, "simulate", "-addr", "127.0.0.1:0", "-small")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	base := strings.TrimSpace(line)
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("first line %q is not the base URL", line)
	}
	// Zoom without a token: the platform's 401, not a 404.
	resp, err := http.Get(base + "/zoom/v2/videosdk/recordings")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("Zoom without a token answered %s", resp.Status)
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

package main

import (
	"bufio"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

// Go's HTTP library logs an answer that comes on an idle connection
// through the standard log; a command routes it to the log file, never
// to the terminal. The test plays such a server for real.
func TestGoLogGoesToTheLogFileNotTheTerminal(t *testing.T) {
	home := t.TempDir()
	t.Setenv("CLOUDREEL_HOME", home)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				r := bufio.NewReader(c)
				for {
					line, err := r.ReadString('\n')
					if err != nil || line == "\r\n" {
						break
					}
				}
				_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
				time.Sleep(100 * time.Millisecond)
				_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n") // nobody asked
				time.Sleep(time.Second)
			}()
		}
	}()

	restore := routeStandardLog()
	if log.Writer() == os.Stderr {
		restore()
		t.Fatal("the standard log still writes to the terminal")
	}
	client := &http.Client{Transport: &http.Transport{}}
	resp, err := client.Get("http://" + ln.Addr().String() + "/")
	if err != nil {
		restore()
		t.Fatal(err)
	}
	_, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	logFile := filepath.Join(home, "cloudreel.log")
	deadline := time.Now().Add(10 * time.Second)
	var text string
	for time.Now().Before(deadline) {
		b, _ := os.ReadFile(logFile)
		if text = string(b); strings.Contains(text, "Unsolicited response received on idle HTTP channel") {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	restore()
	if !strings.Contains(text, "Unsolicited response received on idle HTTP channel") {
		t.Fatalf("the HTTP library's message is not in %s:\n%s", logFile, text)
	}
	if log.Writer() != os.Stderr {
		t.Fatal("the standard log was not put back")
	}
}

// Cloudreel collects sooner than Go's default, unless GOGC says
// otherwise.
func TestCollectSooner(t *testing.T) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	collectSooner(func(string) string { return "" })
	if got := debug.SetGCPercent(100); got != gcPercent {
		t.Errorf("without GOGC the collector's percent is %d, want %d", got, gcPercent)
	}
	collectSooner(func(name string) string {
		if name == "GOGC" {
			return "200"
		}
		return ""
	})
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC set, collectSooner changed the percent to %d", got)
	}
}

//go:build !windows

package instance

import (
	"net"
	"os"
	"path/filepath"
	"testing"
)

// leaveStaleEndpoint leaves a socket file with nobody listening, as a
// killed Cloudreel does.
func leaveStaleEndpoint(t *testing.T, dir string) {
	ln, err := net.Listen("unix", filepath.Join(dir, socketName))
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	if _, err := os.Stat(filepath.Join(dir, socketName)); err != nil {
		t.Fatalf("the stale socket is not there: %v", err)
	}
}

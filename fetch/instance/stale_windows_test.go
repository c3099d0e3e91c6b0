//go:build windows

package instance

import (
	"os"
	"path/filepath"
	"testing"
)

// leaveStaleEndpoint leaves a port file naming a port nobody listens on,
// as a killed Cloudreel does.
func leaveStaleEndpoint(t *testing.T, dir string) {
	if err := os.WriteFile(filepath.Join(dir, portName), []byte("127.0.0.1:1 abc\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

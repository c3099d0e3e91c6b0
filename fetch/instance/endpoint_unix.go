//go:build !windows

package instance

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
)

// socketName is the Unix socket in the data folder.
const socketName = "cloudreel.sock"

// listen binds the socket. Binding fails while the file exists, so of two
// starts at the same moment only one listens. The socket is the user's
// own (0600 in the user's data folder): no token is needed.
func listen(dir string) (net.Listener, string, func(), error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, "", nil, fmt.Errorf("making the data folder: %w", err)
	}
	path := filepath.Join(dir, socketName)
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, "", nil, err
	}
	ul := ln.(*net.UnixListener)
	ul.SetUnlinkOnClose(true)
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, "", nil, fmt.Errorf("keeping the one-Cloudreel socket private: %w", err)
	}
	return ln, "", nil, nil
}

func dial(dir string) (net.Conn, string, error) {
	c, err := net.DialTimeout("unix", filepath.Join(dir, socketName), askTimeout)
	return c, "", err
}

// removeStale removes a socket nobody listens on any more.
func removeStale(dir string) { _ = os.Remove(filepath.Join(dir, socketName)) }

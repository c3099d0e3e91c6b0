//go:build windows

package instance

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
)

// portName is the file with the loopback port and the token, in the
// user's own application data folder (which only the user can read).
const portName = "cloudreel.port"

// listen listens on a loopback port and writes its address and a fresh
// token to the port file. The file is created exclusively, so that of two
// starts at the same moment only one listens.
func listen(dir string) (net.Listener, string, func(), error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, "", nil, fmt.Errorf("making the data folder: %w", err)
	}
	path := filepath.Join(dir, portName)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, "", nil, err
	}
	token, err := newToken()
	if err != nil {
		f.Close()
		os.Remove(path)
		return nil, "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		f.Close()
		os.Remove(path)
		return nil, "", nil, fmt.Errorf("listening for a second Cloudreel: %w", err)
	}
	_, err = fmt.Fprintf(f, "%s %s\n", ln.Addr().String(), token)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		ln.Close()
		os.Remove(path)
		return nil, "", nil, fmt.Errorf("writing the one-Cloudreel file: %w", err)
	}
	return ln, token, func() { os.Remove(path) }, nil
}

func dial(dir string) (net.Conn, string, error) {
	data, err := os.ReadFile(filepath.Join(dir, portName))
	if err != nil {
		return nil, "", err
	}
	addr, token, ok := strings.Cut(strings.TrimSpace(string(data)), " ")
	host, _, herr := net.SplitHostPort(addr)
	if !ok || herr != nil || host != "127.0.0.1" {
		return nil, "", errors.New("the one-Cloudreel file is damaged")
	}
	c, err := net.DialTimeout("tcp", addr, askTimeout)
	return c, token, err
}

// removeStale removes a port file nobody listens on any more.
func removeStale(dir string) { _ = os.Remove(filepath.Join(dir, portName)) }

// newToken is a random secret a later start must present.
func newToken() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("making the secret for the one-Cloudreel check: %w", err)
	}
	return hex.EncodeToString(b), nil
}

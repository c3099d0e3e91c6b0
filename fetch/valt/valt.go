// Package valt is the connector for Valt (IPIVS), the on-premises
// recording system: sign-in with a user name and password, records listed
// by date, a 30-minute download link per video.
package valt

import (
	"errors"
	"net/http"
)

// Config is what a Valt account needs to connect.
type Config struct {
	Server   string       // the Valt host, e.g. https://valt.school.edu
	Username string       // not secret
	Password string       // secret
	Pin      string       // SHA-256 fingerprint of a trusted self-signed certificate, or ""
	HTTP     *http.Client // optional; tests pass the simulator's client
}

// Connector talks to one Valt account.
type Connector struct{ cfg Config }

// New returns a connector for cfg. It does not sign in: Check does.
func New(cfg Config) (*Connector, error) { return nil, errors.New("valt: not built yet") }

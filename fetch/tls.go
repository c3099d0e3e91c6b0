package fetch

import (
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

// PinError says a server presented a certificate other than the pinned one
// (and one that is not otherwise trusted for the host dialled).
type PinError struct{ Want, Got string }

func (e *PinError) Error() string {
	return fmt.Sprintf("certificate fingerprint %s does not match the trusted %s", e.Got, e.Want)
}

// PinnedTransport returns an HTTP transport that trusts the system's
// authorities and, in addition, exactly the certificate whose fingerprint
// is pin (when pin is not empty). Verification is never switched off: a
// server with an unknown certificate and no matching pin is refused, and a
// certificate from a trusted authority must be for the host dialled, be it
// a name or an IP address.
func PinnedTransport(pin string) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	if pin == "" {
		return t
	}
	want := strings.ToUpper(strings.TrimSpace(pin))
	t.TLSClientConfig = &tls.Config{
		// The standard verification runs in verifyPinned, so that a pinned
		// self-signed certificate can stand in for it.
		InsecureSkipVerify: true, //nolint:gosec // verification is done in VerifyConnection
		// Used only for a server reached through a proxy's tunnel, where
		// the transport does the handshake itself: the connection state
		// names the host only when it is a name (an IP address is not sent
		// in SNI), so a server given by IP address must match the pin.
		VerifyConnection: func(cs tls.ConnectionState) error { return verifyPinned(cs, cs.ServerName, want) },
	}
	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	// A direct connection does its handshake here, where the host dialled
	// is known whatever it is: the connection state alone does not say it.
	t.DialTLSContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, fmt.Errorf("reading the address %s: %w", addr, err)
		}
		raw, err := dialer.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		// Read at dial time: the transport adds its protocols (HTTP/2) to
		// the config on first use.
		cfg := t.TLSClientConfig.Clone()
		cfg.ServerName = host
		cfg.VerifyConnection = func(cs tls.ConnectionState) error { return verifyPinned(cs, host, want) }
		conn := tls.Client(raw, cfg)
		hctx, cancel := context.WithTimeout(ctx, cmp.Or(t.TLSHandshakeTimeout, 10*time.Second))
		defer cancel()
		if err := conn.HandshakeContext(hctx); err != nil {
			_ = raw.Close()
			return nil, err
		}
		return conn, nil
	}
	return t
}

// verifyPinned accepts the server's certificate when it is the pinned one
// (want), or else when the system's authorities vouch for it for host.
// An empty host (unknown) leaves only the pin.
func verifyPinned(cs tls.ConnectionState, host, want string) error {
	if len(cs.PeerCertificates) == 0 {
		return errors.New("the server sent no certificate")
	}
	leaf := cs.PeerCertificates[0]
	got := Fingerprint(leaf)
	if got == want {
		return nil
	}
	if host == "" {
		return &PinError{Want: want, Got: got}
	}
	opts := x509.VerifyOptions{DNSName: host, Intermediates: x509.NewCertPool()}
	for _, c := range cs.PeerCertificates[1:] {
		opts.Intermediates.AddCert(c)
	}
	if _, err := leaf.Verify(opts); err != nil {
		return &PinError{Want: want, Got: got}
	}
	return nil
}

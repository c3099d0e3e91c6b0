package fetch

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testCert is a certificate made for a test and, when it has one, the
// authority that signed it.
type testCert struct {
	tls  tls.Certificate
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

// makeCert makes a certificate for names (DNS names or IP addresses),
// signed by ca, or self-signed when ca is nil; isCA makes an authority.
func makeCert(t *testing.T, ca *testCert, isCA bool, names ...string) *testCert {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "test " + strings.Join(names, " ")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if isCA {
		tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
		tmpl.KeyUsage |= x509.KeyUsageCertSign
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	parent, signer := tmpl, key
	if ca != nil {
		parent, signer = ca.cert, ca.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	chain := [][]byte{der}
	if ca != nil {
		chain = append(chain, ca.cert.Raw)
	}
	return &testCert{tls: tls.Certificate{Certificate: chain, PrivateKey: key}, cert: cert, key: key}
}

// serveTLS serves 200 OK with c on 127.0.0.1 and returns the port.
func serveTLS(t *testing.T, c *testCert) string {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, "hello")
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{c.tls}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are the point
	srv.StartTLS()
	t.Cleanup(srv.Close)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	return port
}

// The pin lets exactly one certificate stand in for the system's
// authorities. Any other must be vouched for by an authority for the host
// actually dialled: a certificate for evil.example served at 127.0.0.1 is
// refused. The authority is made here and trusted through SSL_CERT_FILE in
// a child process (the system's pool is read once per process).
func TestPinnedTransportChecksTheHostDialled(t *testing.T) {
	ca := makeCert(t, nil, true, "Cloudreel Test CA")
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.cert.Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	evil := serveTLS(t, makeCert(t, ca, false, "evil.example"))
	forIP := serveTLS(t, makeCert(t, ca, false, "127.0.0.1"))
	forName := serveTLS(t, makeCert(t, ca, false, "localhost"))
	selfSigned := makeCert(t, nil, false, "valt.school.internal")
	pinned := serveTLS(t, selfSigned)
	pin := Fingerprint(selfSigned.cert)
	otherPin := Fingerprint(makeCert(t, nil, false, "other.example").cert)

	cases := []struct {
		name, url, pin, want string
	}{
		{"CA-signed for another host, at an IP", "https://127.0.0.1:" + evil, pin, "refused"},
		{"CA-signed for another host, at a name", "https://localhost:" + evil, pin, "refused"},
		{"CA-signed for the IP", "https://127.0.0.1:" + forIP, otherPin, "ok"},
		{"CA-signed for the name", "https://localhost:" + forName, otherPin, "ok"},
		{"pinned self-signed, at an IP", "https://127.0.0.1:" + pinned, pin, "ok"},
		{"pinned self-signed, at a name", "https://localhost:" + pinned, pin, "ok"},
		{"self-signed with another pin", "https://127.0.0.1:" + pinned, otherPin, "refused"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestPinnedTransportProbe$", "-test.v")
			cmd.Env = append(os.Environ(), "SSL_CERT_FILE="+caFile, "SSL_CERT_DIR="+t.TempDir(),
				"CLOUDREEL_PROBE_URL="+tc.url, "CLOUDREEL_PROBE_PIN="+tc.pin)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("probe failed: %v\n%s", err, out)
			}
			got := "unknown"
			for line := range strings.Lines(string(out)) {
				if v, ok := strings.CutPrefix(strings.TrimSpace(line), "probe: "); ok {
					got = v
				}
			}
			if !strings.HasPrefix(got, tc.want) {
				t.Errorf("got %q, want %s", got, tc.want)
			}
		})
	}
}

// TestPinnedTransportProbe is the child of
// TestPinnedTransportChecksTheHostDialled: it calls one server with one pin
// and prints what happened.
func TestPinnedTransportProbe(t *testing.T) {
	url := os.Getenv("CLOUDREEL_PROBE_URL")
	if url == "" {
		t.Skip("run by TestPinnedTransportChecksTheHostDialled")
	}
	hc := &http.Client{Transport: PinnedTransport(os.Getenv("CLOUDREEL_PROBE_PIN")), Timeout: 10 * time.Second}
	resp, err := hc.Get(url)
	var pe *PinError
	switch {
	case errors.As(err, &pe):
		fmt.Println("probe: refused", pe.Got)
	case err != nil:
		fmt.Println("probe: error", err)
	default:
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println("probe: ok", resp.Status, string(body))
	}
}

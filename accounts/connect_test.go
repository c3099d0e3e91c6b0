package accounts

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

func TestExplain(t *testing.T) {
	valtAcct := Account{Platform: fetch.Valt, Name: "School", Server: "https://valt.school.example:8443", Username: "office"}
	hwApp := Account{Platform: fetch.Huawei, Name: "HW", AppID: "app", UserID: "u", CorpID: "c"}
	hwAcct := Account{Platform: fetch.Huawei, Name: "HW", HuaweiAccount: "admin@corp"}
	zoom := Account{Platform: fetch.ZoomSDK, Name: "Z", APIKey: "k"}
	ibm := Account{Platform: fetch.IBMVideo, Name: "I", ClientID: "c"}

	// A real refused connection, from a port nothing listens on.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	_, refused := net.Dial("tcp", addr)
	if refused == nil {
		t.Skip("a closed port accepted a connection")
	}

	dnsErr := &net.DNSError{Err: "no such host", Name: "valt.school.example", IsNotFound: true}
	const fp = "AB:CD:EF"
	cases := []struct {
		name string
		a    Account
		err  error
		want []string
	}{
		{"valt wrong password", valtAcct, fetch.Errorf(fetch.KindAuth, nil, "x"), []string{`user name "office"`, "password"}},
		{"ibm wrong secret", ibm, fetch.Errorf(fetch.KindAuth, nil, "x"), []string{"client ID", "client secret"}},
		{"zoom wrong secret", zoom, fetch.Errorf(fetch.KindAuth, nil, "x"), []string{"API key", "API secret"}},
		{"huawei app wrong key", hwApp, fetch.Errorf(fetch.KindAuth, nil, "x"), []string{"App ID", "app key"}},
		{"huawei wrong password", hwAcct, fetch.Errorf(fetch.KindAuth, nil, "x"), []string{`"admin@corp"`, "password"}},
		{"huawei not admin", hwAcct, fetch.Errorf(fetch.KindPermission, nil, "x"), []string{"administrators"}},
		{"zoom no permission", zoom, fetch.Errorf(fetch.KindPermission, nil, "x"), []string{"not allowed", "Ask an administrator"}},
		{"untrusted", valtAcct, &fetch.Error{Kind: fetch.KindUntrusted, Fingerprint: fp}, []string{"valt.school.example:8443", "not trusted", fp, "IT staff"}},
		{"pin changed", func() Account { a := valtAcct; a.Pin = "11:22"; return a }(), &fetch.Error{Kind: fetch.KindUntrusted, Fingerprint: fp}, []string{"changed", fp}},
		{"no such host", valtAcct, fetch.Errorf(fetch.KindUnreachable, fetch.Redacted(dnsErr), "x"), []string{"no server called valt.school.example:8443", "typos"}},
		{"refused", valtAcct, fetch.Errorf(fetch.KindUnreachable, refused, "x"), []string{"Nothing answers", "server address"}},
		{"bare refused", valtAcct, fmt.Errorf("login: %w", refused), []string{"Nothing answers"}},
		{"server trouble", zoom, fetch.Errorf(fetch.KindUnreachable, nil, "The server had a problem (503 Service Unavailable)."), []string{"503", "Try again later"}},
		{"wrong server", zoom, fetch.Errorf(fetch.KindNotFound, nil, "x"), []string{"api.zoom.us", "does not answer like a server of Zoom Video SDK", "server address"}},
		{"wrong IBM server", ibm, fetch.Errorf(fetch.KindInvalid, nil, "x"), []string{"does not answer like a server of IBM Video Streaming"}},
		{"slow down", ibm, &fetch.Error{Kind: fetch.KindRateLimited}, []string{"slow down", "Wait a minute"}},
		{"timeout", ibm, context.DeadlineExceeded, []string{"api.video.ibm.com did not answer in time"}},
		{"no secret", zoom, fmt.Errorf("reading: %w", ErrNotFound), []string{"no saved API secret for Z"}},
		{"keyring", zoom, &KeyringError{Op: "read", Err: errors.New("dbus: closed")}, []string{"password store (keyring)"}},
	}
	for _, c := range cases {
		got := Explain(c.a, c.err)
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: Explain = %q, want it to contain %q", c.name, got, w)
			}
		}
		// Through CheckError, fetch.Plain (what the CLI prints) says the same.
		if p := fetch.Plain(fmt.Errorf("adding: %w", &CheckError{Account: c.a, Err: c.err})); p != got {
			t.Errorf("%s: fetch.Plain = %q, want Explain's %q", c.name, p, got)
		}
	}
}

func TestCheckErrorKeepsTheCause(t *testing.T) {
	cause := &fetch.Error{Kind: fetch.KindUntrusted, Fingerprint: "AA:BB"}
	err := error(&CheckError{Account: Account{Name: "V"}, Err: cause})
	var fe *fetch.Error
	if !errors.As(err, &fe) || fe.Fingerprint != "AA:BB" {
		t.Fatalf("errors.As did not find the fetch.Error with its fingerprint in %v", err)
	}
}

// simAccounts are accounts of each platform on the simulator at base,
// with the secret the simulator accepts.
func simAccounts(s *sim.Server) ([]Account, []string) {
	c := sim.DefaultCredentials
	return []Account{
			{Platform: fetch.Valt, Name: "Valt", Server: s.BaseURL(fetch.Valt), Username: c.ValtUser},
			{Platform: fetch.IBMVideo, Name: "IBM", Server: s.BaseURL(fetch.IBMVideo), ClientID: c.IBMClientID},
			{Platform: fetch.ZoomSDK, Name: "Zoom", Server: s.BaseURL(fetch.ZoomSDK), APIKey: c.ZoomKey},
			{Platform: fetch.Huawei, Name: "Huawei", Server: s.BaseURL(fetch.Huawei), HuaweiAccount: c.HuaweiAccount},
			{Platform: fetch.Huawei, Name: "Huawei app", Server: s.BaseURL(fetch.Huawei), AppID: c.HuaweiAppID, UserID: c.HuaweiUserID, CorpID: c.HuaweiCorp},
		}, []string{
			c.ValtPassword, c.IBMSecret, c.ZoomSecret, c.HuaweiPwd, c.HuaweiKey,
		}
}

// skipUnbuilt skips a platform whose connector is still a placeholder.
func skipUnbuilt(t *testing.T, err error) {
	t.Helper()
	if err != nil && strings.Contains(err.Error(), "not built yet") {
		t.Skipf("the connector is not built yet: %v", err)
	}
}

func TestConnectionTestAgainstSimulator(t *testing.T) {
	mockKeyring(t)
	srv := sim.New(sim.Config{Recordings: 3})
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	srv.SetURL(ts.URL)
	st := openStore(t, t.TempDir(), NewSecrets())
	st.SetHTTPClient(ts.Client())
	ctx := context.Background()
	accts, secrets := simAccounts(srv)
	for i, a := range accts {
		t.Run(a.Name, func(t *testing.T) {
			err := st.Test(ctx, a, "wrong-"+secrets[i])
			skipUnbuilt(t, err)
			var ce *CheckError
			if !errors.As(err, &ce) || fetch.KindOf(err) != fetch.KindAuth {
				t.Fatalf("Test with a wrong secret: %v, want a CheckError of KindAuth", err)
			}
			if msg := fetch.Plain(err); !strings.Contains(msg, "did not accept") || strings.Contains(msg, secrets[i]) {
				t.Errorf("wrong secret: message %q", msg)
			}
			if err := st.Test(ctx, a, secrets[i]); err != nil {
				t.Fatalf("Test with the right secret: %v (%s)", err, fetch.Plain(err))
			}
			// Saved, the connector comes from the keyring's secret.
			saved, err := st.Add(ctx, a, secrets[i])
			if err != nil {
				t.Fatal(err)
			}
			c, err := st.Connector(ctx, saved)
			if err != nil {
				t.Fatal(err)
			}
			if c.Platform() != a.Platform {
				t.Errorf("Connector of %s is for %s", a.Platform, c.Platform())
			}
			if err := c.Check(ctx); err != nil {
				t.Errorf("Check of the saved account: %v", err)
			}
			if err := st.Test(ctx, saved, ""); err != nil {
				t.Errorf("Test of the saved account with its saved secret: %v", err)
			}
		})
	}
}

func TestConnectionTestUntrustedValt(t *testing.T) {
	mockKeyring(t)
	srv := sim.New(sim.Config{Recordings: 3})
	ts := httptest.NewTLSServer(srv.Handler())
	t.Cleanup(ts.Close)
	srv.SetURL(ts.URL)
	st := openStore(t, t.TempDir(), NewSecrets())
	ctx := context.Background()
	a := Account{Platform: fetch.Valt, Name: "Valt", Server: srv.BaseURL(fetch.Valt), Username: sim.DefaultCredentials.ValtUser}

	err := st.Test(ctx, a, sim.DefaultCredentials.ValtPassword)
	skipUnbuilt(t, err)
	want := fetch.Fingerprint(ts.Certificate())
	var fe *fetch.Error
	if !errors.As(err, &fe) || fe.Kind != fetch.KindUntrusted || fe.Fingerprint != want {
		t.Fatalf("Test on a self-signed server: %v, want KindUntrusted with fingerprint %s", err, want)
	}
	if msg := fetch.Plain(err); !strings.Contains(msg, want) || !strings.Contains(msg, "not trusted") {
		t.Errorf("message %q does not give the fingerprint to compare", msg)
	}
	a.Pin = want
	if err := st.Test(ctx, a, sim.DefaultCredentials.ValtPassword); err != nil {
		t.Fatalf("Test with the certificate pinned: %v", err)
	}
	// A client set on the store (a proxy, tests) must not bypass the pin.
	st.SetHTTPClient(&http.Client{Timeout: 10 * time.Second})
	if err := st.Test(ctx, a, sim.DefaultCredentials.ValtPassword); err != nil {
		t.Fatalf("Test with the certificate pinned and a client of the store's own: %v", err)
	}
}

func TestConnectorWithoutSecret(t *testing.T) {
	mockKeyring(t)
	st := openStore(t, t.TempDir(), NewSecrets())
	_, err := st.Connector(context.Background(), Account{ID: "never-saved", Platform: fetch.ZoomSDK, Name: "Z", APIKey: "k"})
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("Connector without a saved secret: %v, want ErrNotFound", err)
	}
}

package accounts

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"syscall"
	"time"

	"fyne.io/fyne/v2/lang"

	"cloudreel/fetch"
	"cloudreel/fetch/huawei"
	"cloudreel/fetch/ibmvideo"
	"cloudreel/fetch/locale"
	"cloudreel/fetch/valt"
	"cloudreel/fetch/zoomsdk"
)

// Connector reads the account's secret (keyring or this session) and
// returns the platform's connector for it. It does not sign in: the
// connector's Check or first List does.
func (s *Store) Connector(ctx context.Context, a Account) (fetch.Connector, error) {
	secret, err := s.secrets.Get(ctx, a.ID)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", lang.L("reading the {{.Secret}} of {{.Name}}", map[string]any{"Secret": SecretName(a), "Name": a.Name}), err)
	}
	return s.connect(a, secret)
}

// Test is "Test connection": it signs in with a and secret and lists one
// page (the connector's Check). An empty secret means the saved one of
// a.ID. A server that stays silent for the store's Timeouts fails the
// test with a plain KindUnreachable error. A failure is a *CheckError, whose Plain sentence says what went
// wrong and what to do next; the *fetch.Error inside carries the
// certificate fingerprint when the server was not trusted.
func (s *Store) Test(ctx context.Context, a Account, secret string) error {
	a = a.Normalize()
	if err := a.Validate(); err != nil {
		return err
	}
	if secret == "" {
		if a.ID == "" {
			return errors.New(lang.L("enter the {{.Secret}} of {{.Name}}", map[string]any{"Secret": SecretName(a), "Name": a.Name}))
		}
		var err error
		if secret, err = s.secrets.Get(ctx, a.ID); err != nil {
			return &CheckError{Account: a, Err: err}
		}
	}
	fetch.AddSecret(secret)
	c, err := s.connect(a, secret)
	if err != nil {
		return err
	}
	wctx, w, stop := s.watch(ctx, a)
	defer stop()
	if err := c.Check(wctx); err != nil {
		return &CheckError{Account: a, Err: w.explain(wctx, err)}
	}
	return nil
}

// connect builds the platform's connector. a.Server is passed as stored
// (empty for the platform's default) so that each connector applies the
// defaults that go with it.
func (s *Store) connect(a Account, secret string) (fetch.Connector, error) {
	return s.connectVia(a, secret, s.httpClient(), false)
}

// ConnectorThrough is Connector with every request the connector makes
// going through wrap(transport), for `cloudreel doctor` to write down what
// the platform answers. A Valt pin still holds: then the pinned transport
// is what wrap wraps.
func (s *Store) ConnectorThrough(ctx context.Context, a Account, wrap func(http.RoundTripper) http.RoundTripper) (fetch.Connector, error) {
	secret, err := s.secrets.Get(ctx, a.ID)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", lang.L("reading the {{.Secret}} of {{.Name}}", map[string]any{"Secret": SecretName(a), "Name": a.Name}), err)
	}
	hc := &http.Client{Timeout: 60 * time.Second}
	var next http.RoundTripper
	if base := s.httpClient(); a.Platform == fetch.Valt && a.Pin != "" {
		next = fetch.PinnedTransport(a.Pin)
	} else if base != nil {
		*hc = *base
		next = base.Transport
	}
	if next == nil {
		next = http.DefaultTransport
	}
	hc.Transport = wrap(next)
	return s.connectVia(a, secret, hc, true)
}

// connectVia builds the connector on hc; pinned says hc already carries
// the account's Valt pin.
func (s *Store) connectVia(a Account, secret string, hc *http.Client, pinned bool) (fetch.Connector, error) {
	var (
		c   fetch.Connector
		err error
	)
	switch a.Platform {
	case fetch.Valt:
		vh := hc
		if a.Pin != "" && !pinned {
			vh = nil // the connector builds the pinned client itself; a given client would bypass the pin
		}
		c, err = nilIfErr(valt.New(valt.Config{Server: a.Server, Username: a.Username, Password: secret, Pin: a.Pin, HTTP: vh}))
	case fetch.IBMVideo:
		c, err = nilIfErr(ibmvideo.New(ibmvideo.Config{Server: a.Server, TokenURL: a.TokenURL, ClientID: a.ClientID, ClientSecret: secret, HTTP: hc}))
	case fetch.ZoomSDK:
		c, err = nilIfErr(zoomsdk.New(zoomsdk.Config{Server: a.Server, APIKey: a.APIKey, APISecret: secret, HTTP: hc}))
	case fetch.Huawei:
		cfg := huawei.Config{Server: a.Server, HTTP: hc}
		if a.HuaweiAccount != "" {
			cfg.Account, cfg.Password = a.HuaweiAccount, secret
		} else {
			cfg.AppID, cfg.AppKey, cfg.UserID, cfg.CorpID = a.AppID, secret, a.UserID, a.CorpID
		}
		c, err = nilIfErr(huawei.New(cfg))
	default:
		_, err = ParsePlatform(string(a.Platform))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", lang.L("setting up the {{.Platform}} connection of {{.Name}}", map[string]any{"Platform": a.Platform.Name(), "Name": a.Name}), err)
	}
	return c, nil
}

// nilIfErr turns a typed connector into the interface, keeping a nil
// pointer from becoming a non-nil interface.
func nilIfErr[C fetch.Connector](c C, err error) (fetch.Connector, error) {
	if err != nil {
		return nil, err
	}
	return c, nil
}

// CheckError is a failed connection test of Account.
type CheckError struct {
	Account Account
	Err     error // the cause: a *fetch.Error, a keyring error, ...
}

// Error is the detailed message, for logs; people read Plain.
func (e *CheckError) Error() string {
	return fmt.Sprintf("testing the connection of %s: %v", e.Account.Name, fetch.Redacted(e.Err))
}

// Unwrap gives errors.As the *fetch.Error (and its Fingerprint).
func (e *CheckError) Unwrap() error { return e.Err }

// Plain is the sentence for people (fetch.Plain uses it): Explain.
func (e *CheckError) Plain() string { return Explain(e.Account, e.Err) }

// Explain turns an error from signing in to account a into one or two
// sentences: what went wrong, in the platform's own words for its
// credentials, and what to do next.
func Explain(a Account, err error) string {
	if err == nil {
		return ""
	}
	host := hostOf(a.ServerURL())
	var ke *KeyringError
	switch {
	case errors.As(err, &ke):
		return ke.Plain()
	case errors.Is(err, ErrNotFound):
		return lang.L("Cloudreel has no saved {{.Secret}} for {{.Name}}: enter it again in the account's settings.", map[string]any{"Secret": SecretName(a), "Name": a.Name})
	case errors.Is(err, context.Canceled):
		return lang.L("The connection test was stopped.")
	case errors.Is(err, context.DeadlineExceeded):
		return lang.L("{{.Host}} did not answer in time. Check the internet connection and the server address, then try again.", map[string]any{"Host": host})
	}
	var fe *fetch.Error
	if !errors.As(err, &fe) {
		// A connector that returned a bare network or TLS error.
		if te := fetch.TLSError(err); te != nil {
			fe = te
		} else if isNetwork(err) {
			fe = &fetch.Error{Kind: fetch.KindUnreachable, Err: err}
		} else {
			return fetch.Plain(err)
		}
	}
	switch fe.Kind {
	case fetch.KindAuth:
		return explainAuth(a)
	case fetch.KindPermission:
		if a.Platform == fetch.Huawei {
			return lang.L("Signed in, but this Huawei Cloud Meeting account may not download recordings: only enterprise administrators can, once Huawei has enabled it for the enterprise. Ask your administrator.")
		}
		return lang.L("Signed in, but this account is not allowed to see recordings on {{.Platform}}. Ask an administrator to give it access to recordings.", map[string]any{"Platform": a.Platform.Name()})
	case fetch.KindUntrusted:
		return explainUntrusted(a, host, fe)
	case fetch.KindUnreachable:
		return explainUnreachable(host, fe)
	case fetch.KindNotFound, fetch.KindInvalid, fetch.KindBadBody:
		return lang.L("{{.Host}} does not answer like a server of {{.Platform}}. Check the server address.", map[string]any{"Host": host, "Platform": a.Platform.Name()})
	case fetch.KindRateLimited:
		return lang.L("{{.Platform}} asked Cloudreel to slow down. Wait a minute and test again.", map[string]any{"Platform": a.Platform.Name()})
	}
	return fetch.Plain(err)
}

func explainAuth(a Account) string {
	switch a.Platform {
	case fetch.Valt:
		return lang.L("Valt did not accept the user name \"{{.User}}\" with this password. Check both (as you type them on the Valt sign-in page) and try again.", map[string]any{"User": a.Username})
	case fetch.IBMVideo:
		return lang.L("IBM Video Streaming did not accept the client ID with this client secret. Copy both again from the API access page of your IBM Video Streaming dashboard.")
	case fetch.ZoomSDK:
		return lang.L("Zoom did not accept the API key with this API secret. Copy both again from your Zoom Video SDK account (its API keys page).")
	case fetch.Huawei:
		if a.AppID != "" {
			return lang.L("Huawei Cloud Meeting did not accept the App ID, app key, user ID and corp ID. Check them against the app's details in the Huawei Cloud Meeting console.")
		}
		return lang.L("Huawei Cloud Meeting did not accept the account \"{{.Account}}\" with this password. Check both and try again.", map[string]any{"Account": a.HuaweiAccount})
	}
	return lang.L("The sign-in was not accepted. Check the account's settings.")
}

func explainUntrusted(a Account, host string, fe *fetch.Error) string {
	var pe *fetch.PinError
	if errors.As(fe, &pe) || (a.Pin != "" && fe.Fingerprint != "" && fe.Fingerprint != a.Pin) {
		return lang.L("The certificate of {{.Host}} changed since you chose to trust it; its fingerprint is now {{.Fingerprint}}. Ask your IT staff whether it was renewed, and trust it again only if they confirm this fingerprint.", map[string]any{"Host": host, "Fingerprint": fe.Fingerprint})
	}
	if fe.Fingerprint == "" {
		return lang.L("The certificate of {{.Host}} is not trusted. Ask your IT staff for the server's certificate.", map[string]any{"Host": host})
	}
	return lang.L("The certificate of {{.Host}} is not trusted (servers in schools and clinics often have their own). Its fingerprint is {{.Fingerprint}}: compare it with the one your IT staff give you, and trust this server only if they match.", map[string]any{"Host": host, "Fingerprint": fe.Fingerprint})
}

func explainUnreachable(host string, fe *fetch.Error) string {
	var dns *net.DNSError
	switch {
	case errors.As(fe, &dns) && dns.IsNotFound:
		return lang.L("There is no server called {{.Host}}. Check the server address for typos.", map[string]any{"Host": host})
	case errors.Is(fe, syscall.ECONNREFUSED):
		return lang.L("Nothing answers at {{.Host}}. Check the server address (and its port, if it has one), or ask your IT staff whether the server is running.", map[string]any{"Host": host})
	case !isNetwork(fe) && fe.Message != "":
		// A 5xx: the server was reached and had a problem of its own.
		return locale.Sentences(fe.Message, lang.L("Try again later; if it keeps happening, tell the platform's administrator."))
	}
	return lang.L("Cloudreel could not reach {{.Host}}. Check the internet connection and the server address.", map[string]any{"Host": host})
}

func isNetwork(err error) bool {
	var ne net.Error
	var oe *net.OpError
	return errors.As(err, &ne) || errors.As(err, &oe)
}

// hostOf is the host[:port] of a server address, for sentences; the
// address itself when it does not parse.
func hostOf(server string) string {
	if u, err := url.Parse(server); err == nil && u.Host != "" {
		return u.Host
	}
	return server
}

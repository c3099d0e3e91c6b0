package fetch

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestRedactTokenPatterns(t *testing.T) {
	cases := []struct {
		in     string
		secret string // must be gone from the output
		keep   string // must stay, so the line is still useful
	}{
		{"GET https://valt.example/api/v3/records?access_token=0123456789abcdef0123456789abcdef&offset=20",
			"0123456789abcdef0123456789abcdef", "offset=20"},
		{"GET https://zoom.example/rec/download/abc?ACCESS_TOKEN=eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJrIn0.sig",
			"eyJhbGciOiJIUzI1NiJ9", "/rec/download/abc"},
		{"Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.signature", "eyJhbGciOiJIUzI1NiJ9", "Authorization"},
		{"authorization=Basic YWRtaW5AZGVtbzpodWF3ZWktZGVtbw==", "YWRtaW5AZGVtbzpodWF3ZWktZGVtbw==", "Basic"},
		{`Authorization: HMAC-SHA256 signature=4f1d2c3b4a5968778695a4b3c2d1e0f`, "4f1d2c3b4a5968778695a4b3c2d1e0f", "HMAC-SHA256"},
		{"X-Access-Token: cnr1a2b3c4d5e6f7g8h9", "cnr1a2b3c4d5e6f7g8h9", "X-Access-Token"},
		{`{"accessToken":"cnr-from-a-json-body","expireTime":123}`, "cnr-from-a-json-body", "expireTime"},
		{`{"access_token":"ibm-token-value","expires_in":86400}`, "ibm-token-value", "expires_in"},
		{"POST /oauth2/token grant_type=client_credentials&client_secret=ibm-client-secret-x", "ibm-client-secret-x", "grant_type=client_credentials"},
	}
	for _, c := range cases {
		got := Redact(c.in)
		if strings.Contains(got, c.secret) {
			t.Errorf("Redact(%q) = %q: the token is still there", c.in, got)
		}
		if !strings.Contains(got, c.keep) || !strings.Contains(got, "***") {
			t.Errorf("Redact(%q) = %q: want %q kept and *** in place of the token", c.in, got, c.keep)
		}
	}
}

func TestRedactHeadersAsGoPrintsThem(t *testing.T) {
	h := http.Header{}
	h.Set("Authorization", "Bearer header-bearer-token-1")
	h.Set("X-Access-Token", "huawei-access-token-2")
	u, _ := url.Parse("https://valt.example/api/v3/records/download/1/2?access_token=valt-token-3")
	asJSON, _ := json.Marshal(h)
	line := fmt.Sprintf("request %s headers %v json %s", u, h, asJSON)
	got := Redact(line)
	for _, s := range []string{"header-bearer-token-1", "huawei-access-token-2", "valt-token-3"} {
		if strings.Contains(got, s) {
			t.Errorf("%q survived in %q", s, got)
		}
	}
}

func TestRedactRegisteredSecrets(t *testing.T) {
	AddSecret("registered-api-secret-77")
	AddSecret("abc") // too short: masking it would garble ordinary words
	got := Redact("signing with registered-api-secret-77 for abc news")
	if got != "signing with *** for abc news" {
		t.Errorf("Redact = %q", got)
	}
	err := fmt.Errorf("sign-in: %w", errors.New("rejected registered-api-secret-77"))
	red := Redacted(err)
	if strings.Contains(red.Error(), "registered-api-secret-77") {
		t.Errorf("Redacted error shows the secret: %v", red)
	}
	if !errors.Is(red, err) {
		t.Error("Redacted hides the cause from errors.Is")
	}
	if Redacted(nil) != nil {
		t.Error("Redacted(nil) is not nil")
	}
}

func TestRedactingHandler(t *testing.T) {
	AddSecret("handler-secret-password")
	var buf bytes.Buffer
	log := slog.New(RedactingHandler{Next: slog.NewTextHandler(&buf, nil)}).
		With("server", "https://x.example/?access_token=with-attrs-token")
	log.Info("signing in with handler-secret-password",
		"url", "https://valt.example/records?access_token=attr-token-value",
		"err", errors.New("401: Authorization: Bearer error-bearer-token"),
		slog.Group("req", "header", "X-Access-Token: group-token-value"),
		"count", 3)
	out := buf.String()
	for _, s := range []string{"handler-secret-password", "with-attrs-token", "attr-token-value", "error-bearer-token", "group-token-value"} {
		if strings.Contains(out, s) {
			t.Errorf("log line shows %q: %s", s, out)
		}
	}
	if !strings.Contains(out, "count=3") || !strings.Contains(out, "valt.example/records") {
		t.Errorf("the log line lost its ordinary content: %s", out)
	}
}

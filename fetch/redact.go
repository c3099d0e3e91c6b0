package fetch

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
	"sync"
)

// secrets holds values that must never appear in a log line or an error
// shown to a person: passwords, API secrets, tokens. Connectors add every
// secret they learn with AddSecret.
var secrets struct {
	sync.RWMutex
	values map[string]struct{}
}

// AddSecret registers a value to be masked by Redact. Short values (under
// 6 bytes) are not registered: masking them would garble ordinary text.
func AddSecret(s string) {
	if len(s) < 6 {
		return
	}
	secrets.Lock()
	defer secrets.Unlock()
	if secrets.values == nil {
		secrets.values = map[string]struct{}{}
	}
	secrets.values[s] = struct{}{}
}

// The token patterns that are masked even when no connector registered
// them: query parameters and headers that carry credentials.
var tokenPatterns = []*regexp.Regexp{
	regexp.MustCompile(`(?i)((?:access_token|token|signature|password|client_secret)=)[^&\s"']+`),
	// The optional " and [ and the ] kept out of the token cover a header
	// map printed with %v (map[Authorization:[Bearer xyz]]) or as JSON.
	regexp.MustCompile(`(?i)((?:authorization|x-access-token)"?\s*[:=]\s*\[?"?(?:bearer |basic |hmac-sha256 )?)[^\s",\]]+`),
	regexp.MustCompile(`(?i)("(?:access_token|accessToken|token|password|client_secret|refresh_token)"\s*:\s*")[^"]+`),
}

// Redact masks every registered secret and every credential-looking
// query parameter or header in s.
func Redact(s string) string {
	for _, re := range tokenPatterns {
		s = re.ReplaceAllString(s, "${1}***")
	}
	secrets.RLock()
	defer secrets.RUnlock()
	for v := range secrets.values {
		s = strings.ReplaceAll(s, v, "***")
	}
	return s
}

// Redacted wraps err so that its message is redacted, while errors.Is and
// errors.As still see the cause.
func Redacted(err error) error {
	if err == nil {
		return nil
	}
	return &redactedError{err}
}

type redactedError struct{ err error }

func (e *redactedError) Error() string { return Redact(e.err.Error()) }
func (e *redactedError) Unwrap() error { return e.err }

// RedactingHandler is a slog.Handler that masks secrets in every message
// and string attribute before passing the record on.
type RedactingHandler struct{ Next slog.Handler }

// Enabled implements slog.Handler.
func (h RedactingHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.Next.Enabled(ctx, l)
}

// Handle implements slog.Handler.
func (h RedactingHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, Redact(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(redactAttr(a))
		return true
	})
	return h.Next.Handle(ctx, out)
}

// WithAttrs implements slog.Handler.
func (h RedactingHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		red[i] = redactAttr(a)
	}
	return RedactingHandler{h.Next.WithAttrs(red)}
}

// WithGroup implements slog.Handler.
func (h RedactingHandler) WithGroup(name string) slog.Handler {
	return RedactingHandler{h.Next.WithGroup(name)}
}

func redactAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, Redact(v.String()))
	case slog.KindGroup:
		g := v.Group()
		out := make([]any, len(g))
		for i, x := range g {
			out[i] = redactAttr(x)
		}
		return slog.Group(a.Key, out...)
	case slog.KindAny:
		if err, ok := v.Any().(error); ok {
			return slog.String(a.Key, Redact(err.Error()))
		}
		return slog.String(a.Key, Redact(v.String()))
	}
	return a
}

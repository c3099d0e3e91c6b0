package fetch

import (
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2/lang"

	"cloudreel/fetch/locale"
)

// ErrorKind classifies what went wrong so that the window can say it in
// plain words and the queue can decide whether to retry.
type ErrorKind int

// The kinds of error a connector or a download can end in.
const (
	KindUnknown     ErrorKind = iota
	KindAuth                  // wrong credentials
	KindPermission            // signed in, but not allowed
	KindNotFound              // the recording or file is gone
	KindRateLimited           // the platform asks us to slow down
	KindPreparing             // the platform is still generating the file
	KindUnreachable           // network fault, DNS, timeout, 5xx
	KindUntrusted             // TLS certificate not trusted
	KindExpired               // the download link expired or was spent
	KindBadBody               // the server sent something that is not the file
	KindInvalid               // the request or the server's answer makes no sense
)

// Error is a typed error from a connector or a download.
type Error struct {
	Kind    ErrorKind
	Message string        // a sentence a person can read, already in plain words
	Retry   time.Duration // for KindRateLimited and KindPreparing: when to try again
	// Fingerprint is the SHA-256 fingerprint of the certificate that was not
	// trusted (KindUntrusted), for the user to compare and pin.
	Fingerprint string
	Err         error // the underlying cause, for logs
}

func (e *Error) Error() string {
	if e.Err != nil && e.Message == "" {
		return e.Err.Error()
	}
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an *Error of kind with a plain message.
func Errorf(kind ErrorKind, cause error, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...), Err: cause}
}

// NewError builds an *Error of kind with a message already in plain
// words (and in the person's language: lang.L).
func NewError(kind ErrorKind, cause error, message string) *Error {
	return &Error{Kind: kind, Message: message, Err: cause}
}

// KindOf returns the kind of err, or KindUnknown when it carries none.
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindUnknown
}

// Retryable reports whether an attempt that ended in err may be tried again
// after a pause.
func Retryable(err error) bool {
	switch KindOf(err) {
	case KindRateLimited, KindUnreachable, KindPreparing:
		return true
	}
	return false
}

// Plainer is an error that knows its own sentence for people, with more
// context than its kind alone gives (accounts' connection test knows the
// platform and the server). Plain prefers it to everything else.
type Plainer interface {
	error
	Plain() string
}

// Plain turns any error into one sentence for a person: what happened and,
// where there is one, what to do next.
func Plain(err error) string {
	if err == nil {
		return ""
	}
	var p Plainer
	if errors.As(err, &p) {
		return p.Plain()
	}
	var e *Error
	if errors.As(err, &e) {
		switch e.Kind {
		case KindAuth:
			return locale.Sentences(nonEmpty(e.Message, lang.L("The user name or password was not accepted.")), lang.L("Check them in the account's settings."))
		case KindPermission:
			return nonEmpty(e.Message, lang.L("This account is not allowed to do that."))
		case KindNotFound:
			return nonEmpty(e.Message, lang.L("The recording is no longer on the server."))
		case KindRateLimited:
			return locale.Sentences(nonEmpty(e.Message, lang.L("The platform asked us to slow down.")), lang.L("Cloudreel will try again by itself."))
		case KindPreparing:
			return nonEmpty(e.Message, lang.L("The platform is still preparing this file."))
		case KindUnreachable:
			return locale.Sentences(nonEmpty(e.Message, lang.L("The server could not be reached.")), lang.L("Check the internet connection and the server address."))
		case KindUntrusted:
			msg := nonEmpty(e.Message, lang.L("The server's certificate is not trusted."))
			if e.Fingerprint != "" {
				msg = locale.Sentences(msg, lang.L(`Its fingerprint is {{.Fingerprint}}: if your IT staff confirm it, choose "Trust this server".`, map[string]any{"Fingerprint": e.Fingerprint}))
			}
			return msg
		case KindExpired:
			return locale.Sentences(nonEmpty(e.Message, lang.L("The download link expired.")), lang.L("Cloudreel asks for a new one by itself."))
		case KindBadBody:
			return nonEmpty(e.Message, lang.L("The server sent something that is not the video."))
		}
		if e.Message != "" {
			return e.Message
		}
	}
	return err.Error()
}

func nonEmpty(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

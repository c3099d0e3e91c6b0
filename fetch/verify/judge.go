package verify

import (
	"errors"

	"fyne.io/fyne/v2/lang"

	"cloudreel/fetch"
)

// Evidence is what is known of a finished download when it is judged.
type Evidence struct {
	Platform fetch.Platform
	File     fetch.File // as the platform listed it: SHA256, Size, SizeEstimated
	Bytes    int64      // the bytes on disk
	SHA256   string     // hex SHA-256 of the bytes on disk
	// ServerSize is the whole file's length as the file server declared
	// it over the transfer (0: it never said).
	ServerSize int64
	// Container is the result of CheckContainer on the file: nil when it
	// is a playable container.
	Container error
}

// ErrMismatch is wrapped by Judge's error when the bytes on disk are not
// the platform's file: the download is wrong, not merely unproven.
var ErrMismatch = errors.New("the downloaded bytes differ from the platform's file")

// Judge returns the strongest proof that holds for e. With None it also
// says why in plain words; that error wraps ErrMismatch when a proof the
// platform gives was contradicted (a SHA-256 or a size that differs),
// and is nil only when a proof held.
func Judge(e Evidence) (Proof, error) {
	who := ShortName(e.Platform)
	listedSize := e.File.Size > 0 && !e.File.SizeEstimated && TrustsSize(e.Platform)
	if listedSize && e.Bytes != e.File.Size {
		return None, &Failure{Err: ErrMismatch,
			Message: lang.L("The downloaded file has {{.Bytes}} bytes where {{.Platform}} lists {{.Listed}}.", map[string]any{"Bytes": e.Bytes, "Platform": who, "Listed": e.File.Size})}
	}
	if e.File.SHA256 != "" {
		if EqualDigest(e.SHA256, e.File.SHA256) {
			return SHA256, nil
		}
		return None, &Failure{Err: ErrMismatch,
			Message: lang.L("The downloaded file's bytes differ from the file on {{.Platform}}: its SHA-256 does not match the one {{.Short}} gives.", map[string]any{"Platform": e.Platform.Name(), "Short": who})}
	}
	if listedSize {
		return Size, nil
	}
	switch {
	case e.ServerSize <= 0:
		return None, &Failure{Message: lang.L("{{.Platform}}'s server did not say how long the file is, so Cloudreel cannot prove it is whole.", map[string]any{"Platform": who})}
	case e.Bytes != e.ServerSize:
		return None, &Failure{Err: ErrMismatch,
			Message: lang.L("The downloaded file has {{.Bytes}} bytes where {{.Platform}}'s server announced {{.Announced}}.", map[string]any{"Bytes": e.Bytes, "Platform": who, "Announced": e.ServerSize})}
	case e.Container != nil:
		return None, &Failure{Err: e.Container,
			Message: lang.L("{{.Platform}} gives nothing to check the file against, and the file is not a playable video ({{.Why}}).", map[string]any{"Platform": who, "Why": fetch.Plain(e.Container)})}
	}
	return Length, nil
}

// NeedsContainer reports whether judging file f of platform p needs the
// container check: only the Length proof does, when the platform gives no
// SHA-256 and no size it stands by.
func NeedsContainer(p fetch.Platform, f fetch.File) bool {
	return f.SHA256 == "" && (f.Size <= 0 || f.SizeEstimated || !TrustsSize(p))
}

// TrustsSize reports whether a platform's listed size is the file's own,
// exact size: Zoom's file_size and Huawei's fileSize are; IBM lists the
// upload's size, and Valt's sizes are not documented.
func TrustsSize(p fetch.Platform) bool { return p == fetch.ZoomSDK || p == fetch.Huawei }

// Failure says why no proof held, in plain words.
type Failure struct {
	Message string
	Err     error // ErrMismatch, a container error, or nil
}

func (f *Failure) Error() string {
	if f.Err != nil {
		return f.Message + ": " + f.Err.Error()
	}
	return f.Message
}

// Unwrap gives the cause.
func (f *Failure) Unwrap() error { return f.Err }

// Plain is the message alone, for people.
func (f *Failure) Plain() string { return f.Message }

// Package verify holds the proofs that a downloaded file is whole: what
// each platform gives to check a file against (Huawei's SHA-256, Zoom's
// size, the server's length plus a playable container for IBM and Valt),
// the check that a file is a playable MP4 or MOV, the SHA-256 computed
// while a file is written, and a plain sentence for every proof. A file
// is only ever cleaned from the cloud when one of these proofs held.
package verify

import (
	"strings"

	"fyne.io/fyne/v2/lang"

	"cloudreel/fetch"
)

// Proof names what showed a download to be whole. The values are stored
// on disk with the job: keep them stable.
type Proof string

// The proofs, strongest first. None means no proof held: the file may be
// whole, but nothing shows it.
const (
	// SHA256: the SHA-256 of the bytes on disk equals the one the platform
	// lists for the file (Huawei), and so does the size when it lists one.
	SHA256 Proof = "sha256"
	// Size: the bytes on disk are exactly the size the platform lists, and
	// that size is the file's own, not an estimate (Zoom's file_size).
	Size Proof = "size"
	// Length: the file server declared the whole file's length (the
	// Content-Length of a whole answer, or the total of every proven
	// resume's Content-Range), exactly that many bytes are on disk, and
	// they make a playable container (IBM, Valt).
	Length Proof = "length"
	None   Proof = ""
)

// Holds reports whether p is a proof at all.
func (p Proof) Holds() bool { return p == SHA256 || p == Size || p == Length }

// Sentence says in plain words what p proves of a file from platform,
// for a tooltip or a report ("SHA-256 matches Huawei's").
func (p Proof) Sentence(platform fetch.Platform) string {
	who := map[string]any{"Short": ShortName(platform)}
	switch p {
	case SHA256:
		return lang.L("SHA-256 matches {{.Short}}'s", who)
	case Size:
		return lang.L("Size matches the one {{.Short}} lists", who)
	case Length:
		return lang.L("Whole length as {{.Short}}'s server sent it, and a playable video", who)
	}
	return lang.L("Not verified")
}

// ShortName is the name people call a platform by in a short sentence;
// Chinese says 华为 for Huawei, the other names stay as their vendors
// write them.
func ShortName(p fetch.Platform) string {
	switch p {
	case fetch.Valt:
		return "Valt"
	case fetch.IBMVideo:
		return "IBM"
	case fetch.ZoomSDK:
		return "Zoom"
	case fetch.Huawei:
		return lang.L("Huawei")
	}
	return p.Title()
}

// EqualDigest reports whether two hex SHA-256 digests are the same, in
// whatever case each is written; an empty digest equals nothing.
func EqualDigest(a, b string) bool {
	return a != "" && b != "" && strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

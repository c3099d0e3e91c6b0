package verify

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"strings"
)

// containerExts are the extensions of the ISO base media family (MP4,
// M4A, MOV, ...): the files whose boxes CheckContainer can walk.
var containerExts = map[string]bool{"mp4": true, "m4a": true, "m4v": true, "mov": true, "3gp": true}

// HasContainer reports whether files with extension ext (without the
// dot) are containers CheckContainer knows.
func HasContainer(ext string) bool { return containerExts[strings.ToLower(ext)] }

// ContainerError says why a file is not a playable container.
type ContainerError struct{ Reason string }

func (e *ContainerError) Error() string { return "not a playable MP4/MOV: " + e.Reason }

// Plain is the reason in plain words.
func (e *ContainerError) Plain() string { return e.Reason }

// maxBoxes bounds the walk: a fragmented MP4 has a pair of boxes per
// fragment, some thousands in a long recording, never millions.
const maxBoxes = 1 << 20

// CheckContainer walks the top-level boxes of an MP4 or MOV of size bytes
// and returns nil when they make a playable file: every box lies within
// the file, the last one ends exactly at its end, and there is an ftyp
// box first and a moov box (the index a player needs) somewhere. Only box
// headers are read, a few bytes each, however large the file.
func CheckContainer(r io.ReaderAt, size int64) error {
	var hdr [16]byte
	var seenFtyp, seenMoov bool
	off := int64(0)
	for n := 0; off < size; n++ {
		if n >= maxBoxes {
			return &ContainerError{Reason: "it has far more boxes than any video"}
		}
		if size-off < 8 {
			return &ContainerError{Reason: fmt.Sprintf("it ends with %d stray bytes", size-off)}
		}
		if _, err := r.ReadAt(hdr[:8], off); err != nil {
			return fmt.Errorf("reading the file: %w", err)
		}
		boxSize := int64(binary.BigEndian.Uint32(hdr[:4]))
		kind := string(hdr[4:8])
		head := int64(8)
		switch boxSize {
		case 0: // the box runs to the end of the file
			boxSize = size - off
		case 1: // a 64-bit size follows the type
			if size-off < 16 {
				return &ContainerError{Reason: "its last box is cut short"}
			}
			if _, err := r.ReadAt(hdr[8:16], off+8); err != nil {
				return fmt.Errorf("reading the file: %w", err)
			}
			head = 16
			u := binary.BigEndian.Uint64(hdr[8:16])
			if u > uint64(size) {
				return &ContainerError{Reason: fmt.Sprintf("its %q box runs past the end of the file", printable(kind))}
			}
			boxSize = int64(u)
		}
		switch {
		case n == 0 && kind != "ftyp":
			return &ContainerError{Reason: "it does not start with an MP4 file type box"}
		case boxSize < head:
			return &ContainerError{Reason: fmt.Sprintf("its %q box has an impossible size", printable(kind))}
		case boxSize > size-off:
			return &ContainerError{Reason: fmt.Sprintf("its %q box runs past the end of the file: the file is cut short", printable(kind))}
		}
		seenFtyp = seenFtyp || kind == "ftyp"
		seenMoov = seenMoov || kind == "moov"
		off += boxSize
	}
	switch {
	case !seenFtyp:
		return &ContainerError{Reason: "it is empty"}
	case !seenMoov:
		return &ContainerError{Reason: "it has no index (moov box), so players cannot open it"}
	}
	return nil
}

// CheckContainerFile is CheckContainer on the file at path.
func CheckContainerFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	return CheckContainer(f, fi.Size())
}

// printable keeps a box type readable in a message: a random or binary
// type becomes dots.
func printable(kind string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return '.'
		}
		return r
	}, kind)
}

// ContainerOf checks the file at path when its extension is one
// CheckContainer knows, and otherwise says that no check exists (which a
// Length proof cannot do without).
func ContainerOf(path, ext string) error {
	if !HasContainer(ext) {
		return &ContainerError{Reason: fmt.Sprintf("Cloudreel cannot check a .%s file", strings.ToLower(ext))}
	}
	return CheckContainerFile(path)
}

package verify

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cloudreel/fetch"
)

func TestContainerAcceptsRealFiles(t *testing.T) {
	for _, name := range []string{"tiny.mp4", "tiny_faststart.mp4", "tiny_fragmented.mp4", "tiny.mov"} {
		if err := CheckContainerFile(filepath.Join("testdata", name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestContainerRefusesBrokenFiles(t *testing.T) {
	real, err := os.ReadFile(filepath.Join("testdata", "tiny.mp4"))
	if err != nil {
		t.Fatal(err)
	}
	moov := bytes.Index(real, []byte("moov")) - 4
	cases := map[string]struct {
		body []byte
		want string
	}{
		"JSON error body": {[]byte(`{"status":false,"errorCode":124,"errorMessage":"Forbidden"}`), "does not start with an MP4 file type box"},
		"cut short":       {real[:len(real)-100], "runs past the end of the file"},
		"no moov":         {real[:moov], "no index (moov box)"},
		"stray tail":      {append(append([]byte(nil), real...), 1, 2, 3), "stray bytes"},
		"empty":           {nil, "is empty"},
	}
	for name, c := range cases {
		err := CheckContainer(bytes.NewReader(c.body), int64(len(c.body)))
		var ce *ContainerError
		if !errors.As(err, &ce) || !strings.Contains(ce.Plain(), c.want) {
			t.Errorf("%s: got %v, want a ContainerError saying %q", name, err, c.want)
		}
	}
}

func TestContainerOfOtherTypes(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "chat.txt")
	if err := os.WriteFile(p, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := ContainerOf(p, "txt"); err == nil {
		t.Error("a text file passed the container check")
	}
	if err := ContainerOf(filepath.Join("testdata", "tiny.mp4"), "MP4"); err != nil {
		t.Errorf("tiny.mp4 as MP4: %v", err)
	}
}

func digest(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestJudge(t *testing.T) {
	body := []byte("the bytes of a recording")
	sum := digest(body)
	wrong := digest([]byte("the bytes of another one"))
	n := int64(len(body))
	notPlayable := &ContainerError{Reason: "it does not start with an MP4 file type box"}
	cases := []struct {
		name     string
		e        Evidence
		want     Proof
		mismatch bool
	}{
		{"huawei sha256 matches", Evidence{Platform: fetch.Huawei, File: fetch.File{Size: n, SHA256: strings.ToUpper(sum)}, Bytes: n, SHA256: sum}, SHA256, false},
		{"huawei sha256 differs, same size", Evidence{Platform: fetch.Huawei, File: fetch.File{Size: n, SHA256: wrong}, Bytes: n, SHA256: sum}, None, true},
		{"zoom size matches", Evidence{Platform: fetch.ZoomSDK, File: fetch.File{Size: n}, Bytes: n, SHA256: sum}, Size, false},
		{"zoom size differs", Evidence{Platform: fetch.ZoomSDK, File: fetch.File{Size: n + 1}, Bytes: n, SHA256: sum}, None, true},
		{"ibm estimate is no proof, length and container are", Evidence{Platform: fetch.IBMVideo, File: fetch.File{Size: n + 5, SizeEstimated: true}, Bytes: n, ServerSize: n}, Length, false},
		{"valt without a length", Evidence{Platform: fetch.Valt, Bytes: n}, None, false},
		{"valt length but not playable", Evidence{Platform: fetch.Valt, Bytes: n, ServerSize: n, Container: notPlayable}, None, false},
		{"valt length differs", Evidence{Platform: fetch.Valt, Bytes: n, ServerSize: n + 1}, None, true},
	}
	for _, c := range cases {
		got, err := Judge(c.e)
		if got != c.want {
			t.Errorf("%s: proof %q, want %q (err %v)", c.name, got, c.want, err)
		}
		if (err == nil) != got.Holds() {
			t.Errorf("%s: proof %q with error %v", c.name, got, err)
		}
		if errors.Is(err, ErrMismatch) != c.mismatch {
			t.Errorf("%s: mismatch %v, want %v (%v)", c.name, errors.Is(err, ErrMismatch), c.mismatch, err)
		}
		if err != nil && fetch.Plain(err) == "" {
			t.Errorf("%s: no plain words", c.name)
		}
	}
}

func TestSentences(t *testing.T) {
	if got := SHA256.Sentence(fetch.Huawei); got != "SHA-256 matches Huawei's" {
		t.Errorf("sha256: %q", got)
	}
	if got := Size.Sentence(fetch.ZoomSDK); got != "Size matches the one Zoom lists" {
		t.Errorf("size: %q", got)
	}
	if got := Length.Sentence(fetch.Valt); !strings.Contains(got, "Valt") || !strings.Contains(got, "playable") {
		t.Errorf("length: %q", got)
	}
	if None.Holds() || None.Sentence(fetch.Valt) != "Not verified" {
		t.Errorf("none: %q", None.Sentence(fetch.Valt))
	}
}

func TestHasherEqualsSHA256InAnyPieces(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	body := make([]byte, 3<<20+12345)
	for i := range body {
		body[i] = byte(rng.Uint32())
	}
	x := NewHasher()
	for rest := body; len(rest) > 0; {
		k := min(len(rest), 1+rng.IntN(300<<10))
		_, _ = x.Write(rest[:k])
		rest = rest[k:]
	}
	if got, want := x.Sum(), digest(body); got != want || x.Len() != int64(len(body)) {
		t.Errorf("sum %s (%d bytes), want %s (%d)", got, x.Len(), want, len(body))
	}
	if x.Sum() != digest(body) {
		t.Error("a second Sum differs")
	}
	// A kept part read once, then the rest written: the whole file's digest.
	y := NewHasher()
	if _, err := y.ReadFrom(bytes.NewReader(body[:1000])); err != nil {
		t.Fatal(err)
	}
	_, _ = y.Write(body[1000:])
	if y.Sum() != digest(body) {
		t.Error("kept part plus the rest is not the whole file's digest")
	}
	// Through Reader, in the pieces a copy loop reads, into one buffer.
	w := NewHasher()
	var copied bytes.Buffer
	if _, err := io.CopyBuffer(&copied, struct{ io.Reader }{w.Reader(bytes.NewReader(body))}, make([]byte, 4096)); err != nil {
		t.Fatal(err)
	}
	if w.Sum() != digest(body) || !bytes.Equal(copied.Bytes(), body) || w.Len() != int64(len(body)) {
		t.Error("hashing through Reader")
	}
	if z := NewHasher(); z.Sum() != digest(nil) {
		t.Error("empty hasher")
	}
	// A caller that scribbles over its buffer as soon as Write returns (a
	// copy loop reading the next block into it) does not change the hash:
	// the Hasher hashes its own copies, the ring's buffers are reused.
	v := NewHasher()
	buf := make([]byte, 700<<10) // more than the ring's blocks: Write splits it
	for rest := body; len(rest) > 0; {
		k := copy(buf, rest)
		_, _ = v.Write(buf[:k])
		for i := range buf[:k] {
			buf[i] ^= 0xff
		}
		rest = rest[k:]
	}
	if v.Sum() != digest(body) {
		t.Error("a buffer changed after Write changed the hash")
	}
}

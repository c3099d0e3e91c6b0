package verify

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"sync"
)

// hashBlock is how many bytes the Hasher gathers before handing them to
// its hashing goroutine, and hashDepth how many such blocks may wait:
// large enough that the hand-over costs nothing per byte, small enough
// that a transfer holds well under a MiB.
const (
	hashBlock = 256 << 10
	hashDepth = 3
)

// Hasher computes the SHA-256 of the bytes written to it on a goroutine
// of its own, so that hashing runs beside the transfer instead of in its
// way: Write only copies the bytes. Sum (or Close) must be called once
// the bytes are all written; a Hasher is used by one goroutine.
type Hasher struct {
	full chan []byte // blocks to hash
	free chan []byte // hashed blocks, for reuse
	done chan struct{}
	buf  []byte // the block being filled
	n    int64
	h    hash.Hash
	once sync.Once
	sum  string
}

// NewHasher starts a Hasher.
func NewHasher() *Hasher {
	x := &Hasher{
		full: make(chan []byte, hashDepth),
		free: make(chan []byte, hashDepth+1),
		done: make(chan struct{}),
		h:    sha256.New(),
	}
	for range hashDepth + 1 {
		x.free <- make([]byte, 0, hashBlock)
	}
	x.buf = <-x.free
	go x.run()
	return x
}

func (x *Hasher) run() {
	defer close(x.done)
	for b := range x.full {
		x.h.Write(b)
		x.free <- b[:0]
	}
}

// Write adds p to the hash. It never fails.
func (x *Hasher) Write(p []byte) (int, error) {
	n := len(p)
	x.n += int64(n)
	for len(p) > 0 {
		k := copy(x.buf[len(x.buf):cap(x.buf)], p)
		x.buf = x.buf[:len(x.buf)+k]
		p = p[k:]
		if len(x.buf) == cap(x.buf) {
			x.full <- x.buf
			x.buf = <-x.free
		}
	}
	return n, nil
}

// Len is how many bytes were written.
func (x *Hasher) Len() int64 { return x.n }

// Sum waits for the hashing to finish and returns the hex SHA-256 of
// everything written. No Write may follow.
func (x *Hasher) Sum() string {
	x.once.Do(func() {
		if len(x.buf) > 0 {
			x.full <- x.buf
		}
		close(x.full)
		<-x.done
		x.sum = hex.EncodeToString(x.h.Sum(nil))
	})
	return x.sum
}

// Close stops the hashing goroutine of a Hasher whose sum is not wanted.
func (x *Hasher) Close() { x.Sum() }

// ReadFrom adds everything r gives to the hash: the part of a file kept
// from an earlier attempt is read once this way when a transfer resumes.
func (x *Hasher) ReadFrom(r io.Reader) (int64, error) {
	return io.Copy(struct{ io.Writer }{x}, r)
}

// FileSHA256 is the hex SHA-256 of everything r gives, for a file that
// is already on disk (the verify command).
func FileSHA256(r io.Reader) (string, int64, error) {
	h := sha256.New()
	n, err := io.Copy(h, r)
	if err != nil {
		return "", n, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

package verify

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"sync"
)

// Hasher computes the SHA-256 of the bytes given to it on a goroutine of
// its own, so that hashing runs beside the transfer instead of in its
// way. Every block given is copied into one of a few buffers of the
// Hasher's own and hashed from there, so that the transfer can read the
// next block from the network (into the buffer it reuses) while the last
// one is still being hashed: a copy costs a small fraction of a hash.
// Only when the hashing falls a whole ring of blocks behind does a Write
// wait. Sum (or Close) must be called once everything is given; a Hasher
// is used by one goroutine at a time.
type Hasher struct {
	work chan []byte // blocks to hash next, in order
	free chan []byte // buffers hashed and ready to be filled again
	done chan struct{}
	made int // buffers allocated so far, up to ringBlocks
	n    int64
	h    hash.Hash
	once sync.Once
	sum  string
}

// ringBlocks and blockSize size a Hasher's ring: 4 × 256 KiB (the
// queue's copy buffer) is 1 MiB per transfer, enough to ride out a
// scheduling hiccup of the hashing goroutine without holding up reads.
const (
	ringBlocks = 4
	blockSize  = 256 << 10
)

// NewHasher starts a Hasher.
func NewHasher() *Hasher {
	x := &Hasher{
		work: make(chan []byte, ringBlocks),
		free: make(chan []byte, ringBlocks),
		done: make(chan struct{}),
		h:    sha256.New(),
	}
	go x.run()
	return x
}

func (x *Hasher) run() {
	defer close(x.done)
	for b := range x.work {
		x.h.Write(b)
		x.free <- b[:cap(b)]
	}
}

// buffer returns an empty buffer of the ring, allocating the ring's
// buffers only as they are first needed (a small file needs one), and
// waiting for the hashing goroutine when all of them are in use.
func (x *Hasher) buffer() []byte {
	select {
	case b := <-x.free:
		return b
	default:
	}
	if x.made < ringBlocks {
		x.made++
		return make([]byte, blockSize)
	}
	return <-x.free
}

// Write adds a copy of p to the hash. It never fails, and p may be
// changed as soon as it returns.
func (x *Hasher) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		b := x.buffer()
		k := copy(b, p)
		x.work <- b[:k]
		p = p[k:]
	}
	x.n += int64(n)
	return n, nil
}

// Reader returns a reader over r whose bytes are also hashed: each Read's
// bytes are copied to the hash (Write) before they are returned, so the
// caller may reuse its buffer at once.
func (x *Hasher) Reader(r io.Reader) io.Reader { return &hashedReader{x: x, r: r} }

type hashedReader struct {
	x *Hasher
	r io.Reader
}

func (t *hashedReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if n > 0 {
		t.x.Write(p[:n])
	}
	return n, err
}

// Len is how many bytes were given.
func (x *Hasher) Len() int64 { return x.n }

// Sum waits for the hashing to finish and returns the hex SHA-256 of
// everything given. Nothing may be given after it.
func (x *Hasher) Sum() string {
	x.once.Do(func() {
		close(x.work)
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
	// The wrapper hides this method from io.CopyBuffer, which would
	// otherwise call it again.
	return io.CopyBuffer(struct{ io.Writer }{x}, r, make([]byte, blockSize))
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

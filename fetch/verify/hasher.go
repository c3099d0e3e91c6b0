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
// way. Bytes read through Reader are hashed in place, without a copy,
// while the caller writes them to the file; Write copies. Sum (or Close)
// must be called once everything is given; a Hasher is used by one
// goroutine at a time.
type Hasher struct {
	work    chan []byte   // the bytes to hash next
	ack     chan struct{} // one per block of work, once it is hashed
	done    chan struct{} // closed when the goroutine ends
	pending bool          // a block was handed over and not yet acknowledged
	buf     []byte        // Write's own copy
	n       int64
	h       hash.Hash
	once    sync.Once
	sum     string
}

// NewHasher starts a Hasher.
func NewHasher() *Hasher {
	x := &Hasher{work: make(chan []byte), ack: make(chan struct{}), done: make(chan struct{}), h: sha256.New()}
	go x.run()
	return x
}

func (x *Hasher) run() {
	defer close(x.done)
	for b := range x.work {
		x.h.Write(b)
		x.ack <- struct{}{}
	}
}

// lend hands p to the hashing goroutine; p must stay as it is until the
// next wait.
func (x *Hasher) lend(p []byte) {
	x.wait()
	x.n += int64(len(p))
	x.work <- p
	x.pending = true
}

// wait returns once the last block handed over is hashed.
func (x *Hasher) wait() {
	if x.pending {
		<-x.ack
		x.pending = false
	}
}

// Write adds a copy of p to the hash. It never fails.
func (x *Hasher) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	x.wait()
	x.buf = append(x.buf[:0], p...)
	x.lend(x.buf)
	return len(p), nil
}

// Reader returns a reader over r whose bytes are also hashed, in place:
// the bytes a Read returns are hashed while the caller uses them, and
// the next Read waits until they are. The caller may read those bytes
// (write them to a file) but must not change them before its next Read,
// as a copy loop (io.Copy, grab) does not.
func (x *Hasher) Reader(r io.Reader) io.Reader { return &hashedReader{x: x, r: r} }

type hashedReader struct {
	x *Hasher
	r io.Reader
}

func (t *hashedReader) Read(p []byte) (int, error) {
	t.x.wait() // p may be the buffer still being hashed
	n, err := t.r.Read(p)
	if n > 0 {
		t.x.lend(p[:n])
	}
	return n, err
}

// Len is how many bytes were given.
func (x *Hasher) Len() int64 { return x.n }

// Sum waits for the hashing to finish and returns the hex SHA-256 of
// everything given. Nothing may be given after it.
func (x *Hasher) Sum() string {
	x.once.Do(func() {
		x.wait()
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
	n0 := x.n
	buf := make([]byte, 256<<10)
	tr := x.Reader(r)
	for {
		_, err := tr.Read(buf)
		if err == io.EOF {
			return x.n - n0, nil
		}
		if err != nil {
			return x.n - n0, err
		}
	}
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

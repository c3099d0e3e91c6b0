package queue

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/verify"
)

// BenchmarkTransferHash measures what hashing while writing costs a
// transfer: the queue's own transfer (grab, the checks before the first
// byte, the 256 KiB copy buffer) of one file from a loopback server that
// serves it from memory, into a file on disk, without and with the
// SHA-256. Compare the two ns/op (or MB/s) of each link. No fsync is
// included.
//
//   - loopback: the server sends as fast as the machine can copy, so the
//     transfer and the hash compete for the processor: the worst case,
//     which on a machine with no spare core is the whole cost of SHA-256.
//
//   - 1Gbps: the server paces its bytes at a gigabit a second (125 MB/s),
//     faster than any of the four platforms serves one file, so the
//     network is the limit, as it is for a person's download, and the
//     hash runs in the time the transfer waits for the network.
//
//     go test -run '^$' -bench TransferHash -benchtime 4x -count 5 ./fetch/queue/
func BenchmarkTransferHash(b *testing.B) {
	const size = 128 << 20
	body := make([]byte, size)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i+8 <= len(body); i += 8 {
		v := rng.Uint64()
		for k := range 8 {
			body[i+k] = byte(v >> (8 * k))
		}
	}
	db, err := accounts.OpenDB(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	q, err := New(fastOptions(db, nil, nil))
	if err != nil {
		b.Fatal(err)
	}
	defer q.Close()
	dir := b.TempDir()
	for _, link := range []struct {
		name string
		rate int64 // bytes a second; 0: as fast as it goes
	}{{"loopback", 0}, {"1Gbps", 125_000_000}} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/octet-stream")
			var content io.ReadSeeker = bytes.NewReader(body)
			if link.rate > 0 {
				content = &pacedReader{ReadSeeker: content, limit: rate.NewLimiter(rate.Limit(link.rate), 256<<10), ctx: r.Context()}
			}
			http.ServeContent(w, r, "big.bin", time.Time{}, content)
		}))
		for _, hashed := range []bool{false, true} {
			name := link.name + "/plain"
			if hashed {
				name = link.name + "/sha256"
			}
			b.Run(name, func(b *testing.B) {
				b.SetBytes(size)
				part := filepath.Join(dir, "bench.part")
				job := Job{ID: name, Platform: fetch.Valt, File: fetch.File{Ext: "bin"}, Path: filepath.Join(dir, "bench")}
				e := &entry{job: job}
				for b.Loop() {
					_ = os.Remove(part)
					var h *verify.Hasher
					var err error
					if hashed {
						h = verify.NewHasher()
						_, err = q.transfer(context.Background(), e, job, fetch.Source{URL: srv.URL}, part, 0, size, h)
					} else {
						_, err = q.transfer(context.Background(), e, job, fetch.Source{URL: srv.URL}, part, 0, size, nil)
					}
					if err != nil {
						b.Fatal(err)
					}
					if h != nil && len(h.Sum()) != 64 {
						b.Fatal("no digest")
					}
				}
			})
		}
		srv.Close()
	}
}

// pacedReader gives its bytes no faster than limit allows: a server on
// the far side of a network link of that speed.
type pacedReader struct {
	io.ReadSeeker
	limit *rate.Limiter
	ctx   context.Context
}

func (p *pacedReader) Read(b []byte) (int, error) {
	b = b[:min(len(b), p.limit.Burst())]
	n, err := p.ReadSeeker.Read(b)
	if n > 0 {
		if werr := p.limit.WaitN(p.ctx, n); werr != nil {
			return n, werr
		}
	}
	return n, err
}

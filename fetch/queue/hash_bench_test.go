package queue

import (
	"bytes"
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/verify"
)

// BenchmarkTransferHash measures what hashing while writing costs a
// transfer: the queue's own transfer (grab, the checks before the first
// byte, the 256 KiB copy buffer) of one file from a loopback server that
// serves it from memory, into a file on disk, without and with the
// SHA-256. Compare the two ns/op (or MB/s). No fsync is included, so the
// ratio is the worst case of the whole download's, which also waits for
// the disk. Run it on a quiet machine: the hash needs a core of its own.
//
//	go test -run '^$' -bench TransferHash -benchtime 4x -count 5 ./fetch/queue/
func BenchmarkTransferHash(b *testing.B) {
	const size = 256 << 20
	body := make([]byte, size)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i+8 <= len(body); i += 8 {
		v := rng.Uint64()
		for k := range 8 {
			body[i+k] = byte(v >> (8 * k))
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		http.ServeContent(w, r, "big.bin", time.Time{}, bytes.NewReader(body))
	}))
	defer srv.Close()
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
	for _, hashed := range []bool{false, true} {
		name := "plain"
		if hashed {
			name = "sha256"
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(size)
			part := filepath.Join(dir, name+".part")
			job := Job{ID: name, Platform: fetch.Valt, File: fetch.File{Ext: "bin"}, Path: filepath.Join(dir, name)}
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
}

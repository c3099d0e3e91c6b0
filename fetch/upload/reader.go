package upload

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"os"
	"sort"
	"time"

	"golang.org/x/time/rate"

	"cloudreel/fetch/limits"
)

// progressEvery is how often a job's bytes sent are told.
const progressEvery = 250 * time.Millisecond

// sendReader is the file as an upload reads it: through the shared speed
// limit, hashed on the way, its progress told. It is an io.Seeker, so
// that the connector can start a try again from the first byte when it
// looks for the reading the server takes; a seek back to the start
// starts the digest and the count again.
type sendReader struct {
	f        *os.File
	ctx      context.Context
	lim      *limits.Shared
	progress func(sent int64)

	h        hash.Hash
	n        int64
	lastTold time.Time
}

func (s *sendReader) reset() {
	s.h = sha256.New()
	s.n = 0
}

func (s *sendReader) Read(p []byte) (int, error) {
	if s.h == nil {
		s.reset()
	}
	// rate.Limiter waits for at most its burst at once.
	if r := s.lim.Rate(); r.Limit() != rate.Inf && len(p) > r.Burst() {
		p = p[:max(r.Burst(), 1)]
	}
	n, err := s.f.Read(p)
	if n > 0 {
		if werr := s.lim.WaitN(s.ctx, n); werr != nil {
			return 0, werr
		}
		s.h.Write(p[:n])
		s.n += int64(n)
		if now := time.Now(); s.progress != nil && now.Sub(s.lastTold) >= progressEvery {
			s.lastTold = now
			s.progress(s.n)
		}
	}
	return n, err
}

// Seek moves in the file; back to its start, the digest starts again.
func (s *sendReader) Seek(offset int64, whence int) (int64, error) {
	pos, err := s.f.Seek(offset, whence)
	if err == nil && pos == 0 {
		s.reset()
	}
	return pos, err
}

// sum is the hex SHA-256 of the bytes read since the start.
func (s *sendReader) sum() string {
	if s.h == nil {
		s.reset()
	}
	return hex.EncodeToString(s.h.Sum(nil))
}

// sortJobs puts jobs oldest first.
func sortJobs(js []Job) {
	sort.SliceStable(js, func(a, b int) bool {
		if !js[a].Created.Equal(js[b].Created) {
			return js[a].Created.Before(js[b].Created)
		}
		return js[a].ID < js[b].ID
	})
}

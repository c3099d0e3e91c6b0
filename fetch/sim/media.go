package sim

import (
	crand "crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Content returns a reader over a file's bytes. The bytes are shaped like
// a playable MP4 (an ftyp box, a small moov box, then one mdat box that
// runs to the end of the file) so that a container check passes on them;
// mdat's payload is pseudo-random, generated from the file id in blocks
// so that any offset can be read without the rest.
func Content(f *File) io.ReadSeeker {
	return io.NewSectionReader(&content{f: f}, 0, f.Size)
}

// ContentSHA256 is the hex SHA-256 of a file's whole content, for tests
// that check a download is byte-for-byte right.
func ContentSHA256(f *File) string {
	h := sha256.New()
	// Whole blocks at a time: a read of half a block makes the whole
	// block anyway.
	_, _ = io.CopyBuffer(h, Content(f), make([]byte, blockSize))
	return hex.EncodeToString(h.Sum(nil))
}

const blockSize = 64 << 10

// mdatAt is where the mdat box of Content starts; it runs to the end.
const mdatAt = 40

type content struct{ f *File }

// ReadAt fills p from the blocks that cover [off, off+len(p)).
func (c *content) ReadAt(p []byte, off int64) (int, error) {
	if off >= c.f.Size {
		return 0, io.EOF
	}
	seed := sha256.Sum256([]byte(c.f.ID))
	s1, s2 := binary.LittleEndian.Uint64(seed[:8]), binary.LittleEndian.Uint64(seed[8:16])
	var block [blockSize]byte
	n := 0
	for n < len(p) && off < c.f.Size {
		bi := off / blockSize
		fillBlock(block[:], s1^uint64(bi), s2, bi == 0, c.f.Ext, c.f.Size)
		within := off % blockSize
		k := copy(p[n:], block[within:])
		if rem := c.f.Size - off; int64(k) > rem {
			k = int(rem)
		}
		n += k
		off += int64(k)
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func fillBlock(b []byte, s1, s2 uint64, first bool, ext string, size int64) {
	rng := rand.New(rand.NewPCG(s1, s2))
	for i := 0; i+8 <= len(b); i += 8 {
		binary.LittleEndian.PutUint64(b[i:], rng.Uint64())
	}
	if first {
		switch ext {
		case "vtt":
			copy(b, "WEBVTT\n\n")
		default:
			// An ISO base media "ftyp" box, as a real MP4 or M4A starts,
			// a moov box (the index, here holding an empty udta box) and
			// the header of an mdat box with a 64-bit size that ends
			// exactly at the end of the file.
			copy(b, "\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2")
			copy(b[24:], "\x00\x00\x00\x10moov\x00\x00\x00\x08udta")
			copy(b[40:], "\x00\x00\x00\x01mdat")
			binary.BigEndian.PutUint64(b[48:56], uint64(max(size-mdatAt, 0)))
		}
	}
}

// link is a download link handed out by a platform's resolve call.
type link struct {
	fileID  string
	expires time.Time
	oneTime bool
	spent   bool
}

type linkStore struct {
	mu    sync.Mutex
	links map[string]*link
}

// Link errors, which each platform answers in its own way.
var (
	errLinkUnknown = errors.New("unknown link")
	errLinkExpired = errors.New("link expired")
	errLinkSpent   = errors.New("link already used")
	errLinkWrong   = errors.New("link is for another file")
)

// issueLink hands out a token for fileID that lives ttl (LinkTTL overrides)
// and, when oneTime, dies after its first use.
func (s *Server) issueLink(fileID string, ttl time.Duration, oneTime bool) string {
	if o := s.faults.Get().LinkTTL; o != 0 {
		ttl = o
	}
	var b [32]byte
	_, _ = crand.Read(b[:])
	tok := hex.EncodeToString(b[:])
	s.links.mu.Lock()
	s.links.links[tok] = &link{fileID: fileID, expires: time.Now().Add(ttl), oneTime: oneTime}
	s.links.mu.Unlock()
	return tok
}

// useLink checks a token for fileID; spend uses up a one-time token.
func (s *Server) useLink(tok, fileID string, spend bool) error {
	s.links.mu.Lock()
	defer s.links.mu.Unlock()
	l, ok := s.links.links[tok]
	switch {
	case !ok:
		return errLinkUnknown
	case l.fileID != fileID:
		return errLinkWrong
	case time.Now().After(l.expires):
		return errLinkExpired
	case l.spent:
		return errLinkSpent
	}
	if spend && l.oneTime {
		l.spent = true
	}
	return nil
}

// serveFile sends a file's bytes the way a real download server would
// (Range, If-Range, HEAD, Content-Length), with the media faults applied.
// The caller has checked the request's authorization.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, f *File, name string) {
	s.count(r.Method + " media")
	s.mu.Lock()
	s.ranges = append(s.ranges, r.Method+" "+f.ID+" "+r.Header.Get("Range"))
	s.mu.Unlock()
	fs := &s.faults
	if fs.take(func(x *FaultSet) *int { return &x.MediaErrors }) {
		http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
		return
	}
	if r.Method == http.MethodGet && fs.take(func(x *FaultSet) *int { return &x.ErrorBody200 }) {
		// Zoom's answer to a spent token, as a popular downloader saved it
		// 880 times: 59 bytes of JSON with status 200.
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, `{"status":false,"errorCode":124,"errorMessage":"Forbidden"}`)
		return
	}
	ignoreRange := fs.Get().IgnoreRange
	if ignoreRange {
		r.Header.Del("Range")
		r.Header.Del("If-Range")
	}
	out := io.Writer(w)
	if s.cfg.Throttle > 0 {
		out = &throttledWriter{w: w, lim: rate.NewLimiter(rate.Limit(s.cfg.Throttle), int(min(s.cfg.Throttle, 256<<10))), r: r}
	}
	cut := r.Method == http.MethodGet && fs.take(func(x *FaultSet) *int { return &x.CutMidBody })
	if cut {
		out = &cuttingWriter{w: out, left: f.Size / 2}
	}
	// http.ServeContent does Range, If-Range and HEAD as real servers do;
	// the body goes through out so that throttling and cutting see it.
	modTime := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	http.ServeContent(&bodyWriter{ResponseWriter: w, out: out, noRanges: ignoreRange}, r, name, modTime, Content(f))
}

type bodyWriter struct {
	http.ResponseWriter
	out      io.Writer
	noRanges bool // a server that ignores Range does not advertise it
}

func (b *bodyWriter) WriteHeader(code int) {
	if b.noRanges {
		b.Header().Del("Accept-Ranges")
	}
	b.ResponseWriter.WriteHeader(code)
}

func (b *bodyWriter) Write(p []byte) (int, error) { return b.out.Write(p) }

// throttledWriter writes at most lim's rate, flushing as it goes so that
// the client sees a steady stream.
type throttledWriter struct {
	w   http.ResponseWriter
	lim *rate.Limiter
	r   *http.Request
}

func (t *throttledWriter) Write(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		k := min(len(p)-n, t.lim.Burst(), 32<<10)
		if err := t.lim.WaitN(t.r.Context(), k); err != nil {
			return n, err
		}
		m, err := t.w.Write(p[n : n+k])
		n += m
		if err != nil {
			return n, err
		}
		if fl, ok := t.w.(http.Flusher); ok {
			fl.Flush()
		}
	}
	return n, nil
}

// cuttingWriter lets left bytes through, then drops the connection as a
// network fault would: the client sees an unexpected EOF.
type cuttingWriter struct {
	w    io.Writer
	left int64
}

func (c *cuttingWriter) Write(p []byte) (int, error) {
	if int64(len(p)) > c.left {
		_, _ = c.w.Write(p[:c.left])
		c.left = 0
		if fl, ok := c.w.(http.Flusher); ok {
			fl.Flush()
		}
		panic(http.ErrAbortHandler)
	}
	c.left -= int64(len(p))
	return c.w.Write(p)
}

// MediaRequests lists every request for file bytes the simulator has
// answered, as "METHOD FILE-ID RANGE" (RANGE empty when none was asked):
// tests read it to prove a resume asked for the bytes after those on disk.
func (s *Server) MediaRequests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.ranges...)
}

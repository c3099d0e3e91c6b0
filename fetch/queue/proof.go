package queue

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"cloudreel/fetch"
	"cloudreel/fetch/verify"
)

// proven is how a finished file was judged: its digest and the proof
// that held (verify.None with unproven saying why).
type proven struct {
	sha256   string
	proof    verify.Proof
	unproven string
}

// prove judges the n bytes of a finished partial file against the
// strongest check the platform gives. Bytes that contradict it (another
// SHA-256 than the platform's at the right size) are thrown away and the
// attempt ends as a bad body: the queue asks for the file once more from
// the start, then fails the job, so that such a file never gets its final
// name. A file that no proof covers is kept, only not Verified.
func (q *Queue) prove(e *entry, job Job, part string, n int64, hash *verify.Hasher) (proven, error) {
	if hash == nil || hash.Len() != n {
		q.log.Info("reading the whole file for its SHA-256", "job", job.ID, "bytes", n)
	}
	sum, err := digest(part, n, hash)
	if err != nil {
		return proven{}, writeErr(filepath.Dir(part), err)
	}
	q.mu.Lock()
	ev := verify.Evidence{Platform: job.Platform, File: job.File, Bytes: n, SHA256: sum, ServerSize: e.job.ServerSize}
	if job.Size > 0 && job.File.Size > 0 && !job.File.SizeEstimated {
		// A link that gave another size than the list (see attempt) is
		// the platform's newer word on the same file.
		ev.File.Size = job.Size
	}
	q.mu.Unlock()
	if verify.NeedsContainer(ev.Platform, ev.File) {
		ev.Container = verify.ContainerOf(part, job.File.Ext)
	}
	proof, why := verify.Judge(ev)
	if errors.Is(why, verify.ErrMismatch) {
		q.log.Warn("the downloaded bytes fail the platform's check: discarded", "job", job.ID, "sha256", sum, "listed", job.File.SHA256, "bytes", n, "why", why)
		q.truncatePart(e, part)
		// Err carries no plain words of its own, so that the Message,
		// with what Cloudreel did about it, is what a person reads.
		return proven{}, &fetch.Error{Kind: fetch.KindBadBody,
			Err:     fmt.Errorf("%w (%d bytes, SHA-256 %s; the platform lists %d bytes, SHA-256 %q)", verify.ErrMismatch, n, sum, ev.File.Size, job.File.SHA256),
			Message: fetch.Plain(why) + " Cloudreel threw the download away rather than keep a damaged copy."}
	}
	if !proof.Holds() {
		q.log.Info("downloaded without a proof that the file is whole", "job", job.ID, "why", why)
	}
	return proven{sha256: sum, proof: proof, unproven: fetch.Plain(why)}, nil
}

// digest is the hex SHA-256 of the first n bytes of part: the hash
// computed while they were written when it saw exactly them, else (a file
// found whole when the attempt began, after a restart) read once now.
func digest(part string, n int64, hash *verify.Hasher) (string, error) {
	if hash != nil && hash.Len() == n {
		return hash.Sum(), nil
	}
	f, err := os.Open(part)
	if err != nil {
		return "", err
	}
	defer f.Close()
	sum, got, err := verify.FileSHA256(f)
	if err == nil && got != n {
		err = fmt.Errorf("the partial file has %d bytes, %d were expected", got, n)
	}
	return sum, err
}

// hashKept starts the SHA-256 of a transfer that continues after offset
// bytes: the part kept from earlier attempts is read once, and the rest
// is hashed as it arrives.
func hashKept(part string, offset int64) (*verify.Hasher, error) {
	h := verify.NewHasher()
	if offset == 0 {
		return h, nil
	}
	f, err := os.Open(part)
	if err != nil {
		h.Close()
		return nil, err
	}
	defer f.Close()
	if _, err := h.ReadFrom(io.LimitReader(f, offset)); err != nil {
		h.Close()
		return nil, err
	}
	if h.Len() != offset {
		h.Close()
		return nil, fmt.Errorf("the partial file has %d bytes, %d were expected", h.Len(), offset)
	}
	return h, nil
}

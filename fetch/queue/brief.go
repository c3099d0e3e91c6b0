package queue

import (
	"encoding/binary"
	"errors"
	"strings"
	"time"

	"cloudreel/fetch"
	"cloudreel/fetch/verify"
)

// Summary is what a list of downloads shows of a job and sums up: the
// job without its recording's and file's details. Summaries cost the
// queue nothing to hand out, whereas a finished job's whole Job is read
// back from the store (see Job).
type Summary struct {
	ID          string
	AccountID   string
	RecordingID string
	Platform    fetch.Platform
	Folder      string
	Path        string
	State       State
	Err         string
	Unproven    string
	Proof       verify.Proof
	Done, Size  int64
	Speed       float64
	ETA         time.Duration
	Updated     time.Time
}

// Job is the summary as a Job: the fields it has, the others zero.
func (s Summary) Job() Job {
	return Job{
		ID: s.ID, AccountID: s.AccountID, RecordingID: s.RecordingID, Platform: s.Platform,
		File: fetch.File{RecordingID: s.RecordingID}, Folder: s.Folder, Path: s.Path, State: s.State,
		Err: s.Err, Unproven: s.Unproven, Proof: s.Proof, Done: s.Done, Size: s.Size,
		Speed: s.Speed, ETA: s.ETA, Updated: s.Updated,
	}
}

// Verified reports whether the summarised job is done and proven whole
// (see Job.Verified).
func (s Summary) Verified() bool { return s.State == Done && s.Proof.Holds() }

// SummaryOf is what a Summary keeps of j.
func SummaryOf(j Job) Summary {
	return Summary{
		ID: j.ID, AccountID: j.AccountID, RecordingID: j.RecordingID, Platform: j.Platform, Folder: j.Folder,
		Path: j.Path, State: j.State, Err: j.Err, Unproven: j.Unproven, Proof: j.Proof,
		Done: j.Done, Size: j.Size, Speed: j.Speed, ETA: j.ETA, Updated: j.Updated,
	}
}

// brief is what the queue keeps in memory of a finished job: about 250
// bytes instead of the 800 of its entry (docs/benchmarks.md, "At scale").
// The whole record stays in the store, where Job reads it. Nine jobs in
// ten of a year's store are finished and never change again. A brief is
// never changed: a finished job that changes becomes an entry again
// (promote).
type brief struct {
	// text is the job's id, its file's id and its final path, one after
	// the other: one string instead of three.
	text           string
	idEnd, fileEnd uint32
	seq            uint64
	done, size     int64
	updated        int64 // Unix nanoseconds; 0 for none
	skipped        bool  // see Job.Skipped
	// The strings many jobs share, as places in the queue's words.
	account, recording, platform, folder, state, proof, unproven, err word
}

func (b *brief) id() string     { return b.text[:b.idEnd] }
func (b *brief) fileID() string { return b.text[b.idEnd:b.fileEnd] }
func (b *brief) path() string   { return b.text[b.fileEnd:] }

// summary is the brief as a Summary; it allocates nothing.
func (b *brief) summary(w *words) Summary {
	s := Summary{
		ID: b.id(), AccountID: w.at(b.account), RecordingID: w.at(b.recording), Platform: fetch.Platform(w.at(b.platform)),
		Folder: w.at(b.folder), Path: b.path(), State: State(w.at(b.state)), Err: w.at(b.err), Unproven: w.at(b.unproven),
		Proof: verify.Proof(w.at(b.proof)), Done: b.done, Size: b.size,
	}
	if b.updated != 0 {
		s.Updated = time.Unix(0, b.updated)
	}
	return s
}

// sameFile reports whether the brief's job is of the file that key names
// (see fileKey) without building the brief's key.
func (b *brief) sameFile(platform, account, file string, w *words) bool {
	return b.fileID() == file && w.at(b.account) == account && w.at(b.platform) == platform
}

// briefOf is what the queue keeps of a finished job.
func briefOf(j Job, seq uint64, w *words) *brief {
	return &brief{
		text: j.ID + j.File.ID + j.Path, idEnd: uint32(len(j.ID)), fileEnd: uint32(len(j.ID) + len(j.File.ID)),
		seq: seq, done: j.Done, size: j.Size, skipped: j.Skipped,
		account: w.of(j.AccountID), recording: w.of(j.RecordingID), platform: w.of(string(j.Platform)),
		folder: w.of(j.Folder), state: w.of(string(j.State)), proof: w.of(string(j.Proof)),
		unproven: w.of(j.Unproven), err: w.of(j.Err), updated: unixNano(j.Updated),
	}
}

// unixNano is t in Unix nanoseconds, 0 for the zero time (whose
// nanoseconds do not fit an int64).
func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// word is a place in words.
type word uint32

// words keeps once each string that finished jobs share: accounts,
// folders, states, proofs, recordings of several files, the same reason
// on many jobs. A brief holds 4 bytes of each instead of a 16-byte string
// header. The table only grows; it holds as many strings as there are
// distinct values, which a year of downloads keeps to tens of thousands.
type words struct {
	list  []string
	index map[string]word
}

func newWords() *words { return &words{list: []string{""}, index: map[string]word{"": 0}} }

func (w *words) of(s string) word {
	if i, ok := w.index[s]; ok {
		return i
	}
	i := word(len(w.list))
	w.list = append(w.list, s)
	w.index[s] = i
	return i
}

// ofBytes is of for bytes read from the store: looking a []byte up by
// string(...) does not copy it, so a word already known costs nothing.
func (w *words) ofBytes(b []byte) word {
	if i, ok := w.index[string(b)]; ok {
		return i
	}
	return w.of(string(b))
}

func (w *words) at(i word) string { return w.list[i] }

// briefFormat is the first byte of a stored brief: its layout.
const briefFormat = 1

// encodeBrief is a finished job's brief as stored beside its record (in
// the briefs bucket, keyed by the job's id): a few fields in binary
// rather than JSON, because the briefs of every finished job are read at
// each start and the record of none of them is.
func encodeBrief(j Job, seq uint64) []byte {
	v := make([]byte, 0, 64+len(j.Path)+len(j.File.ID)+len(j.Folder)+len(j.Unproven)+len(j.Err))
	v = append(v, briefFormat)
	var flags byte
	if j.Skipped {
		flags |= 1
	}
	v = append(v, flags)
	v = binary.AppendUvarint(v, seq)
	v = binary.AppendVarint(v, j.Done)
	v = binary.AppendVarint(v, j.Size)
	v = binary.AppendVarint(v, unixNano(j.Updated))
	for _, s := range []string{j.File.ID, j.Path, j.AccountID, j.RecordingID, string(j.Platform), j.Folder, string(j.State), string(j.Proof), j.Unproven, j.Err} {
		v = binary.AppendUvarint(v, uint64(len(s)))
		v = append(v, s...)
	}
	return v
}

var errBadBrief = errors.New("a damaged brief")

// briefReader reads the fields of a stored brief in turn; ok turns false
// at the first that is cut short or damaged, and stays so.
type briefReader struct {
	v  []byte
	ok bool
}

func (r *briefReader) uvarint() uint64 {
	x, n := binary.Uvarint(r.v)
	if n <= 0 {
		r.v, r.ok = nil, false
		return 0
	}
	r.v = r.v[n:]
	return x
}

func (r *briefReader) varint() int64 {
	x, n := binary.Varint(r.v)
	if n <= 0 {
		r.v, r.ok = nil, false
		return 0
	}
	r.v = r.v[n:]
	return x
}

func (r *briefReader) bytes() []byte {
	n := r.uvarint()
	if uint64(len(r.v)) < n {
		r.v, r.ok = nil, false
		return nil
	}
	s := r.v[:n]
	r.v = r.v[n:]
	return s
}

// decodeBrief reads a stored brief (see encodeBrief) into a new brief.
func decodeBrief(id, v []byte, w *words) (*brief, error) {
	if len(v) < 2 || v[0] != briefFormat {
		return nil, errBadBrief
	}
	r := &briefReader{v: v[2:], ok: true}
	b := &brief{seq: r.uvarint(), done: r.varint(), size: r.varint(), updated: r.varint(), skipped: v[1]&1 != 0}
	file, path := r.bytes(), r.bytes()
	var text strings.Builder
	text.Grow(len(id) + len(file) + len(path))
	text.Write(id)
	text.Write(file)
	text.Write(path)
	b.text, b.idEnd, b.fileEnd = text.String(), uint32(len(id)), uint32(len(id)+len(file))
	for _, f := range []*word{&b.account, &b.recording, &b.platform, &b.folder, &b.state, &b.proof, &b.unproven, &b.err} {
		*f = w.ofBytes(r.bytes())
	}
	if !r.ok || b.seq == 0 {
		return nil, errBadBrief
	}
	return b, nil
}

package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2/lang"
	"go.etcd.io/bbolt"

	"cloudreel/fetch"
	"cloudreel/fetch/locale"
	"cloudreel/fetch/verify"
)

// FileCheck is what CheckFiles found of one downloaded file.
type FileCheck struct {
	// Job is the download: a done job of the list, or, for a file whose
	// job was cleared from the list, what the store remembers of it
	// (platform, account, file id, path, size, digest and proof).
	Job Job
	// Missing: the file is no longer on disk. Changed: it is there, but
	// not with the bytes that were downloaded.
	Missing, Changed bool
	// Problem says what is wrong in plain words; "" when the file is as
	// it was downloaded.
	Problem string
	// Checked says in plain words what the file was checked against
	// ("size and SHA-256 of the download, and Huawei's SHA-256").
	Checked string
}

// OK reports whether the file is as it was downloaded.
func (c FileCheck) OK() bool { return !c.Missing && !c.Changed }

// CheckFiles checks the downloaded files on disk against the store: each
// must still be there with the size it was downloaded with, the SHA-256
// computed while it was written, and the platform's SHA-256 when it gave
// one. accountID and folder narrow the check ("" for all). A file found
// changed or missing loses its Verified status (its job's Proof becomes
// verify.None, and the store forgets it was downloaded), so that nothing
// ever cleans its cloud copy on the strength of a local copy that is no
// longer whole. Each file is read once; ctx stops the check.
func (q *Queue) CheckFiles(ctx context.Context, accountID, folder string) ([]FileCheck, error) {
	if folder != "" {
		abs, err := filepath.Abs(folder)
		if err != nil {
			return nil, fmt.Errorf("queue: the folder %s: %w", folder, err)
		}
		folder = abs
	}
	in := func(j Job) bool {
		return j.Path != "" && (accountID == "" || j.AccountID == accountID) &&
			(folder == "" || insideFolder(folder, j.Path))
	}
	var jobs []Job
	seen := map[string]bool{}
	// The finished jobs' records are read back from the store after the
	// lock: their briefs lack the digests.
	var finishedIDs []string
	var finishedAt []int
	q.mu.Lock()
	for _, s := range q.slotsLocked() {
		j := s.summaryJob(q.words)
		if j.State == Done && in(j) && !seen[j.Path] {
			seen[j.Path] = true
			if s.b != nil {
				finishedIDs, finishedAt = append(finishedIDs, j.ID), append(finishedAt, len(jobs))
			}
			jobs = append(jobs, j)
		}
	}
	pending := make(map[string]doneRecord, len(q.downloaded))
	for k, r := range q.downloaded {
		pending[k] = r
	}
	q.mu.Unlock()
	if len(finishedIDs) > 0 {
		q.fillFinished(jobs, finishedAt, finishedIDs)
	}
	stored, err := q.store.downloadedAll()
	if err != nil {
		return nil, err
	}
	for k, r := range pending {
		stored[k] = r
	}
	keys := make([]string, 0, len(stored))
	for k := range stored {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		r := stored[k]
		j, ok := jobOfRecord(k, r)
		if ok && in(j) && !seen[j.Path] {
			seen[j.Path] = true
			jobs = append(jobs, j)
		}
	}

	out := make([]FileCheck, 0, len(jobs))
	for _, j := range jobs {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		c := checkFile(ctx, j)
		if err := ctx.Err(); err != nil {
			return out, err
		}
		if !c.OK() {
			q.forgetProof(j, c.Problem)
		}
		out = append(out, c)
	}
	return out, nil
}

// jobOfRecord is what the store remembers of a downloaded file, as a done
// job. The key is fileKey's: platform, account and file id.
func jobOfRecord(key string, r doneRecord) (Job, bool) {
	parts := strings.Split(key, "\x00")
	if len(parts) != 3 || r.Path == "" {
		return Job{}, false
	}
	j := Job{Platform: fetch.Platform(parts[0]), AccountID: parts[1], Path: r.Path, Size: r.Size, Done: r.Size,
		State: Done, SHA256: r.SHA256, Proof: r.Proof, Updated: r.At}
	j.File.ID = parts[2]
	return j, true
}

// checkFile compares one file on disk with its download.
func checkFile(ctx context.Context, j Job) FileCheck {
	c := FileCheck{Job: j}
	what := []string{"size"}
	if j.SHA256 != "" {
		what = append(what, "SHA-256 of the download")
	}
	c.Checked = strings.Join(what, " and ")
	if j.File.SHA256 != "" {
		c.Checked += ", and " + verify.ShortName(j.Platform) + "'s SHA-256"
	}
	fi, err := os.Stat(j.Path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		c.Missing, c.Problem = true, lang.L("It is no longer on disk.")
		return c
	case err != nil:
		c.Missing, c.Problem = true, lang.L("Cloudreel cannot look at it ({{.Err}}).", map[string]any{"Err": err})
		return c
	case !fi.Mode().IsRegular():
		c.Missing, c.Problem = true, lang.L("Something else than the file now has its name.")
		return c
	case fi.Size() != j.Size:
		c.Changed, c.Problem = true, lang.L("It has {{.Size}} ({{.Bytes}} bytes); it was downloaded with {{.Want}} bytes.", map[string]any{"Size": locale.Now().Bytes(fi.Size()), "Bytes": fi.Size(), "Want": j.Size})
		return c
	}
	if j.SHA256 == "" && j.File.SHA256 == "" {
		return c // downloaded before Cloudreel kept digests: the size is all there is
	}
	sum, err := fileDigest(ctx, j.Path)
	switch {
	case err != nil:
		c.Missing, c.Problem = true, lang.L("Cloudreel cannot read it ({{.Err}}).", map[string]any{"Err": err})
	case j.SHA256 != "" && !verify.EqualDigest(sum, j.SHA256):
		c.Changed, c.Problem = true, lang.L("Its bytes are no longer the ones that were downloaded (the SHA-256 differs), though its size is the same.")
	case j.File.SHA256 != "" && !verify.EqualDigest(sum, j.File.SHA256):
		c.Changed, c.Problem = true, lang.L("Its bytes do not match the SHA-256 {{.Short}} gives for the file.", map[string]any{"Short": verify.ShortName(j.Platform)})
	}
	return c
}

// fileDigest reads a file once for its SHA-256, stopping when ctx ends.
func fileDigest(ctx context.Context, path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	sum, _, err := verify.FileSHA256(ctxReader{ctx: ctx, r: f})
	return sum, err
}

// ctxReader ends a long read when its context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// forgetProof takes the Verified status from every job of a file that
// is no longer as downloaded, and makes the store forget the download.
func (q *Queue) forgetProof(j Job, why string) {
	q.mu.Lock()
	for _, b := range slices.Clone(q.finOrder) {
		if b.path() == j.Path && verify.Proof(q.words.at(b.proof)).Holds() && q.words.at(b.state) == string(Done) {
			q.promoteLocked(b.id())
		}
	}
	for _, e := range q.order {
		if e.job.Path == j.Path && e.job.State == Done && e.job.Proof.Holds() {
			e.job.Proof, e.job.Unproven = verify.None, "Checked on disk: "+why
			q.dirty[e.job.ID] = true
			q.emit(Event{Kind: StateChanged, Job: e.job})
		}
	}
	key := fileKey(j)
	delete(q.downloaded, key)
	q.mu.Unlock()
	if err := q.store.forget(key); err != nil {
		q.log.Warn("could not forget a changed download", "path", j.Path, "err", err)
	}
	q.persistSoon()
}

// downloadedAll reads every remembered download.
func (s *store) downloadedAll() (map[string]doneRecord, error) {
	out := map[string]doneRecord{}
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(downloadedBucket).ForEach(func(k, v []byte) error {
			var r doneRecord
			if json.Unmarshal(v, &r) == nil {
				out[string(k)] = r
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("queue: reading the downloaded files: %w", err)
	}
	return out, nil
}

// forget drops a remembered download.
func (s *store) forget(key string) error {
	return s.db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(downloadedBucket).Delete([]byte(key)) })
}

package cleanup

import (
	"cmp"
	"io/fs"
	"os"
	"slices"
	"strings"

	"fyne.io/fyne/v2/lang"

	"cloudreel/fetch"
	"cloudreel/fetch/queue"
	"cloudreel/fetch/verify"
)

// Verifier says which proof showed a finished job's file whole; a proof
// that does not hold (verify.None) means the file is not Verified.
type Verifier func(queue.Job) verify.Proof

// JobProof is the Verifier of the queue: the proof stored with the job
// when it was done, for a job that is Verified.
func JobProof(j queue.Job) verify.Proof {
	if j.Verified() {
		return j.Proof
	}
	return verify.None
}

// Item is one recording a clean-up may let go, with the files that were
// downloaded of it.
type Item struct {
	RecordingID string
	Title       string
	Size        int64 // bytes of its downloaded files
	Files       []FileProof
}

// Blocked is a recording that is not cleaned, and why, in plain words.
type Blocked struct {
	Item
	Reason string
}

// candidates groups an account's jobs by recording. Only recordings with
// a job are candidates: a recording the person did not download through
// Cloudreel is never one.
func candidates(accountID string, jobs []queue.Job) map[string][]queue.Job {
	out := map[string][]queue.Job{}
	for _, j := range jobs {
		if j.AccountID == accountID && j.RecordingID != "" {
			out[j.RecordingID] = append(out[j.RecordingID], j)
		}
	}
	return out
}

// judge says whether a recording may be cleaned: every job of it is done,
// Verified, and its file is still on disk with the size downloaded; and,
// when the platform's listing is known (listed non-nil), every file the
// platform lists for it was downloaded. It returns the item and, when the
// recording must stay, the reason.
func judge(jobs []queue.Job, listed map[string]fetch.Recording, verified Verifier, stat func(string) (fs.FileInfo, error)) (Item, string) {
	slices.SortFunc(jobs, func(a, b queue.Job) int { return cmp.Compare(a.Path, b.Path) })
	it := Item{RecordingID: jobs[0].RecordingID, Title: jobs[0].RecordingTitle}
	var reasons []string
	have := map[string]bool{}
	for _, j := range jobs {
		have[j.File.ID] = true
		it.Size += j.Done
		name := j.Path
		proof := verify.None
		if j.State == queue.Done {
			proof = verified(j)
		}
		it.Files = append(it.Files, FileProof{Path: j.Path, Size: j.Done, Proof: proof})
		switch {
		case j.State != queue.Done:
			reasons = append(reasons, lang.L("{{.Path}} is not downloaded ({{.State}})", map[string]any{"Path": name, "State": j.State.Words()}))
			continue
		case !proof.Holds():
			reasons = append(reasons, lang.L("{{.Path}} is not verified", map[string]any{"Path": name}))
			continue
		}
		fi, err := stat(j.Path)
		switch {
		case err != nil:
			reasons = append(reasons, lang.L("{{.Path}} is no longer on disk", map[string]any{"Path": name}))
		case !fi.Mode().IsRegular() || fi.Size() != j.Done:
			reasons = append(reasons, lang.L("{{.Path}} on disk has {{.Size}} bytes, not the {{.Done}} downloaded", map[string]any{"Path": name, "Size": fi.Size(), "Done": j.Done}))
		}
	}
	if listed != nil {
		rec, ok := listed[it.RecordingID]
		if !ok {
			reasons = append(reasons, lang.L("the platform no longer lists it (already deleted or in the trash)"))
		}
		for _, f := range rec.Files {
			if !have[f.ID] {
				reasons = append(reasons, lang.L("its {{.Kind}} file was not downloaded through Cloudreel", map[string]any{"Kind": f.Kind}))
			}
		}
	}
	if len(reasons) > 0 {
		return it, strings.Join(reasons, lang.L("; "))
	}
	return it, ""
}

// osStat is os.Stat, for Cleaner.Stat's default.
var osStat = os.Stat

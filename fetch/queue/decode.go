package queue

import (
	"runtime"
	"sync"

	jsonv2 "github.com/go-json-experiment/json"
	jsonv1 "github.com/go-json-experiment/json/v1"
)

// loaded is a stored job read back: its entry, and the boot of the
// computer that wrote the record (see record.Boot).
type loaded struct {
	e    *entry
	boot string
}

// storedView is a record decoded straight into an entry's job, so that
// opening a store of 100,000 jobs does not hold each job twice (once as
// decoded, once in the queue) at its peak.
type storedView struct {
	*Job
	Seq     uint64
	Durable int64
	Boot    string
}

// v1Semantics decodes records exactly as encoding/json (which writes them)
// reads them: go-json-experiment's engine with encoding/json's rules. It
// decodes a record in about 60 % of the time, with a quarter of the
// allocations (BenchmarkStoredJobsDecode).
var v1Semantics = jsonv1.DefaultOptionsV1()

// decodeRecords decodes stored jobs on every core (100,000 jobs took
// seconds on one). A record that does not decode is left out: one damaged
// record must not cost the others.
func decodeRecords(keys, values [][]byte) []loaded {
	got := make([]loaded, len(values))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(values)/1000))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			in := interner{}
			for i := w; i < len(values); i += workers {
				e := &entry{}
				v := storedView{Job: &e.job}
				if jsonv2.Unmarshal(values[i], &v, v1Semantics) != nil {
					continue
				}
				if e.job.ID == "" {
					e.job.ID = string(keys[i])
				}
				e.seq, e.durable = v.Seq, v.Durable
				in.job(&e.job)
				got[i] = loaded{e: e, boot: in.string(v.Boot)}
			}
		})
	}
	wg.Wait()
	out := got[:0]
	for _, l := range got {
		if l.e != nil {
			out = append(out, l)
		}
	}
	return out
}

// interner keeps one copy of each string the jobs of a store repeat: the
// account, the folder, the platform, the kind of file, the recording of
// several files, the same error on many failed jobs. Decoding makes a new
// copy in every record; 100,000 jobs held tens of MB of them.
type interner map[string]string

func (in interner) string(s string) string {
	if s == "" {
		return ""
	}
	if c, ok := in[s]; ok {
		return c
	}
	in[s] = s
	return s
}

// job interns the strings of j that other jobs are likely to share. The
// paths, ids and digests, unique to each job, are left alone.
func (in interner) job(j *Job) {
	j.AccountID = in.string(j.AccountID)
	j.AccountName = in.string(j.AccountName)
	j.Platform = typed(in, j.Platform)
	j.RecordingID = in.string(j.RecordingID)
	j.RecordingTitle = in.string(j.RecordingTitle)
	j.File.RecordingID = in.string(j.File.RecordingID)
	j.File.Kind = in.string(j.File.Kind)
	j.File.Ext = in.string(j.File.Ext)
	j.Folder = in.string(j.Folder)
	j.State = typed(in, j.State)
	j.Err = in.string(j.Err)
	j.Proof = typed(in, j.Proof)
	j.Unproven = in.string(j.Unproven)
}

// typed interns a string of a named string type (a State, a Platform).
func typed[T ~string](in interner, s T) T { return T(in.string(string(s))) }

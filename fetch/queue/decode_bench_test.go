package queue

import (
	"encoding/json"
	"testing"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
)

// BenchmarkStoredJobsDecode is the cost of reading one stored job back
// (docs/benchmarks.md, "At scale"): with encoding/json, as the queue did,
// and as it does now, on one core.
func BenchmarkStoredJobsDecode(b *testing.B) {
	values := make([][]byte, 10_000)
	for i := range values {
		j := fullJob(i)
		j.State, j.Err, j.NextTry, j.Speed, j.ETA, j.Attempts = Done, "", time.Time{}, 0, 0, 0
		v, err := json.Marshal(record{Job: j, Seq: uint64(i)})
		if err != nil {
			b.Fatal(err)
		}
		values[i] = v
	}
	b.Run("encoding-json", func(b *testing.B) {
		for b.Loop() {
			for _, v := range values {
				var r record
				if err := json.Unmarshal(v, &r); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(values)), "ns/record")
	})
	b.Run("queue", func(b *testing.B) {
		in := interner{}
		for b.Loop() {
			for _, v := range values {
				e := &entry{}
				if err := jsonv2.Unmarshal(v, &storedView{Job: &e.job}, v1Semantics); err != nil {
					b.Fatal(err)
				}
				in.job(&e.job)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(values)), "ns/record")
	})
}

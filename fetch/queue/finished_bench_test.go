package queue

import (
	"testing"
	"time"
)

// BenchmarkLastDone is the cost of finding where the last download went
// once a batch ends, with the 90,000 done jobs of a year's store
// (docs/benchmarks.md, "At scale"): asking the queue for each job's
// summary, as the window did, and LastDone's one pass.
func BenchmarkLastDone(b *testing.B) {
	q, err := New(fastOptions(testDB(b, b.TempDir()), nil, nil))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = q.Close() })
	at := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	ids := make([]string, 90_000)
	q.mu.Lock()
	for i := range ids {
		j := fullJob(i)
		j.State, j.Updated = Done, at.Add(time.Duration(i*7919%len(ids))*time.Second)
		bf := briefOf(j, uint64(i+1), q.words)
		q.fin[j.ID], ids[i] = bf, j.ID
		q.finOrder = append(q.finOrder, bf)
	}
	q.mu.Unlock()
	want, _ := q.LastDone()

	b.Run("each-summary", func(b *testing.B) {
		for b.Loop() {
			var last Summary
			for _, id := range ids {
				if s, ok := q.Summary(id); ok && s.State == Done && (last.ID == "" || !s.Updated.Before(last.Updated)) {
					last = s
				}
			}
			if last.ID != want.ID {
				b.Fatalf("the summaries give %s, LastDone %s", last.ID, want.ID)
			}
		}
	})
	b.Run("queue", func(b *testing.B) {
		for b.Loop() {
			if got, _ := q.LastDone(); got.ID != want.ID {
				b.Fatalf("LastDone gave %s, then %s", want.ID, got.ID)
			}
		}
	})
}

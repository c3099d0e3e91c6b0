package cleanup

import (
	"context"
	"iter"
	"time"

	"cloudreel/fetch"
	"cloudreel/fetch/queue"
)

// Lister lists an account's recordings in a range (accounts.Store's
// Recordings for one account).
type Lister func(ctx context.Context, q fetch.Query) iter.Seq2[fetch.Recording, error]

// ListedNow is what the platform lists now, by recording id, on the days
// the jobs' recordings started: Plan checks that every file it lists was
// downloaded, so that a recording with a file nobody downloaded stays. A
// job with no start date is not listable by date; its recording is not
// found, so the rule keeps it.
func ListedNow(ctx context.Context, list Lister, jobs []queue.Job) (map[string]fetch.Recording, error) {
	var q fetch.Query
	for _, j := range jobs {
		t := j.RecordingStart.UTC()
		if t.IsZero() {
			continue
		}
		if q.From.IsZero() || t.Before(q.From) {
			q.From = t
		}
		if t.After(q.To) {
			q.To = t
		}
	}
	out := map[string]fetch.Recording{}
	if q.From.IsZero() {
		return out, nil
	}
	q.From, q.To = q.From.Truncate(24*time.Hour), q.To.Truncate(24*time.Hour)
	for rec, err := range list(ctx, q) {
		if err != nil {
			return nil, err
		}
		out[rec.ID] = rec
	}
	return out, nil
}

package ibmvideo

import (
	"context"
	"strings"
	"testing"
	"time"

	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

const deleteRoute = "DELETE /ibm/videos/{file}"

// A deleted video is gone from the list for good; deleting it again is
// "not found", which a clean-up counts as done. IBM has no trash.
func TestDeleteVideo(t *testing.T) {
	s := newSim(t, 4)
	c := newConnector(t, s, s.Config().Credentials.IBMSecret)
	ctx := context.Background()
	id := s.Recordings(fetch.IBMVideo)[0].ID

	before := s.Requests(deleteRoute)
	if err := c.Delete(ctx, id, fetch.Trash); fetch.KindOf(err) != fetch.KindInvalid || !strings.Contains(err.Error(), "no trash") {
		t.Fatalf("trash on IBM: %v", err)
	}
	if s.Requests(deleteRoute) != before {
		t.Fatal("a trash on IBM reached the server")
	}

	if err := c.Delete(ctx, id, fetch.DeleteForever); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if got := s.FateOf(fetch.IBMVideo, id); got != sim.Deleted {
		t.Fatalf("after delete the video is %q", got)
	}
	recs, err := collect(t, c, fetch.Query{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.ID == id {
			t.Fatal("a deleted video is still listed")
		}
	}
	if err := c.Delete(ctx, id, fetch.DeleteForever); fetch.KindOf(err) != fetch.KindNotFound {
		t.Fatalf("deleting a deleted video: %v", err)
	}
	if err := c.Prepare(ctx, fetch.File{ID: id, Ref: id}); fetch.KindOf(err) != fetch.KindNotFound {
		t.Fatalf("asking for the MP4 of a deleted video: %v", err)
	}
}

// 403 lack_of_ownership is "not allowed", in plain words; a 429 that asks
// for a long wait is "rate-limited"; neither deletes anything.
func TestDeleteVideoErrors(t *testing.T) {
	s := newSim(t, 2)
	c := newConnector(t, s, s.Config().Credentials.IBMSecret)
	ctx := context.Background()
	id := s.Recordings(fetch.IBMVideo)[0].ID

	s.RefuseDeletes(fetch.IBMVideo, true)
	err := c.Delete(ctx, id, fetch.DeleteForever)
	if fetch.KindOf(err) != fetch.KindPermission || !strings.Contains(fetch.Plain(err), "lack_of_ownership") {
		t.Fatalf("refused delete: %v", err)
	}
	s.RefuseDeletes(fetch.IBMVideo, false)

	s.Faults().Set(sim.FaultSet{RateLimited: 1, RetryAfter: 5 * time.Minute})
	if err := c.Delete(ctx, id, fetch.DeleteForever); fetch.KindOf(err) != fetch.KindRateLimited {
		t.Fatalf("rate-limited delete: %v", err)
	}
	s.Faults().Set(sim.FaultSet{})
	if got := s.FateOf(fetch.IBMVideo, id); got != sim.Kept {
		t.Fatalf("a failed delete left the video %q", got)
	}
}

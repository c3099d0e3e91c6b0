package huawei

import (
	"context"
	"testing"
	"time"

	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

const deleteRoute = "DELETE /huawei/v1/mmc/management/record/files"

// A deleted meeting leaves the list; Huawei has no trash, and a meeting
// already gone is not an error (the batch delete finds nothing to do).
func TestDeleteMeeting(t *testing.T) {
	s := newSim(t, 4)
	c := connect(t, accountConfig(s))
	ctx := context.Background()
	id := s.Recordings(fetch.Huawei)[0].ID

	before := s.Requests(deleteRoute)
	if err := c.Delete(ctx, id, fetch.Trash); fetch.KindOf(err) != fetch.KindInvalid {
		t.Fatalf("trash on Huawei: %v", err)
	}
	if err := c.Delete(ctx, "a,b", fetch.DeleteForever); fetch.KindOf(err) != fetch.KindInvalid {
		t.Fatalf("an id with a comma: %v", err)
	}
	if s.Requests(deleteRoute) != before {
		t.Fatal("a refused call reached the server")
	}

	if err := c.Delete(ctx, id, fetch.DeleteForever); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if got := s.FateOf(fetch.Huawei, id); got != sim.Deleted {
		t.Fatalf("after delete the meeting is %q", got)
	}
	now := s.Config().Now
	recs, err := collect(c, fetch.Query{From: now.AddDate(-1, 0, 0), To: now})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.ID == id {
			t.Fatal("a deleted meeting is still listed")
		}
	}
	if err := c.Delete(ctx, id, fetch.DeleteForever); err != nil {
		t.Fatalf("deleting a deleted meeting: %v", err)
	}
	if _, err := c.downloadURLs(ctx, id); fetch.KindOf(err) != fetch.KindNotFound {
		t.Fatalf("the files of a deleted meeting: %v", err)
	}
}

// Huawei's 403 (administrators only) is said in plain words; a long 429
// is rate-limited; neither deletes anything.
func TestDeleteMeetingErrors(t *testing.T) {
	s := newSim(t, 2)
	c := connect(t, appConfig(s))
	ctx := context.Background()
	id := s.Recordings(fetch.Huawei)[0].ID

	s.SetHuaweiAdmin(false)
	err := c.Delete(ctx, id, fetch.DeleteForever)
	if fetch.KindOf(err) != fetch.KindPermission || fetch.Plain(err) != DeletePermissionMessage {
		t.Fatalf("non-administrator delete: %v", err)
	}
	s.SetHuaweiAdmin(true)

	s.Faults().Set(sim.FaultSet{RateLimited: 1, RetryAfter: 5 * time.Minute})
	if err := c.Delete(ctx, id, fetch.DeleteForever); fetch.KindOf(err) != fetch.KindRateLimited {
		t.Fatalf("rate-limited delete: %v", err)
	}
	s.Faults().Set(sim.FaultSet{})
	if got := s.FateOf(fetch.Huawei, id); got != sim.Kept {
		t.Fatalf("a failed delete left the meeting %q", got)
	}
}

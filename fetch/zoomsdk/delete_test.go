package zoomsdk

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

const deleteRoute = "DELETE /zoom/v2/videosdk/sessions/{sessionId}/recordings"

// listedIDs lists the session ids the connector sees over five months.
func listedIDs(t *testing.T, c *Connector, s *sim.Server) []string {
	t.Helper()
	var ids []string
	for rec, err := range c.List(context.Background(), fiveMonths(s)) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, rec.ID)
	}
	return ids
}

// A trashed session leaves the list and comes back when recovered; a
// deleted one is gone for good, and deleting it again says so
// (KindNotFound, which a clean-up counts as done).
func TestDeleteTrashRecoverAndDelete(t *testing.T) {
	s := newSim(t, 6)
	c := newConnector(t, s, nil)
	ctx := context.Background()
	recs := s.Recordings(fetch.ZoomSDK)
	// Session ids are base64: one with a "/" tests the path's encoding.
	i := slices.IndexFunc(recs, func(r *sim.Recording) bool { return strings.Contains(r.ID, "/") })
	if i < 0 {
		i = 0
	}
	id := recs[i].ID
	if !slices.Contains(listedIDs(t, c, s), id) {
		t.Fatalf("session %s is not listed before the clean-up", id)
	}

	if err := c.Delete(ctx, id, fetch.Trash); err != nil {
		t.Fatalf("trash: %v", err)
	}
	if got := s.FateOf(fetch.ZoomSDK, id); got != sim.Trashed {
		t.Fatalf("after trash the session is %q", got)
	}
	if slices.Contains(listedIDs(t, c, s), id) {
		t.Fatal("a trashed session is still listed")
	}
	if err := c.Recover(ctx, id); err != nil {
		t.Fatalf("recover: %v", err)
	}
	if !slices.Contains(listedIDs(t, c, s), id) {
		t.Fatal("a recovered session is not listed")
	}

	if err := c.Delete(ctx, id, fetch.DeleteForever); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if got := s.FateOf(fetch.ZoomSDK, id); got != sim.Deleted {
		t.Fatalf("after delete the session is %q", got)
	}
	err := c.Delete(ctx, id, fetch.DeleteForever)
	if fetch.KindOf(err) != fetch.KindNotFound {
		t.Fatalf("deleting a deleted session: %v (kind %d), want not found", err, fetch.KindOf(err))
	}
	if err := c.Recover(ctx, id); fetch.KindOf(err) != fetch.KindNotFound {
		t.Fatalf("recovering a deleted session: %v, want not found", err)
	}
}

// Each error of a delete comes back typed and in plain words.
func TestDeleteErrors(t *testing.T) {
	s := newSim(t, 3)
	c := newConnector(t, s, nil)
	ctx := context.Background()
	id := s.Recordings(fetch.ZoomSDK)[0].ID

	s.RefuseDeletes(fetch.ZoomSDK, true)
	err := c.Delete(ctx, id, fetch.Trash)
	if fetch.KindOf(err) != fetch.KindPermission || !strings.Contains(fetch.Plain(err), "not allowed to delete") {
		t.Fatalf("refused delete: %v (kind %d)", err, fetch.KindOf(err))
	}
	s.RefuseDeletes(fetch.ZoomSDK, false)
	if got := s.FateOf(fetch.ZoomSDK, id); got != sim.Kept {
		t.Fatalf("a refused delete left the session %q", got)
	}

	s.Faults().Set(sim.FaultSet{RateLimited: 1, RetryAfter: 5 * time.Minute})
	err = c.Delete(ctx, id, fetch.Trash)
	if fetch.KindOf(err) != fetch.KindRateLimited {
		t.Fatalf("rate-limited delete: %v (kind %d)", err, fetch.KindOf(err))
	}
	s.Faults().Set(sim.FaultSet{})

	if err := c.Delete(ctx, "no-such-session", fetch.Trash); fetch.KindOf(err) != fetch.KindNotFound {
		t.Fatalf("unknown session: %v", err)
	}
	before := s.Requests(deleteRoute)
	if err := c.Delete(ctx, id, "shred"); fetch.KindOf(err) != fetch.KindInvalid {
		t.Fatalf("unknown mode: %v", err)
	}
	if s.Requests(deleteRoute) != before {
		t.Fatal("a delete with an unknown mode reached the server")
	}
}

// Zoom asks for a session id that begins with "/" or holds "//" to be
// encoded twice, and any other once.
func TestSessionPathEncoding(t *testing.T) {
	for id, want := range map[string]string{
		"abc+d==":   "abc+d==",
		"ab/cd==":   "ab%2Fcd==",
		"/abcd==":   "%252Fabcd==",
		"ab//cd==":  "ab%252F%252Fcd==",
		"plain-123": "plain-123",
	} {
		if got := sessionPath(id); got != want {
			t.Errorf("sessionPath(%q) = %q, want %q", id, got, want)
		}
	}
}

package cleanup

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"cloudreel/fetch"
	"cloudreel/fetch/queue"
	"cloudreel/fetch/sim"
	"cloudreel/fetch/verify"
)

// A Huawei meeting has three files (HD, SD, shared screen): with one of
// them not verified, the meeting is not deleted; once all three are, its
// delete is scheduled.
func TestOneUnverifiedFileOfThreeKeepsTheRecording(t *testing.T) {
	r := newRig(t, fetch.Huawei)
	rec := r.recording(0)
	if len(rec.Files) != 3 {
		t.Fatalf("the meeting has %d files, the test wants 3", len(rec.Files))
	}
	jobs := r.downloaded(rec, verify.SHA256)
	delete(r.proofs, jobs[1].ID)
	r.cleaner.Grace = time.Nanosecond // due at once: only the rule stands in the way
	plan, res := r.run(Delete, jobs)
	if len(plan.Blocked) != 1 || !strings.Contains(plan.Blocked[0].Reason, "is not verified") || len(res.Done)+len(res.Scheduled) != 0 {
		t.Fatalf("plan %+v, result %+v", plan, res)
	}
	r.now = r.now.Add(time.Hour)
	if _, _ = r.run(Delete, jobs); r.fate(rec.ID) != sim.Kept {
		t.Fatalf("a meeting with an unverified file was %s", r.fate(rec.ID))
	}

	r.proofs[jobs[1].ID] = verify.SHA256
	if _, res = r.run(Delete, jobs); len(res.Scheduled) != 1 {
		t.Fatalf("all verified: %+v", res)
	}
	r.now = r.now.Add(time.Hour)
	if _, res = r.run(Delete, jobs); len(res.Done) != 1 || r.fate(rec.ID) != sim.Deleted {
		t.Fatalf("after its grace period: %+v, %s", res, r.fate(rec.ID))
	}
}

// A file gone from disk, or of another size than downloaded, keeps its
// recording in the cloud.
func TestFileGoneOrChangedOnDiskKeepsTheRecording(t *testing.T) {
	r := newRig(t, fetch.ZoomSDK)
	gone, changed := r.recording(0), r.recording(1)
	jobsGone := r.downloaded(gone, verify.Size)
	jobsChanged := r.downloaded(changed, verify.Size)
	if err := os.Remove(jobsGone[0].Path); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(jobsChanged[0].Path, []byte("short"), 0o600); err != nil {
		t.Fatal(err)
	}
	plan, res := r.run(MoveToTrash, append(jobsGone, jobsChanged...))
	if len(res.Done) != 0 || len(plan.Blocked) != 2 {
		t.Fatalf("plan %+v, result %+v", plan, res)
	}
	reasons := plan.Blocked[0].Reason + " | " + plan.Blocked[1].Reason
	if !strings.Contains(reasons, "no longer on disk") || !strings.Contains(reasons, "on disk has 5 bytes") {
		t.Fatalf("reasons: %s", reasons)
	}
	if r.fate(gone.ID) != sim.Kept || r.fate(changed.ID) != sim.Kept {
		t.Fatal("a recording whose file is not on disk was trashed")
	}
}

// A permanent delete waits its grace period (default 7 days), and one
// that is cancelled is never deleted, nor scheduled again.
func TestPermanentDeleteWaitsItsGracePeriodAndCanBeCancelled(t *testing.T) {
	r := newRig(t, fetch.IBMVideo)
	kept, deleted := r.recording(0), r.recording(1)
	jobs := append(r.downloaded(kept, verify.Length), r.downloaded(deleted, verify.Length)...)
	start := r.now

	plan, res := r.run(Delete, jobs)
	if len(res.Scheduled) != 2 || !plan.Due.Equal(start.Add(7*24*time.Hour)) {
		t.Fatalf("first run: %+v, due %s", res, plan.Due)
	}
	if err := r.store.Cancel("acc", kept.ID, r.now); err != nil {
		t.Fatal(err)
	}
	if err := r.store.Cancel("acc", kept.ID, r.now); err != ErrNotScheduled {
		t.Fatalf("cancelling twice: %v", err)
	}

	r.now = start.Add(7*24*time.Hour - time.Minute)
	plan, res = r.run(Delete, jobs)
	if len(plan.Waiting) != 1 || len(res.Done) != 0 || r.fate(deleted.ID) != sim.Kept {
		t.Fatalf("a minute before the end of the grace period: %+v %+v", plan, res)
	}

	r.now = start.Add(7 * 24 * time.Hour)
	plan, res = r.run(Delete, jobs)
	if len(res.Done) != 1 || res.Done[0].RecordingID != deleted.ID || r.fate(deleted.ID) != sim.Deleted {
		t.Fatalf("at the end of the grace period: %+v", res)
	}
	if r.fate(kept.ID) != sim.Kept || len(plan.Blocked) != 1 || plan.Blocked[0].Reason != "its delete was cancelled" {
		t.Fatalf("the cancelled one: %s, %+v", r.fate(kept.ID), plan.Blocked)
	}
	if left, _ := r.store.Scheduled("acc"); len(left) != 1 || !left[0].Canceled {
		t.Fatalf("scheduled after the run: %+v", left)
	}

	log, err := r.store.Log()
	if err != nil {
		t.Fatal(err)
	}
	var outcomes []string
	for _, e := range log {
		outcomes = append(outcomes, string(e.Outcome))
		if e.Outcome == Deleted && (e.Answer != "done" || e.Files[0].Proof != verify.Length || !e.At.Equal(r.now)) {
			t.Fatalf("the delete's log entry: %+v", e)
		}
	}
	if got := strings.Join(outcomes, ","); got != "scheduled,scheduled,cancelled,deleted" {
		t.Fatalf("log: %s", got)
	}
}

// Keep (and no setting at all) deletes nothing, however verified.
func TestNothingIsDeletedWithoutTheAccountsSetting(t *testing.T) {
	r := newRig(t, fetch.ZoomSDK)
	jobs := r.downloaded(r.recording(0), verify.Size)
	for _, p := range []Policy{"", Keep} {
		plan, res := r.run(p, jobs)
		if !plan.Empty() || len(res.Done) != 0 {
			t.Fatalf("policy %q: %+v", p, plan)
		}
	}
	if n := r.sim.Requests("DELETE /zoom/v2/videosdk/sessions/{sessionId}/recordings"); n != 0 {
		t.Fatalf("%d deletes reached Zoom", n)
	}
}

// A recording nobody downloaded through Cloudreel is never a candidate,
// and neither is one of which a listed file was not downloaded (a
// download of the audio alone).
func TestARecordingNotDownloadedThroughCloudreelIsNeverDeleted(t *testing.T) {
	r := newRig(t, fetch.ZoomSDK)
	whole, partial := r.recording(0), r.recording(1)
	jobs := r.downloaded(whole, verify.Size)
	only := r.downloaded(partial, verify.Size)[:1]
	plan, res := r.run(MoveToTrash, append(jobs, only...))
	if len(res.Done) != 1 || res.Done[0].RecordingID != whole.ID {
		t.Fatalf("trashed %+v", res.Done)
	}
	if len(plan.Blocked) != 1 || !strings.Contains(plan.Blocked[0].Reason, "was not downloaded through Cloudreel") {
		t.Fatalf("blocked %+v", plan.Blocked)
	}
	// One delete call, for the one recording downloaded whole (the
	// simulator's list no longer shows a trashed one: count the calls).
	if n := r.sim.Requests("DELETE /zoom/v2/videosdk/sessions/{sessionId}/recordings"); n != 1 {
		t.Fatalf("%d deletes reached Zoom, want 1", n)
	}
	if r.fate(whole.ID) != sim.Trashed {
		t.Fatalf("the downloaded one is %s", r.fate(whole.ID))
	}
	// The next run leaves the trashed one alone: not listed any more, it
	// is neither tried again nor reported as kept.
	plan, _ = r.run(MoveToTrash, append(jobs, only...))
	if len(plan.Go) != 0 || len(plan.Blocked) != 1 || plan.Blocked[0].RecordingID != partial.ID {
		t.Fatalf("the next run: %+v", plan)
	}
	// Another account's jobs are not this account's candidates.
	other := r.downloaded(r.recording(0), verify.Size)
	for i := range other {
		other[i].AccountID = "someone-else"
	}
	if plan, _ := r.cleaner.Plan(r.account(MoveToTrash), other, r.listed()); len(plan.Go)+len(plan.Blocked) != 0 {
		t.Fatalf("another account's jobs: %+v", plan)
	}
}

// Trash goes at once on Zoom and can be recovered; a session already
// gone counts as done.
func TestZoomTrashAtOnceAndAlreadyGone(t *testing.T) {
	r := newRig(t, fetch.ZoomSDK)
	rec := r.recording(0)
	jobs := r.downloaded(rec, verify.Size)
	if _, res := r.run(MoveToTrash, jobs); len(res.Done) != 1 || r.fate(rec.ID) != sim.Trashed {
		t.Fatalf("trash: %+v, %s", res, r.fate(rec.ID))
	}
	if err := r.conn.(fetch.Recoverer).Recover(context.Background(), rec.ID); err != nil || r.fate(rec.ID) != sim.Kept {
		t.Fatalf("recover: %v, %s", err, r.fate(rec.ID))
	}
	// Recovered by the person: the next run does not trash it again.
	if plan, res := r.run(MoveToTrash, jobs); len(plan.Go) != 0 || len(res.Done) != 0 || r.fate(rec.ID) != sim.Kept {
		t.Fatalf("a recovered session was trashed again: %+v", plan)
	}
	// Deleted elsewhere between the listing and the delete.
	other := r.recording(1)
	jobs = r.downloaded(other, verify.Size)
	plan, err := r.cleaner.Plan(r.account(MoveToTrash), jobs, r.listed())
	if err != nil {
		t.Fatal(err)
	}
	if err := r.conn.(fetch.Deleter).Delete(context.Background(), other.ID, fetch.DeleteForever); err != nil {
		t.Fatal(err)
	}
	res, err := r.cleaner.Run(context.Background(), plan, r.conn.(fetch.Deleter))
	if err != nil || len(res.Done) != 1 {
		t.Fatalf("already gone: %+v, %v", res, err)
	}
	log, _ := r.store.Log()
	if last := log[len(log)-1]; last.Outcome != AlreadyGone {
		t.Fatalf("logged %+v", last)
	}
}

// A refused delete fails in plain words and changes nothing: not the
// cloud, not the local files; a rate limit stops the run and leaves the
// schedule for the next one.
func TestFailedCleanupTouchesNothing(t *testing.T) {
	for _, p := range []fetch.Platform{fetch.ZoomSDK, fetch.IBMVideo, fetch.Huawei} {
		t.Run(string(p), func(t *testing.T) {
			r := newRig(t, p)
			rec := r.recording(0)
			jobs := r.downloaded(rec, verify.Size)
			pol := Delete
			r.cleaner.Grace = time.Nanosecond
			if _, res := r.run(pol, jobs); len(res.Scheduled) != 1 {
				t.Fatalf("not scheduled: %+v", res)
			}
			r.now = r.now.Add(time.Second)

			r.sim.RefuseDeletes(p, true)
			_, res := r.run(pol, jobs)
			if len(res.Failed) != 1 || !strings.Contains(res.Failed[0].Reason, "not allowed") && !strings.Contains(res.Failed[0].Reason, "administrators") {
				t.Fatalf("refused: %+v", res)
			}
			r.sim.RefuseDeletes(p, false)
			assertWhole(t, jobs)
			if r.fate(rec.ID) != sim.Kept {
				t.Fatalf("a refused delete left %s", r.fate(rec.ID))
			}

			plan, err := r.cleaner.Plan(r.account(pol), jobs, r.listed())
			if err != nil {
				t.Fatal(err)
			}
			r.sim.Faults().Set(sim.FaultSet{RateLimited: 1, RetryAfter: 5 * time.Minute})
			res, err = r.cleaner.Run(context.Background(), plan, r.conn.(fetch.Deleter))
			r.sim.Faults().Set(sim.FaultSet{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Wait < 5*time.Minute || len(res.Done)+len(res.Failed) != 0 || r.fate(rec.ID) != sim.Kept {
				t.Fatalf("rate-limited: %+v", res)
			}
			if left, _ := r.store.Scheduled("acc"); len(left) != 1 {
				t.Fatalf("the schedule after a refusal and a rate limit: %+v", left)
			}

			if _, res = r.run(pol, jobs); len(res.Done) != 1 || r.fate(rec.ID) != sim.Deleted {
				t.Fatalf("the next run: %+v, %s", res, r.fate(rec.ID))
			}
			assertWhole(t, jobs)
		})
	}
}

func assertWhole(t *testing.T, jobs []queue.Job) {
	t.Helper()
	for _, j := range jobs {
		if fi, err := os.Stat(j.Path); err != nil || fi.Size() != j.Done {
			t.Fatalf("local file %s touched: %v", j.Path, err)
		}
	}
}

// Valt offers no delete: its policy cannot be set, in plain words; IBM
// and Huawei offer no trash.
func TestPoliciesOfferedPerPlatform(t *testing.T) {
	_, err := ParsePolicy("trash", fetch.Valt)
	if err == nil || !strings.Contains(err.Error(), "Valt documents no way to delete") {
		t.Fatalf("Valt trash: %v", err)
	}
	if _, err := ParsePolicy("delete", fetch.Valt); err == nil {
		t.Fatal("Valt delete accepted")
	}
	if _, err := ParsePolicy("trash", fetch.IBMVideo); err == nil || !strings.Contains(err.Error(), "no trash") {
		t.Fatalf("IBM trash: %v", err)
	}
	for in, want := range map[string]Policy{"": Keep, "Keep": Keep, "trash": MoveToTrash, " delete ": Delete} {
		if got, err := ParsePolicy(in, fetch.ZoomSDK); err != nil || got != want {
			t.Errorf("ParsePolicy(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParsePolicy("shred", fetch.ZoomSDK); err == nil {
		t.Fatal("an unknown policy was accepted")
	}
}

// The confirmation says what will go, how and when.
func TestSummary(t *testing.T) {
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.Local)
	items := make([]Item, 12)
	for i := range items {
		items[i].Size = 350_000_000
	}
	got := Summary(items, fetch.IBMVideo, fetch.DeleteForever, time.Date(2026, 12, 9, 9, 0, 0, 0, time.Local), now)
	if want := "12 recordings, 4.2 GB, from IBM Video Streaming, permanently, on 9 December"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	got = Summary(items[:1], fetch.ZoomSDK, fetch.Trash, now, now)
	if want := "1 recording, 350 MB, from Zoom Video SDK, to the trash, now"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := Countdown(now.Add(7*24*time.Hour), now); got != "in 7 days" {
		t.Errorf("countdown %q", got)
	}
}

// Without a Verifier of its own, the cleaner trusts the proof the queue
// stored with each job, and only for a Verified one.
func TestJobProofIsTheDefault(t *testing.T) {
	r := newRig(t, fetch.ZoomSDK)
	r.cleaner.Verified = nil
	jobs := r.downloaded(r.recording(0), verify.None)
	plan, err := r.cleaner.Plan(r.account(MoveToTrash), jobs, r.listed())
	if err != nil || len(plan.Go) != 0 || len(plan.Blocked) != 1 {
		t.Fatalf("jobs without a proof: %+v, %v", plan, err)
	}
	for i := range jobs {
		jobs[i].Proof = verify.Size
	}
	if plan, err = r.cleaner.Plan(r.account(MoveToTrash), jobs, r.listed()); err != nil || len(plan.Go) != 1 {
		t.Fatalf("jobs with a proof: %+v, %v", plan, err)
	}
	if plan.Go[0].Files[0].Proof != verify.Size {
		t.Fatalf("the proof carried: %+v", plan.Go[0].Files[0])
	}
}

// A file that leaves the disk during the grace period stops the delete
// when it falls due; the first clean-up of an account is known as such.
func TestFileGoneDuringTheGracePeriodStopsTheDelete(t *testing.T) {
	r := newRig(t, fetch.IBMVideo)
	rec := r.recording(0)
	jobs := r.downloaded(rec, verify.Length)
	if !r.store.FirstTime("acc") {
		t.Fatal("a new store says the account was cleaned before")
	}
	if _, res := r.run(Delete, jobs); len(res.Scheduled) != 1 {
		t.Fatalf("not scheduled: %+v", res)
	}
	if r.store.FirstTime("acc") {
		t.Fatal("after a scheduled delete it is still the first time")
	}
	if err := os.Remove(jobs[0].Path); err != nil {
		t.Fatal(err)
	}
	r.now = r.now.Add(8 * 24 * time.Hour)
	plan, res := r.run(Delete, jobs)
	if len(res.Done) != 0 || len(plan.Blocked) != 1 || r.fate(rec.ID) != sim.Kept {
		t.Fatalf("a delete whose file left the disk went: %+v, %s", plan, r.fate(rec.ID))
	}
}

package gui

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/cleanup"
	"cloudreel/fetch/locale"
	"cloudreel/fetch/queue"
	"cloudreel/fetch/sim"
)

// overlayTexts are the texts of every label in the dialog on top.
func (h *harness) overlayTexts() string {
	o := h.overlay()
	if o == nil {
		return ""
	}
	var out []string
	for _, l := range find(o, (func(*widget.Label) bool)(nil)) {
		out = append(out, l.Text)
	}
	return strings.Join(out, "\n")
}

// setPolicy saves an account's setting for after the download, as the
// account dialog does.
func (h *harness) setPolicy(a accounts.Account, p cleanup.Policy) accounts.Account {
	h.t.Helper()
	a.Cleanup = string(p)
	if err := h.store.Update(context.Background(), a, ""); err != nil {
		h.t.Fatal(err)
	}
	return a
}

// sizeOf is the bytes of a recording's downloaded files.
func sizeOf(jobs []queue.Job, recID string) int64 {
	var n int64
	for _, j := range jobs {
		if j.RecordingID == recID {
			n += j.Size
		}
	}
	return n
}

// The first clean-up of an account is confirmed with the cleanup
// package's sentence; the recording then goes to Zoom's trash, the log in
// Cleaned up says so, and the downloaded files stay. The next batch's
// trash needs no confirmation.
func TestTrashAfterABatchIsConfirmedTheFirstTime(t *testing.T) {
	h := newHarness(t, harnessOptions{sim: simSmall})
	a := h.setPolicy(h.addAccount(fetch.ZoomSDK, "School Zoom"), cleanup.MoveToTrash)
	rec, jobs := downloadFirst(t, h)
	want := "1 recording, " + locale.Now().Bytes(sizeOf(jobs, rec.ID)) + ", from Zoom Video SDK, to the trash, now"
	h.eventually("the first clean-up's confirmation", func() bool { return strings.Contains(h.overlayTexts(), want) })
	if f := h.sim.FateOf(fetch.ZoomSDK, rec.ID); f != sim.Kept {
		t.Fatalf("the recording is %q before the confirmation", f)
	}
	h.ui(func() { test.Tap(button(t, h.overlay(), "Clean up")) })
	h.eventually("the recording in Zoom's trash", func() bool { return h.sim.FateOf(fetch.ZoomSDK, rec.ID) == sim.Trashed })
	h.eventually("what the clean-up did", func() bool {
		return strings.Contains(h.overlayTexts(), a.Name+": 1 recording moved to the trash of Zoom Video SDK.")
	})
	h.ui(func() { test.Tap(button(t, h.overlay(), "OK")) })
	for _, j := range jobs {
		if _, err := os.Stat(j.Path); err != nil {
			t.Errorf("the clean-up touched the downloaded file: %v", err)
		}
	}

	h.ui(func() { test.Tap(button(t, h.content(), "Cleaned up")) })
	h.eventually("the log in Cleaned up", func() bool {
		s := h.overlayTexts()
		return strings.Contains(s, "School Zoom · “"+rec.Title+"”") && strings.Contains(s, "moved to the trash")
	})
	h.ui(func() { test.Tap(button(t, h.overlay(), "Close")) })

	// Not the first time: trash goes at once.
	h.tick(1)
	var second fetch.Recording
	h.ui(func() {
		second = h.w.recordings.model.Ticked()[0]
		test.Tap(h.w.recordings.download)
	})
	h.eventually("the second recording in Zoom's trash", func() bool { return h.sim.FateOf(fetch.ZoomSDK, second.ID) == sim.Trashed })
	h.eventually("what the second clean-up did", func() bool { return strings.Contains(h.overlayTexts(), "moved to the trash of Zoom Video SDK") })
	h.ui(func() {
		if len(find(h.overlay(), func(b *widget.Button) bool { return b.Text == "Clean up" })) > 0 {
			t.Error("the second trash asked again")
		}
	})
}

// Without a setting (keep, the default), a batch ends and nothing is
// cleaned up or asked.
func TestKeepCleansNothing(t *testing.T) {
	h := newHarness(t, harnessOptions{sim: simSmall})
	a := h.addAccount(fetch.ZoomSDK, "School Zoom")
	rec, _ := downloadFirst(t, h)
	h.eventually("the batch banner", func() bool { return h.w.banner.root.Visible() })
	plan, err := h.w.planCleanup(context.Background(), a)
	if err != nil || !plan.Empty() {
		t.Fatalf("the plan for an account that keeps: %+v, %v", plan, err)
	}
	h.ui(func() {
		if o := h.overlay(); o != nil {
			t.Errorf("a dialog after a batch of an account that keeps: %q", h.overlayTexts())
		}
		test.Tap(button(t, h.content(), "Cleaned up"))
	})
	h.eventually("Cleaned up to say nothing was", func() bool { return strings.Contains(h.overlayTexts(), "Nothing has been cleaned up yet.") })
	if f := h.sim.FateOf(fetch.ZoomSDK, rec.ID); f != sim.Kept {
		t.Errorf("the recording is %q", f)
	}
}

// A permanent delete is confirmed with its day, waits its grace period
// with a countdown in Cleaned up, and its Cancel keeps the recording.
func TestPermanentDeleteWaitsAndCanBeCancelled(t *testing.T) {
	h := newHarness(t, harnessOptions{sim: simSmall})
	h.ui(func() { h.w.win.Resize(fyne.NewSize(1180, 1400)) })
	a := h.setPolicy(h.addAccount(fetch.IBMVideo, "Company videos"), cleanup.Delete)
	rec, jobs := downloadFirst(t, h)
	now := time.Now()
	want := "1 recording, " + locale.Now().Bytes(sizeOf(jobs, rec.ID)) + ", from IBM Video Streaming, permanently, on " + cleanup.Day(now.Add(cleanup.DefaultGrace), now)
	h.eventually("the permanent delete's confirmation", func() bool { return strings.Contains(h.overlayTexts(), want) })
	h.ui(func() { test.Tap(button(t, h.overlay(), "Clean up")) })
	h.eventually("the delete scheduled", func() bool { return strings.Contains(h.overlayTexts(), "Scheduled: "+want+" (in 7 days)") })
	h.ui(func() { test.Tap(button(t, h.overlay(), "OK")) })
	if f := h.sim.FateOf(fetch.IBMVideo, rec.ID); f != sim.Kept {
		t.Fatalf("the recording is %q during its grace period", f)
	}

	h.ui(func() { test.Tap(button(t, h.content(), "Cleaned up")) })
	h.eventually("the waiting delete with its countdown", func() bool {
		return strings.Contains(h.overlayTexts(), "“"+rec.Title+"” (Company videos, IBM Video Streaming, "+locale.Now().Bytes(sizeOf(jobs, rec.ID))+"): deleted permanently on "+cleanup.Day(now.Add(cleanup.DefaultGrace), now)+" (in 7 days)")
	})
	h.ui(func() { test.Tap(button(t, h.overlay(), "Cancel")) })
	h.eventually("the delete cancelled", func() bool {
		s, err := h.cleanup.Scheduled(a.ID)
		return err == nil && len(s) == 1 && s[0].Canceled && strings.Contains(h.overlayTexts(), "kept: delete cancelled")
	})
	h.ui(func() {
		if n := len(find(h.overlay(), func(b *widget.Button) bool { return b.Text == "Cancel" })); n != 0 {
			t.Errorf("%d Cancel buttons left after cancelling the only delete", n)
		}
	})
	if f := h.sim.FateOf(fetch.IBMVideo, rec.ID); f != sim.Kept {
		t.Errorf("the cancelled recording is %q", f)
	}
}

// A delete the platform refuses says why in plain words and changes
// nothing, on the platform or on disk.
func TestRefusedCleanupSaysWhy(t *testing.T) {
	h := newHarness(t, harnessOptions{sim: simSmall})
	h.setPolicy(h.addAccount(fetch.ZoomSDK, "School Zoom"), cleanup.MoveToTrash)
	h.sim.RefuseDeletes(fetch.ZoomSDK, true)
	rec, jobs := downloadFirst(t, h)
	h.eventually("the confirmation", func() bool { return strings.Contains(h.overlayTexts(), "to the trash, now") })
	h.ui(func() { test.Tap(button(t, h.overlay(), "Clean up")) })
	h.eventually("the refusal", func() bool {
		return strings.Contains(h.overlayTexts(), "“"+rec.Title+"” was not cleaned up, and nothing was changed: ")
	})
	if f := h.sim.FateOf(fetch.ZoomSDK, rec.ID); f != sim.Kept {
		t.Errorf("the refused recording is %q", f)
	}
	for _, j := range jobs {
		if _, err := os.Stat(j.Path); err != nil {
			t.Errorf("a refused clean-up touched the downloaded file: %v", err)
		}
	}
}

// The account dialog offers only what the platform can do, keep first
// and chosen; for Valt it says that Valt documents no delete and offers
// nothing. A choice made is saved with the account.
func TestAccountDialogOffersThePlatformsCleanups(t *testing.T) {
	h := newHarness(t, harnessOptions{sim: simSmall})
	d := openAddAccount(h)
	for _, c := range []struct {
		p    fetch.Platform
		want []string
	}{
		{fetch.ZoomSDK, []string{"keep it", "move it to the trash", "delete it"}},
		{fetch.IBMVideo, []string{"keep it", "delete it"}},
		{fetch.Huawei, []string{"keep it", "delete it"}},
		{fetch.Valt, nil},
	} {
		h.ui(func() {
			d.platform.SetSelected(c.p.Title())
			texts := strings.Join(dialogTexts(h), "\n")
			if c.want == nil {
				if d.cleanup != nil {
					t.Errorf("%s: choices %v offered", c.p, d.cleanup.Options)
				}
				if !strings.Contains(texts, "Valt documents no way to delete") {
					t.Errorf("%s: the dialog does not say Valt documents no delete", c.p)
				}
				return
			}
			if d.cleanup == nil || !slices.Equal(d.cleanup.Options, c.want) || d.cleanup.Selected != "keep it" {
				t.Errorf("%s: choices %+v, want %v with keep it chosen", c.p, d.cleanup, c.want)
			}
			if !strings.Contains(texts, "After a recording is downloaded and verified:") {
				t.Errorf("%s: the setting is not shown", c.p)
			}
		})
	}
	h.ui(func() { d.dlg.Hide() })

	a := h.addAccount(fetch.ZoomSDK, "School Zoom")
	edit := newAccountDialog(h.w, &a)
	h.ui(func() {
		edit.show()
		edit.cleanup.SetSelected("move it to the trash")
		test.Tap(edit.save)
	})
	h.eventually("the setting saved", func() bool {
		got, err := h.store.Get(a.ID)
		return err == nil && got.Cleanup == "trash"
	})
	got, _ := h.store.Get(a.ID)
	again := newAccountDialog(h.w, &got)
	h.ui(func() {
		again.show()
		if again.cleanup.Selected != "move it to the trash" {
			t.Errorf("the saved setting shows as %q", again.cleanup.Selected)
		}
		again.dlg.Hide()
	})
}

// cleanupSweepStates are the dialogs of this file and verify.go for the
// button sweep: the check's report, Cleaned up with a delete waiting (its
// Cancel), and a clean-up's confirmation. Each prepare mends what the
// previous tap changed.
func cleanupSweepStates(h *harness) []sweepState {
	account := func(h *harness) accounts.Account {
		a := h.ensureAccount(fetch.ZoomSDK, "Sweep clean-up", "")
		h.showAccount(a)
		return a
	}
	waiting := func(h *harness, a accounts.Account) cleanup.Plan {
		return cleanup.Plan{
			Account: cleanup.Account{ID: a.ID, Name: a.Name, Platform: a.Platform, Policy: cleanup.Delete},
			Mode:    fetch.DeleteForever,
			// Not one of the simulator's recordings: a swept Clean up
			// finds it already gone, and nothing real is touched.
			Schedule: []cleanup.Item{{RecordingID: "sweep-not-a-recording", Title: "Sweep recording", Size: 1 << 20}},
			Due:      time.Now().Add(cleanup.DefaultGrace),
		}
	}
	return []sweepState{
		{name: "Check downloaded files", dialog: true, prepare: func(h *harness) {
			account(h)
			h.ui(func() { test.Tap(button(h.t, h.content(), "Check downloaded files")) })
			h.eventually("the check's report", func() bool { return strings.Contains(h.overlayTexts(), "There are no downloaded files to check.") })
		}},
		{name: "Cleaned up with a delete waiting", dialog: true, prepare: func(h *harness) {
			a := account(h)
			s, err := h.cleanup.Scheduled(a.ID)
			if err != nil {
				h.t.Fatal(err)
			}
			if len(s) == 0 || s[0].Canceled {
				if err := h.cleanup.Forget(a.ID); err != nil {
					h.t.Fatal(err)
				}
				if _, err := (&cleanup.Cleaner{Store: h.cleanup}).Run(context.Background(), waiting(h, a), nil); err != nil {
					h.t.Fatal(err)
				}
			}
			h.ui(func() { test.Tap(button(h.t, h.content(), "Cleaned up")) })
			h.eventually("the waiting delete", func() bool {
				return len(find(h.overlay(), func(b *widget.Button) bool { return b.Text == "Cancel" })) == 1
			})
		}},
		{name: "a clean-up's confirmation", dialog: true, prepare: func(h *harness) {
			a := account(h)
			p := waiting(h, a)
			p.Mode, p.Account.Policy, p.Go, p.Schedule = fetch.Trash, cleanup.MoveToTrash, p.Schedule, nil
			h.ui(func() { h.w.offerCleanup(a, p, true) })
			h.eventually("the confirmation", func() bool { return h.overlay() != nil })
		}},
	}
}

func TestSweepTapsEveryButtonOfTheCleanupDialogs(t *testing.T) {
	h := newHarness(t, smallSim)
	sweep(t, h, cleanupSweepStates(h))
}

// "Not now" leaves the recordings for the next batch, which asks again;
// while a clean-up is asked, the same account is not asked twice.
func TestNotNowAsksAgainAfterTheNextBatch(t *testing.T) {
	h := newHarness(t, harnessOptions{sim: simSmall})
	a := h.setPolicy(h.addAccount(fetch.ZoomSDK, "School Zoom"), cleanup.MoveToTrash)
	rec, _ := downloadFirst(t, h)
	asked := func() bool { return strings.Contains(h.overlayTexts(), "to the trash, now") }
	h.eventually("the confirmation", asked)
	if h.w.cleanups.claim(a.ID) {
		t.Error("the account's clean-up could be claimed while it is asked")
	}
	h.ui(func() { test.Tap(button(t, h.overlay(), "Not now")) })
	if f := h.sim.FateOf(fetch.ZoomSDK, rec.ID); f != sim.Kept {
		t.Fatalf("the recording is %q after Not now", f)
	}
	if !h.w.cleanups.claim(a.ID) {
		t.Fatal("the account's clean-up is still claimed after Not now")
	}
	h.w.cleanups.release(a.ID)
	h.w.cleanUpAfterBatch()
	h.eventually("the confirmation again", asked)
	h.ui(func() { test.Tap(button(t, h.overlay(), "Clean up")) })
	h.eventually("the recording in Zoom's trash", func() bool { return h.sim.FateOf(fetch.ZoomSDK, rec.ID) == sim.Trashed })
}

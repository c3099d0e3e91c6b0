package gui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/queue"
	"cloudreel/fetch/sim"
)

// In the demo, choosing a platform in the add-account dialog fills in the
// simulator's sample account, so that a person only presses Save.
func TestDemoFillsTheAddAccountDialog(t *testing.T) {
	opts := smallSim
	opts.demoAccount = func(h *harness) func(fetch.Platform) (accounts.Account, string, bool) {
		return func(p fetch.Platform) (accounts.Account, string, bool) {
			c := sim.DefaultCredentials
			if p != fetch.IBMVideo {
				return accounts.Account{}, "", false
			}
			return accounts.Account{Platform: p, Server: h.sim.BaseURL(p), ClientID: c.IBMClientID}, c.IBMSecret, true
		}
	}
	h := newHarness(t, opts)
	var d *accountDialog
	h.ui(func() {
		d = newAccountDialog(h.w, nil)
		d.show()
		d.platform.SetSelected(fetch.IBMVideo.Title())
	})
	h.ui(func() {
		if d.clientID.Text != sim.DefaultCredentials.IBMClientID || d.secret.Text == "" {
			t.Fatalf("the demo did not fill the dialog: client ID %q", d.clientID.Text)
		}
		if !strings.Contains(d.status.Text, "demo") {
			t.Fatalf("the dialog does not say the details are the demo's: %q", d.status.Text)
		}
		test.Tap(d.save)
	})
	h.eventually("the demo account to be saved and listed", func() bool {
		list, err := h.store.List()
		return err == nil && len(list) == 1 && list[0].Server == h.sim.BaseURL(fetch.IBMVideo) &&
			h.w.recordings.account.ID == list[0].ID && h.w.recordings.model.Total() > 0
	})

	// Outside the demo (or for a platform it has no sample of) nothing is filled.
	h.ui(func() {
		d = newAccountDialog(h.w, nil)
		d.show()
		d.platform.SetSelected(fetch.ZoomSDK.Title())
		if d.apiKey.Text != "" || d.secret.Text != "" || d.demoServer != "" {
			t.Fatalf("a platform without a demo sample was filled: %q", d.apiKey.Text)
		}
	})
}

// After an account is edited, downloads sign in with what was saved: the
// queue asks for the account's connector again instead of using the old one.
func TestEditingAnAccountRenewsTheDownloadsSignIn(t *testing.T) {
	h := newHarness(t, smallSim)
	a := h.addAccount(fetch.ZoomSDK, "School Zoom")
	download := func(row int) {
		h.tick(row)
		var n int
		h.ui(func() {
			n = filesOf(h.w.recordings.model.Ticked()...)
			test.Tap(h.w.recordings.download)
		})
		h.eventually("the download to finish", func() bool {
			done := 0
			for _, j := range h.queue.Jobs() {
				if j.State == queue.Done {
					done++
				}
			}
			return done >= n && len(h.queue.Jobs()) >= n
		})
	}
	download(0)
	before := h.connects.Load()
	if before == 0 {
		t.Fatal("the queue never asked for a connector")
	}
	var d *accountDialog
	h.ui(func() {
		d = newAccountDialog(h.w, &a)
		d.show()
		d.secret.SetText(sim.DefaultCredentials.ZoomSecret)
		test.Tap(d.save)
	})
	h.eventually("the edit to be saved", func() bool { return !d.save.Disabled() && d.status.Text == "" })
	download(1)
	if after := h.connects.Load(); after <= before {
		t.Fatalf("the queue kept the connector from before the edit (%d asks before, %d after)", before, after)
	}
}

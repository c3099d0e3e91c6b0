package gui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cloudreel/fetch"
)

// An account whose secret is saved nowhere (kept for one session, and
// Cloudreel was restarted) says "Needs attention: sign in again" in the
// list before it is even chosen, in the centre when chosen, and its Edit
// dialog does not offer to keep a saved secret there is none of.
func TestAnAccountWithoutItsSecretNeedsSigningInAgain(t *testing.T) {
	h := newHarness(t, smallSim)
	ready := h.addAccount(fetch.ZoomSDK, "School Zoom")
	lost := h.ensureAccount(fetch.IBMVideo, "Lectures", "")
	if err := h.store.Secrets().Delete(context.Background(), lost.ID); err != nil {
		t.Fatal(err)
	}
	const want = "Needs attention: sign in again"
	h.ui(func() { h.w.accounts.selectAfterReload(ready.ID) })
	h.eventually("the list to say the account needs signing in again", func() bool {
		return h.w.accounts.state(lost.ID).text == want && hasLabel(h.w.accounts.list, want)
	})
	h.ui(func() {
		if st := h.w.accounts.state(ready.ID); st.attention {
			t.Errorf("the account with its secret says %q", st.text)
		}
	})

	h.showAccount(lost)
	h.ui(func() {
		v := h.w.recordings
		if !v.problem.Visible() || !strings.Contains(v.problemText.Text, "enter it again") {
			t.Errorf("the centre says %q (problem shown: %v)", v.problemText.Text, v.problem.Visible())
		}
		if got := h.w.accounts.state(lost.ID).text; got != want {
			t.Errorf("after listing, the list says %q", got)
		}
		test.Tap(button(t, v.problem, "Edit account"))
	})
	h.eventually("Edit account's dialog", func() bool { return h.overlay() != nil })
	h.ui(func() {
		d := h.overlay()
		if strings.Contains(flatText(d), "keep the saved") {
			t.Error("the Edit dialog offers to keep a saved secret there is none of")
		}
		secret := find(d, func(e *widget.Entry) bool { return e.Password })
		if len(secret) != 1 {
			t.Fatalf("found %d secret fields", len(secret))
		}
		if strings.Contains(secret[0].PlaceHolder, "keep the saved") {
			t.Errorf("the secret field says %q", secret[0].PlaceHolder)
		}
	})
}

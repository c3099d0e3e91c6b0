package gui

import (
	"context"
	"strings"
	"testing"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cloudreel/accounts"
	"cloudreel/fetch"
)

var smallSim = harnessOptions{sim: simSmall}

func TestWelcomeWhenThereAreNoAccounts(t *testing.T) {
	h := newHarness(t, smallSim)
	h.eventually("the welcome", func() bool { return hasLabel(h.content(), "Welcome to Cloudreel") })
	h.ui(func() {
		if got := h.w.win.Title(); got != "Cloudreel" {
			t.Errorf("title %q, want Cloudreel", got)
		}
		button(t, h.content(), "Add an account")
		if n := len(find(h.content(), func(b *widget.Button) bool { return b.Text == "Try the demo" })); n != 0 {
			t.Errorf("\"Try the demo\" shown without a demo to start")
		}
		if n := h.w.recordings.model.Total(); n != 0 {
			t.Errorf("%d recordings listed without an account", n)
		}
		if len(find(h.content(), func(e *searchEntry) bool { return e == h.w.recordings.search })) > 0 {
			t.Error("the recordings table is shown under the welcome")
		}
	})
}

func TestTryTheDemoAddsAccountsAndLeavesTheWelcome(t *testing.T) {
	opts := smallSim
	opts.startDemo = func(h *harness) func(context.Context) error {
		return func(ctx context.Context) error {
			c := h.sim.Config().Credentials
			_, err := h.store.Add(ctx, accounts.Account{Platform: fetch.ZoomSDK, Name: "Demo school", Server: h.sim.BaseURL(fetch.ZoomSDK), APIKey: c.ZoomKey}, c.ZoomSecret)
			return err
		}
	}
	h := newHarness(t, opts)
	h.eventually("the welcome", func() bool { return hasLabel(h.content(), "Welcome to Cloudreel") })
	h.ui(func() { test.Tap(button(t, h.content(), "Try the demo")) })
	h.eventually("the demo account in the list", func() bool { return hasLabel(h.w.accounts.list, "Demo school") })
	h.eventually("the demo's recordings", func() bool {
		return !hasLabel(h.content(), "Welcome to Cloudreel") && h.w.recordings.model.Total() == len(h.recent(fetch.ZoomSDK))
	})
	h.ui(func() {
		if !hasLabel(h.w.accounts.list, fetch.ZoomSDK.Title()) {
			t.Error("the accounts list has no Zoom Video SDK heading")
		}
	})
}

// fillZoomDialog opens "Add an account" from the welcome, chooses Zoom and
// types the API key, the secret and a name, as a person would.
func fillZoomDialog(t *testing.T, h *harness, key, secret, name string) {
	t.Helper()
	h.eventually("the welcome", func() bool { return hasLabel(h.content(), "Welcome to Cloudreel") })
	h.ui(func() {
		test.Tap(button(t, h.content(), "Add an account"))
		dlg := h.overlay()
		if dlg == nil {
			t.Fatal("no dialog opened")
		}
		platforms := find(dlg, func(s *widget.Select) bool { return s.PlaceHolder == "Choose the platform" })
		if len(platforms) != 1 {
			t.Fatalf("found %d platform choices", len(platforms))
		}
		platforms[0].SetSelected(fetch.ZoomSDK.Title())
		form := find(dlg, (func(*widget.Form) bool)(nil))[0]
		fields := map[string]*widget.Entry{}
		for _, it := range form.Items {
			if e, ok := it.Widget.(*widget.Entry); ok {
				fields[it.Text] = e
			}
		}
		for _, want := range []string{"API key", "API secret", "Name in Cloudreel"} {
			if fields[want] == nil {
				t.Fatalf("the Zoom form has no %q field (has %v)", want, form.Items)
			}
		}
		for label := range fields {
			if label != "API key" && label != "API secret" && label != "Name in Cloudreel" {
				t.Errorf("the Zoom form asks for %q, which Zoom does not need", label)
			}
		}
		if !fields["API secret"].Password {
			t.Error("the API secret is not masked")
		}
		test.Type(fields["API key"], key)
		test.Type(fields["API secret"], secret)
		test.Type(fields["Name in Cloudreel"], name)
		test.Tap(button(t, dlg, "Save"))
	})
}

func TestAddAccountThroughTheDialog(t *testing.T) {
	h := newHarness(t, smallSim)
	c := h.sim.Config().Credentials
	fillZoomDialog(t, h, c.ZoomKey, c.ZoomSecret, "School Zoom")

	h.eventually("the dialog to close", func() bool { return h.overlay() == nil })
	h.eventually("the account in the list", func() bool { return hasLabel(h.w.accounts.list, "School Zoom") })
	list, err := h.store.List()
	if err != nil || len(list) != 1 || list[0].APIKey != c.ZoomKey || list[0].Platform != fetch.ZoomSDK {
		t.Fatalf("the store holds %+v (%v), want the one Zoom account", list, err)
	}
	h.waitLoaded(list[0])
	want := len(h.recent(fetch.ZoomSDK))
	h.ui(func() {
		if got := h.w.recordings.model.Len(); got != want {
			t.Errorf("%d recordings listed, the simulator has %d in the last 30 days", got, want)
		}
		if got := h.w.recordings.heading.Text; got != "School Zoom — Zoom Video SDK" {
			t.Errorf("heading %q", got)
		}
		if !hasLabel(h.w.accounts.list, "Ready") {
			t.Error("the account does not say Ready")
		}
	})
}

func TestWrongSecretInTheDialogIsASentence(t *testing.T) {
	h := newHarness(t, smallSim)
	const wrong = "not-the-zoom-secret-8812"
	fillZoomDialog(t, h, h.sim.Config().Credentials.ZoomKey, wrong, "School Zoom")

	var status *widget.Label
	h.eventually("the dialog to say what went wrong", func() bool {
		dlg := h.overlay()
		if dlg == nil {
			return false
		}
		ls := find(dlg, func(l *widget.Label) bool { return l.Importance == widget.DangerImportance && l.Text != "" })
		if len(ls) == 0 {
			return false
		}
		status = ls[0]
		return true
	})
	h.ui(func() {
		msg := status.Text
		t.Logf("the dialog says: %s", msg)
		first := []rune(msg)[0]
		if !unicode.IsUpper(first) || !strings.HasSuffix(strings.TrimSpace(msg), ".") {
			t.Errorf("%q is not a sentence", msg)
		}
		for _, jargon := range []string{wrong, "401", "http", "{", "JWT", "token"} {
			if strings.Contains(msg, jargon) {
				t.Errorf("%q shows %q", msg, jargon)
			}
		}
		if h.overlay() == nil {
			t.Error("the dialog closed on a failure")
		}
		save := button(t, h.overlay(), "Save")
		if save.Disabled() {
			t.Error("Save stays disabled after the failure: the person cannot fix and try again")
		}
	})
	if list, _ := h.store.List(); len(list) != 0 {
		t.Errorf("an account was saved with a wrong secret: %+v", list)
	}
}

// centreOf is the centre of an object, in absolute coordinates.
func centreOf(o fyne.CanvasObject) fyne.Position {
	p := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
	return p.Add(fyne.NewPos(o.Size().Width/2, o.Size().Height/2))
}

func TestAnAccountThatCannotSignInSaysWhy(t *testing.T) {
	h := newHarness(t, smallSim)
	const wrong = "an-old-valt-password-5531"
	a := h.saveAccount(fetch.Valt, "Interview suite", wrong)
	v := h.w.recordings
	h.eventually("the account to need attention", func() bool {
		return h.w.accounts.state(a.ID).attention && hasLabel(h.w.accounts.list, "Needs attention: sign-in refused")
	})
	h.ui(func() {
		if v.table.Visible() || !v.problem.Visible() {
			t.Error("the empty table is shown instead of the problem")
		}
		msg := v.problemText.Text
		t.Logf("the window says: %s", msg)
		if msg == "" || !unicode.IsUpper([]rune(msg)[0]) || !strings.HasSuffix(msg, ".") || strings.Contains(msg, wrong) || strings.Contains(msg, "://") {
			t.Errorf("%q is not a plain sentence", msg)
		}
		if reason := h.w.accounts.state(a.ID).reason; reason != msg {
			t.Errorf("the accounts list gives the reason %q, the centre %q", reason, msg)
		}
		if v.model.Total() != 0 || v.loading.Visible() {
			t.Errorf("%d recordings, loading %v after a failed sign-in", v.model.Total(), v.loading.Visible())
		}
	})
}

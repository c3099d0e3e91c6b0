package gui

import (
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cloudreel/fetch/queue"
)

// settingsItem opens Settings (when not open) and returns its field text.
func settingsItem(t *testing.T, h *harness, text string) fyne.CanvasObject {
	t.Helper()
	if h.overlay() == nil {
		test.Tap(button(t, h.content(), "Settings"))
	}
	for _, form := range find(h.overlay(), (func(*widget.Form) bool)(nil)) {
		for _, it := range form.Items {
			if it.Text == text {
				return it.Widget
			}
			if c, ok := it.Widget.(*widget.Check); ok && c.Text == text {
				return c
			}
		}
	}
	t.Fatalf("Settings has no %q", text)
	return nil
}

// The speed limit between hours is kept with the settings and handed to
// the queue's schedule; a time that is not one is refused.
func TestSettingsSpeedScheduleIsSaved(t *testing.T) {
	h := newHarness(t, smallSim)
	h.ui(func() {
		row := settingsItem(t, h, "Between hours (MB/s)").(*fyne.Container)
		limit, from, to := row.Objects[0].(*widget.Entry), row.Objects[1].(*widget.Entry), row.Objects[3].(*widget.Entry)
		if from.Text != "8:00" || to.Text != "18:00" || limit.Text != "" {
			t.Errorf("the schedule starts as %q from %q to %q", limit.Text, from.Text, to.Text)
		}
		limit.SetText("2")
		to.SetText("25:00")
		test.Tap(button(t, h.overlay(), "Save"))
	})
	h.ui(func() {
		if h.w.settings.schedule() != nil {
			t.Fatalf("a schedule to 25:00 was kept: %+v", h.w.settings.schedule())
		}
		if !strings.Contains(flatText(h.overlay()), "25:00") {
			t.Fatalf("no word of the wrong time: %q", flatText(h.overlay()))
		}
		test.Tap(button(t, h.overlay(), "OK"))
	})
	h.ui(func() {
		row := settingsItem(t, h, "Between hours (MB/s)").(*fyne.Container)
		row.Objects[0].(*widget.Entry).SetText("2")
		row.Objects[1].(*widget.Entry).SetText("8")
		row.Objects[3].(*widget.Entry).SetText("18.30")
		test.Tap(button(t, h.overlay(), "Save"))
	})
	want := queue.SpeedSchedule{From: 8 * time.Hour, To: 18*time.Hour + 30*time.Minute, Limit: 2e6}
	h.ui(func() {
		got := h.w.settings.schedule()
		if got == nil || *got != want {
			t.Fatalf("the schedule is %+v, want %+v", got, want)
		}
		// Kept in the preferences: the next start reads it back.
		again := loadSettings(h.app.Preferences(), h.folder).schedule()
		if again == nil || *again != want {
			t.Fatalf("the saved schedule reads back as %+v", again)
		}
	})
}

// fakeLogin is the OS's start at login.
type fakeLogin struct {
	on   bool
	sets []bool
	fail error
}

func (f *fakeLogin) Enabled() bool { return f.on }
func (f *fakeLogin) SetEnabled(on bool) error {
	f.sets = append(f.sets, on)
	if f.fail != nil {
		return f.fail
	}
	f.on = on
	return nil
}

// "Start Cloudreel when I log in" shows the OS's setting and changes it
// only when ticked or unticked; a failure says so.
func TestSettingsStartAtLogin(t *testing.T) {
	h := newHarness(t, smallSim)
	h.ui(func() {
		test.Tap(button(t, h.content(), "Settings"))
		for _, c := range find(h.overlay(), (func(*widget.Check) bool)(nil)) {
			if c.Text == "Start Cloudreel when I log in" {
				t.Fatal("start at login offered where the OS has none")
			}
		}
		test.Tap(button(t, h.overlay(), "Cancel"))
	})
	login := &fakeLogin{}
	h.ui(func() {
		h.w.deps.StartAtLogin = login
		check := settingsItem(t, h, "Start Cloudreel when I log in").(*widget.Check)
		if check.Checked {
			t.Fatal("ticked while the OS does not start Cloudreel")
		}
		test.Tap(check)
		test.Tap(button(t, h.overlay(), "Save"))
	})
	if !login.on || len(login.sets) != 1 {
		t.Fatalf("ticking it: on %v after %v", login.on, login.sets)
	}
	h.ui(func() {
		check := settingsItem(t, h, "Start Cloudreel when I log in").(*widget.Check)
		if !check.Checked {
			t.Fatal("not ticked while the OS starts Cloudreel")
		}
		test.Tap(button(t, h.overlay(), "Save")) // unchanged: not set again
	})
	if len(login.sets) != 1 {
		t.Fatalf("saving without a change set it again: %v", login.sets)
	}
	login.fail = errors.New("the folder cannot be written")
	h.ui(func() {
		test.Tap(settingsItem(t, h, "Start Cloudreel when I log in").(*widget.Check))
		test.Tap(button(t, h.overlay(), "Save"))
	})
	h.ui(func() {
		if !strings.Contains(flatText(h.overlay()), "the folder cannot be written") {
			t.Fatalf("no word of the failure: %q", flatText(h.overlay()))
		}
	})
}

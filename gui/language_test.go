package gui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cloudreel/fetch"
	"cloudreel/fetch/locale"
)

// chooseLanguage opens Settings, picks the language named name (as the
// menu shows it, in its own words) and saves.
func chooseLanguage(t *testing.T, h *harness, settings, language, save, name string) {
	t.Helper()
	h.ui(func() {
		test.Tap(button(t, h.content(), settings))
		var sel *widget.Select
		for _, form := range find(h.overlay(), (func(*widget.Form) bool)(nil)) {
			for _, it := range form.Items {
				if it.Text == language {
					sel, _ = it.Widget.(*widget.Select)
				}
			}
		}
		if sel == nil {
			t.Fatalf("Settings has no %q choice", language)
		}
		sel.SetSelected(name)
		test.Tap(button(t, h.overlay(), save))
	})
}

// Choosing a language in Settings changes the whole window at once, with
// no new start: the top bar, the table's headings and buttons, the account
// still chosen with its recordings; and the choice is kept in the data
// folder, where the commands and the next start read it.
func TestSettingsLanguageChangesTheWindowWithoutRestart(t *testing.T) {
	speak(t, "en")
	h := newHarness(t, harnessOptions{sim: simSmall, languageFolder: true})
	if err := locale.Save(h.dataDir, "en"); err != nil {
		t.Fatal(err)
	}
	a := h.addAccount(fetch.ZoomSDK, "School Zoom")
	rows := 0
	h.ui(func() { rows = h.w.recordings.model.Len() })
	if rows == 0 {
		t.Fatal("the account lists no recordings")
	}

	chooseLanguage(t, h, "Settings", "Language", "Save", "简体中文")
	h.waitLoaded(a)
	h.ui(func() {
		c := h.content()
		for _, want := range []string{"设置", "帮助", "下载所选"} {
			if len(find(c, func(b *widget.Button) bool { return b.Text == want })) == 0 {
				t.Errorf("no button %q after choosing Chinese; buttons: %v", want, buttonTexts(c))
			}
		}
		if len(find(c, func(b *widget.Button) bool { return b.Text == "Settings" })) > 0 {
			t.Error("the English Settings button is still shown")
		}
		if cur, _ := h.w.accounts.current(); cur.ID != a.ID {
			t.Errorf("the account chosen is %q after the switch, want %q", cur.Name, a.Name)
		}
		if got := h.w.recordings.model.Len(); got != rows {
			t.Errorf("%d recordings after the switch, %d before", got, rows)
		}
	})
	if got, err := locale.Read(h.dataDir); err != nil || got != "zh-Hans" {
		t.Errorf("the data folder keeps %q (%v), want zh-Hans", got, err)
	}

	// From Chinese to Spanish, reading the Chinese words.
	chooseLanguage(t, h, "设置", "语言", "保存", "Español")
	h.waitLoaded(a)
	h.ui(func() {
		if len(find(h.content(), func(b *widget.Button) bool { return b.Text == "Ajustes" })) != 1 {
			t.Errorf("no Ajustes button in Spanish; buttons: %v", buttonTexts(h.content()))
		}
	})
	if got, _ := locale.Read(h.dataDir); got != "es" {
		t.Errorf("the data folder keeps %q, want es", got)
	}
}

// buttonTexts are the texts of the visible buttons under o, for messages.
func buttonTexts(o fyne.CanvasObject) []string {
	var out []string
	for _, b := range find(o, (func(*widget.Button) bool)(nil)) {
		out = append(out, b.Text)
	}
	return out
}

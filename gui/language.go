package gui

import (
	"context"

	"fyne.io/fyne/v2/lang"

	"cloudreel/fetch/locale"
	"cloudreel/fetch/messages"
)

// languages are Settings' language choices: the system's, then each
// language by its own name (a person who cannot read the current one
// still finds theirs).
func languages() []choice {
	out := []choice{{locale.System, lang.L("System")}}
	for _, l := range locale.Languages[1:] {
		out = append(out, choice{l.Tag, l.Name})
	}
	return out
}

// languageHint says where the choice reaches.
func languageHint() string {
	return lang.L("Also the language of the cloudreel commands in a terminal.")
}

// loadLanguage loads the window's translations and those of what fetch
// says (its errors are shown in the window) and, with a data folder, speaks
// the language chosen there. Sets loaded before (main loads both) are not
// loaded again.
func (w *Window) loadLanguage() {
	var err error
	if w.deps.DataDir != "" {
		err = locale.Apply(w.deps.DataDir, Translations, messages.Set)
	} else {
		err = locale.Load(Translations, messages.Set)
	}
	if err != nil {
		w.deps.Log.Warn("loading the translations", "err", err)
	}
}

// setLanguage speaks tag (locale.System: the system's language) from now
// on, keeps the choice in the data folder for the next start and the
// commands, and builds the window's content again in that language.
func (w *Window) setLanguage(tag string) {
	if tag == locale.Chosen() {
		return
	}
	locale.Use(tag)
	if w.deps.DataDir != "" {
		if err := locale.Save(w.deps.DataDir, tag); err != nil {
			defer w.showError(lang.L("The language was not saved for the next start"), err)
		}
	}
	w.rebuild()
}

// rebuild makes the window's content again, in the language now spoken,
// showing the same account and range of dates.
func (w *Window) rebuild() {
	old := w.recordings
	selected, hasAccount := w.accounts.current()
	if old.cancel != nil {
		old.cancel()
	}
	w.viewStop()
	w.buildUI()
	w.addShortcuts()
	if w.tray != nil {
		w.tray.relabel()
	}
	if old.presetKey != "" {
		w.recordings.presetKey, w.recordings.query = old.presetKey, old.query
		w.recordings.preset.Selected = wordsFor(presets(), old.presetKey)
	}
	if hasAccount {
		w.accounts.selectAfterReload(selected.ID)
		return
	}
	w.accounts.reload()
}

// newView starts the context of the window's content, ended when the
// content is built again (rebuild): the downloads panel follows the queue
// under it.
func (w *Window) newView() {
	w.viewCtx, w.viewStop = context.WithCancel(w.ctx)
}

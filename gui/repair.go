package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// showRepairNotice tells, once, that Cloudreel found its data file
// damaged when it started, kept it aside and went back to its last good
// copy (or started empty): what was lost, and that accounts can be added
// again (their secrets are in the keyring, but a lost account's record is
// not). The store forgets the repair once the window has shown it.
func (w *Window) showRepairNotice() {
	store := w.deps.Accounts
	go func() {
		r := store.Repair()
		if r == nil {
			return
		}
		w.deps.Log.Warn("Cloudreel's data file was damaged and repaired", "kept", r.Damaged, "cause", r.Cause, "copy_of", r.CopyOf)
		fyne.Do(func() {
			if w.ctx.Err() != nil {
				return // the window closed first: the next start tells
			}
			text := &widget.Label{Text: r.Plain(), Wrapping: fyne.TextWrapWord}
			var d *dialog.CustomDialog
			add := &widget.Button{Text: lang.L("Add account"), Icon: theme.ContentAddIcon(), Importance: widget.HighImportance, OnTapped: func() {
				d.Hide()
				w.onAddAccount()
			}}
			d = dialog.NewCustom(lang.L("Cloudreel repaired its data"), lang.L("Close"), container.NewVBox(text, container.NewCenter(add)), w.win)
			d.Resize(fyne.NewSize(560, 320))
			d.Show()
			go func() {
				if err := store.ClearRepair(); err != nil {
					w.deps.Log.Warn("forgetting the repair notice", "err", err)
				}
			}()
		})
	}()
}

package gui

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/doctor"
)

// checkTimeout is the longest "Check this account" may take.
const checkTimeout = 3 * time.Minute

// doctorView is "Check this account": it checks the selected account step
// by step (sign in, list, one file's link, nothing downloaded) and shows
// the report, which the person can save to send to their IT staff.
type doctorView struct {
	w       *Window
	account accounts.Account
	waiting dialog.Dialog
	// report is the last report's text, and shown the dialog showing it.
	report string
	shown  *dialog.CustomDialog
}

// checkAccountButton is the top bar's "Check this account".
func (w *Window) checkAccountButton() *widget.Button {
	w.checkAccount = &widget.Button{Text: lang.L("Check this account"), Icon: theme.HelpIcon(), Importance: widget.LowImportance, OnTapped: w.onCheckAccount}
	return w.checkAccount
}

// showOnlyWithAccount shows what belongs to a chosen account in the top
// bar (its name, "Check this account", "Check downloaded files" and
// "Cleaned up") while one is shown, and hides it on the welcome, where
// there is nothing to check.
func (w *Window) showOnlyWithAccount(on bool) {
	show(w.checkAccount, on)
	show(w.checkFiles, on)
	show(w.cleanedUp, on)
	show(w.recordings.heading, on)
}

// onCheckAccount checks the selected account, off the Fyne goroutine.
func (w *Window) onCheckAccount() {
	a, ok := w.accounts.current()
	if !ok {
		w.notice(lang.L("Choose an account on the left first, then check it."))
		return
	}
	v := &doctorView{w: w, account: a}
	v.start()
}

func (v *doctorView) start() {
	// A still sentence rather than a moving bar: the check takes seconds,
	// and an animation would keep running if the dialog were taken away
	// some other way than by Hide.
	text := widget.NewLabel(lang.L("Checking {{.Name}}: signing in, listing recent recordings and asking for one file's link (nothing is downloaded). This takes a few seconds…", vals{"Name": v.account.Name}))
	text.Wrapping = fyne.TextWrapWord
	v.waiting = dialog.NewCustomWithoutButtons(lang.L("Checking the account"), text, v.w.win)
	v.waiting.Resize(fyne.NewSize(460, 140))
	v.waiting.Show()
	store, a := v.w.deps.Accounts, v.account
	version := v.w.deps.Version
	go func() {
		ctx, cancel := context.WithTimeout(v.w.ctx, checkTimeout)
		defer cancel()
		rep := doctor.Run(ctx, doctor.Check{
			Platform: a.Platform, Server: a.ServerURL(), Version: version,
			Connect: func(ctx context.Context, wrap func(http.RoundTripper) http.RoundTripper) (fetch.Connector, error) {
				return store.ConnectorThrough(ctx, a, wrap)
			},
			Explain: func(err error) string { return accounts.Explain(a, err) },
		})
		text := rep.String()
		fyne.Do(func() {
			v.waiting.Hide()
			v.show(rep.Summary(), text)
		})
	}()
}

// show shows the report: its verdict on top, the whole text below it, and
// "Save report…".
func (v *doctorView) show(summary, text string) {
	v.report = text
	verdict := &widget.Label{Text: summary, Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Bold: true}}
	hint := &widget.Label{Text: lang.L("The report below shows what Cloudreel asked and the shape of each answer, with every value left out: it carries no password, token, title or name. Save it to send it to your IT staff or to us."), Wrapping: fyne.TextWrapWord}
	body := container.NewScroll(&widget.Label{Text: text, TextStyle: fyne.TextStyle{Monospace: true}})
	body.SetMinSize(fyne.NewSize(720, 360))
	content := container.NewBorder(container.NewVBox(verdict, hint), nil, nil, nil, body)
	d := dialog.NewCustomWithoutButtons(lang.L("Check of {{.Name}}", vals{"Name": v.account.Name}), content, v.w.win)
	save := &widget.Button{Text: lang.L("Save report…"), Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: v.onSave}
	closeButton := &widget.Button{Text: lang.L("Close"), OnTapped: d.Hide}
	d.SetButtons([]fyne.CanvasObject{closeButton, save})
	d.Resize(fyne.NewSize(800, 600))
	v.shown = d
	d.Show()
}

// onSave asks where to save the report and writes it there.
func (v *doctorView) onSave() {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil {
			v.w.showError(lang.L("The report could not be saved"), err)
			return
		}
		if wc == nil {
			return // the person changed their mind
		}
		text := v.report
		go func() {
			err := writeReport(wc, text)
			fyne.Do(func() {
				if err != nil {
					v.w.showError(lang.L("The report could not be saved"), err)
					return
				}
				v.w.notice(lang.L("The report is saved in {{.File}}. Send that file to your IT staff, or to us with a few words on what you tried.", vals{"File": wc.URI().Name()}))
			})
		}()
	}, v.w.win)
	d.SetFileName("cloudreel-report.txt")
	d.Show()
}

// writeReport writes the report through the writer Fyne's save dialog
// gave, and closes it.
func writeReport(wc fyne.URIWriteCloser, text string) error {
	_, err := wc.Write([]byte(text))
	if cerr := wc.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", wc.URI().Name(), err)
	}
	return nil
}

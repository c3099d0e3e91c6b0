package gui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/upload"
)

// sendDialog is "Send to Valt…": which Valt account, then the ticked
// recordings of the account shown (when it is not that Valt account), or
// a file or a folder of the computer.
type sendDialog struct {
	w     *Window
	p     *uploadsPanel
	dlg   dialog.Dialog
	valts []accounts.Account
	from  accounts.Account // the account shown
	to    *widget.Select
	// sendTicked sends the ticked recordings; hidden on a Valt account's
	// own recordings.
	sendTicked *widget.Button
	ticked     []fetch.Recording
}

// sendButton is "Send to Valt…" under the recordings; nil without uploads.
func (p *uploadsPanel) sendButton() fyne.CanvasObject {
	if p == nil || p.up == nil { // nil: a view built on its own, as the tests of the table do
		return container.NewHBox()
	}
	// No icon: with one, the row of buttons no longer fits an 800 px window.
	return &widget.Button{Text: lang.L("Send to Valt…"), OnTapped: p.onSend}
}

// valtAccounts are the Valt accounts, read off the Fyne goroutine's
// caller (a bbolt read, short).
func (p *uploadsPanel) valtAccounts() ([]accounts.Account, error) {
	all, err := p.w.deps.Accounts.List()
	if err != nil {
		return nil, err
	}
	var out []accounts.Account
	for _, a := range all {
		if a.Platform == fetch.Valt {
			out = append(out, a)
		}
	}
	return out, nil
}

// onSend opens the dialog, or says that a Valt account is needed first.
func (p *uploadsPanel) onSend() {
	valts, err := p.valtAccounts()
	if err != nil {
		p.w.showError(lang.L("The accounts could not be read"), err)
		return
	}
	if len(valts) == 0 {
		p.w.notice(lang.L("Cloudreel sends recordings only to Valt: add your Valt account first (Add account)."))
		return
	}
	d := &sendDialog{w: p.w, p: p, valts: valts, from: p.w.recordings.account, ticked: p.w.recordings.model.Ticked()}
	d.show()
}

func (d *sendDialog) show() {
	d.dlg = dialog.NewCustom(lang.L("Send to Valt"), lang.L("Close"), d.buildUI(), d.w.win)
	d.dlg.Resize(fyne.NewSize(560, d.dlg.MinSize().Height))
	d.dlg.Show()
}

func (d *sendDialog) buildUI() fyne.CanvasObject {
	names := make([]string, len(d.valts))
	for i, a := range d.valts {
		names[i] = a.Name
	}
	d.to = &widget.Select{Options: names, OnChanged: func(string) { d.refresh() }}
	d.to.ExtendBaseWidget(d.to)
	d.to.Selected = names[0]
	for _, a := range d.valts {
		if a.ID == d.from.ID {
			d.to.Selected = a.Name
		}
	}
	d.sendTicked = &widget.Button{Icon: theme.UploadIcon(), Importance: widget.HighImportance, OnTapped: d.onSendTicked}
	chooseFile := &widget.Button{Text: lang.L("Choose a file…"), Icon: theme.FileVideoIcon(), OnTapped: d.onChooseFile}
	chooseFolder := &widget.Button{Text: lang.L("Choose a folder…"), Icon: theme.FolderOpenIcon(), OnTapped: d.onChooseFolder}
	note := &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance,
		Text: lang.L("A recording is named by its title, date and source. You can also drop video files onto the window while a Valt account is selected. Valt cannot continue an upload: one that is paused or cut off starts again from the beginning, into the same record.")}
	form := &widget.Form{Items: []*widget.FormItem{{Text: lang.L("Send to"), Widget: d.to}}}
	form.ExtendBaseWidget(form)
	d.refresh()
	return container.NewVBox(form, d.sendTicked, container.NewHBox(chooseFile, chooseFolder), note)
}

// dest is the Valt account chosen.
func (d *sendDialog) dest() accounts.Account {
	for _, a := range d.valts {
		if a.Name == d.to.Selected {
			return a
		}
	}
	return d.valts[0]
}

// refresh says what Send does for the account chosen: the ticked
// recordings of another account, nothing for the Valt account's own.
func (d *sendDialog) refresh() {
	if d.sendTicked == nil {
		return
	}
	if d.from.ID == "" || d.from.ID == d.dest().ID {
		d.sendTicked.Hide()
		return
	}
	d.sendTicked.Show()
	d.sendTicked.SetText(fmt.Sprintf(lang.L("Send the %d ticked recordings of %s"), len(d.ticked), d.from.Name))
	if len(d.ticked) == 0 {
		d.sendTicked.SetText(lang.L("Tick recordings to send them"))
		d.sendTicked.Disable()
	} else {
		d.sendTicked.Enable()
	}
}

func (d *sendDialog) onSendTicked() {
	d.dlg.Hide()
	d.p.copyRecordings(d.from, d.dest(), d.ticked)
}

func (d *sendDialog) onChooseFile() {
	to := d.dest()
	d.dlg.Hide()
	fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		_ = r.Close()
		d.p.sendPaths(to, []string{path})
	}, d.w.win)
	fd.Show()
}

func (d *sendDialog) onChooseFolder() {
	to := d.dest()
	d.dlg.Hide()
	fd := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil || u == nil {
			return
		}
		d.p.sendFolder(to, u.Path())
	}, d.w.win)
	fd.Show()
}

// valtDest is a Valt account as uploads need it: with the template
// fields and sharing it asks for.
func valtDest(a accounts.Account) upload.Dest {
	return upload.Dest{AccountID: a.ID, AccountName: a.Name, Template: a.UploadTemplate, Share: a.UploadShare()}
}

// sendPaths sends files of the computer to a Valt account, each named by
// its file's name.
func (p *uploadsPanel) sendPaths(to accounts.Account, paths []string) {
	go func() {
		reqs := make([]upload.Request, 0, len(paths))
		for _, path := range paths {
			reqs = append(reqs, upload.FileRequest(valtDest(to), path, ""))
		}
		if err := p.add(reqs); err != nil {
			fyne.Do(func() { p.w.showError(lang.L("The files could not be sent to Valt"), err) })
		}
	}()
}

// sendFolder sends the videos directly in a folder.
func (p *uploadsPanel) sendFolder(to accounts.Account, folder string) {
	go func() {
		paths, err := upload.VideosIn(folder)
		if err == nil && len(paths) == 0 {
			err = fmt.Errorf(lang.L("%s holds no video file (%s), so nothing was sent."), folder, strings.Join(upload.VideoExts, ", "))
		}
		if err != nil {
			fyne.Do(func() { p.w.showError(lang.L("The folder could not be sent to Valt"), err) })
			return
		}
		p.sendPaths(to, paths)
	}()
}

// onDroppedFiles sends video files dropped onto the window to the Valt
// account shown. It reports whether it took care of the drop (a folder,
// or files while another account is shown, are left to the downloads).
func (p *uploadsPanel) onDroppedFiles(uris []fyne.URI) bool {
	if p == nil || p.up == nil {
		return false
	}
	var videos []string
	others := false
	for _, u := range uris {
		if u.Scheme() != "file" || p.w.deps.IsDir(u.Path()) {
			continue
		}
		if upload.IsVideo(u.Path()) {
			videos = append(videos, u.Path())
		} else {
			others = true
		}
	}
	a, ok := p.w.accounts.current()
	valt := ok && a.Platform == fetch.Valt
	switch {
	case len(videos) > 0 && valt:
		p.sendPaths(a, videos)
		return true
	case len(videos) > 0:
		p.w.notice(lang.L("To send video files to Valt, select the Valt account first, then drop them here."))
		return true
	case others && valt:
		p.w.notice(fmt.Sprintf(lang.L("Only video files (%s) are sent to Valt."), strings.Join(upload.VideoExts, ", ")))
		return true
	}
	return false
}

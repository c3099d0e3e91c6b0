package gui

import (
	"cmp"
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"cloudreel/accounts"
	"cloudreel/fetch"
)

// Huawei's two sign-in styles and two regions, as the dialog offers them.
const (
	huaweiByAccount = "Account and password"
	huaweiByApp     = "App ID and app key"
	huaweiChina     = "Chinese mainland"
	huaweiIntl      = "International"
)

// huaweiModes and huaweiSites are those choices in the language spoken.
func huaweiModes() []choice {
	return []choice{{huaweiByAccount, lang.L(huaweiByAccount)}, {huaweiByApp, lang.L(huaweiByApp)}}
}

func huaweiSites() []choice {
	return []choice{{huaweiChina, lang.L(huaweiChina)}, {huaweiIntl, lang.L(huaweiIntl)}}
}

// chosenPlatform is the platform chosen in the dialog ("" for none yet).
func (d *accountDialog) chosenPlatform() fetch.Platform {
	p, _ := platformNamed(d.platform.Selected)
	return p
}

// huaweiByAppChosen says the Huawei account signs in with an App ID.
func (d *accountDialog) huaweiByAppChosen() bool {
	return valueOf(huaweiModes(), d.huaweiMode.Selected) == huaweiByApp
}

// accountDialog asks for what one platform needs to sign in, and nothing
// more; it can test the connection before saving. The secret goes straight
// to the accounts store (and from there to the keyring).
type accountDialog struct {
	w       *Window
	editing *accounts.Account // nil when adding
	dlg     dialog.Dialog

	platform   *widget.Select
	name       *widget.Entry
	server     *widget.Entry
	username   *widget.Entry
	clientID   *widget.Entry
	apiKey     *widget.Entry
	huaweiMode *widget.RadioGroup
	huaweiSite *widget.Select
	account    *widget.Entry
	appID      *widget.Entry
	userID     *widget.Entry
	corpID     *widget.Entry
	secret     *widget.Entry
	ibmPrivate *widget.Check // IBM: show the server and token address boxes
	tokenURL   *widget.Entry // IBM: a private deployment's token address
	// cleanup is "After a recording is downloaded and verified: keep it /
	// move it to the trash / delete it", with only what the platform
	// offers (nil for Valt, which documents no delete).
	cleanup    *widget.RadioGroup
	upload     *uploadFields // Valt: what every upload gets (accountupload.go)
	form       *widget.Form
	formBox    *fyne.Container // holds form; a new form for every platform
	status     *widget.Label
	trust      *widget.Button
	test, save *widget.Button
	pin        string // a fingerprint the user chose to trust
	offered    string // the fingerprint the last test showed
	demoServer string // in the demo: the simulator's address for the platform
}

func newAccountDialog(w *Window, editing *accounts.Account) *accountDialog {
	return &accountDialog{w: w, editing: editing}
}

func entry(placeholder string) *widget.Entry {
	e := &widget.Entry{PlaceHolder: placeholder}
	e.ExtendBaseWidget(e)
	return e
}

func (d *accountDialog) buildUI() fyne.CanvasObject {
	d.platform = &widget.Select{Options: platformNames(), PlaceHolder: lang.L("Choose the platform"), OnChanged: func(string) { d.onPlatform() }}
	d.platform.ExtendBaseWidget(d.platform)
	if d.editing != nil {
		d.platform.Selected = d.editing.Platform.Name() // without OnChanged: nothing to reset
		d.platform.Disable()
	}
	d.newFields()
	d.formBox = container.NewStack()
	d.status = &widget.Label{Wrapping: fyne.TextWrapWord}
	d.trust = &widget.Button{Text: lang.L("Trust this server's certificate"), OnTapped: d.onTrust}
	d.trust.Hide()
	d.test = &widget.Button{Text: lang.L("Test connection"), OnTapped: d.onTest}
	d.save = &widget.Button{Text: lang.L("Save"), Importance: widget.HighImportance, OnTapped: d.onSave}
	cancel := &widget.Button{Text: lang.L("Cancel"), OnTapped: func() { d.dlg.Hide() }}

	if a := d.editing; a != nil {
		d.name.SetText(a.Name)
		d.server.SetText(a.Server)
		d.username.SetText(a.Username)
		d.clientID.SetText(a.ClientID)
		d.apiKey.SetText(a.APIKey)
		d.account.SetText(a.HuaweiAccount)
		d.appID.SetText(a.AppID)
		d.userID.SetText(a.UserID)
		d.corpID.SetText(a.CorpID)
		d.tokenURL.SetText(a.TokenURL)
		d.ibmPrivate.Checked = a.Platform == fetch.IBMVideo && (a.Server != "" || a.TokenURL != "")
		d.pin = a.Pin
		selectPolicy(d.cleanup, accountPolicy(*a))
		if a.AppID != "" {
			d.huaweiMode.SetSelected(lang.L(huaweiByApp))
		}
		if strings.Contains(a.Server, "api.meeting.") {
			d.huaweiSite.SetSelected(lang.L(huaweiChina))
		}
		d.secret.PlaceHolder = lang.L("leave empty to keep the saved one")
		if d.secretLost() {
			d.secret.PlaceHolder = lang.L("nothing is saved: type it again")
		}
	}
	d.layoutFields()
	buttons := container.NewHBox(d.test, d.trust, layout.NewSpacer(), cancel, d.save)
	return container.NewBorder(nil, container.NewVBox(d.status, buttons), nil, nil, container.NewVScroll(d.formBox))
}

// newFields makes every field afresh, empty.
func (d *accountDialog) newFields() {
	p := d.chosenPlatform()
	d.name = entry(namePlaceholder(p))
	d.server = entry("https://valt.school.edu")
	d.username = entry("")
	d.clientID = entry("")
	d.apiKey = entry("")
	d.huaweiMode = &widget.RadioGroup{Options: wordsOf(huaweiModes()), Selected: lang.L(huaweiByAccount), Horizontal: true, OnChanged: func(string) { d.layoutFields() }}
	d.huaweiMode.ExtendBaseWidget(d.huaweiMode)
	d.huaweiSite = &widget.Select{Options: wordsOf(huaweiSites()), Selected: lang.L(huaweiIntl)}
	d.huaweiSite.ExtendBaseWidget(d.huaweiSite)
	d.account = entry("")
	d.appID = entry("")
	d.userID = entry(lang.L("optional"))
	d.corpID = entry(lang.L("optional"))
	d.secret = &widget.Entry{Password: true}
	d.secret.ExtendBaseWidget(d.secret)
	d.ibmPrivate = &widget.Check{Text: lang.L("Advanced: a private IBM Video Streaming server"), OnChanged: func(bool) { d.layoutFields() }}
	d.ibmPrivate.ExtendBaseWidget(d.ibmPrivate)
	d.tokenURL = entry(lang.L("optional"))
	d.cleanup = cleanupChoice(p)
	d.upload = newUploadFields(d.editing)
	if p == fetch.IBMVideo {
		d.server.PlaceHolder = lang.L("optional: {{.Server}}", vals{"Server": accounts.DefaultServer(fetch.IBMVideo)})
	}
}

// onPlatform starts the form again for the chosen platform: nothing typed
// for another platform (a secret least of all), no hint, no message and no
// trusted certificate is carried over.
func (d *accountDialog) onPlatform() {
	d.newFields()
	d.pin, d.offered = "", ""
	if d.trust != nil {
		d.trust.Hide()
	}
	d.status.Importance = widget.MediumImportance
	d.status.SetText("")
	d.fillDemo()
	d.layoutFields()
}

// layoutFields shows only the fields the chosen platform needs, each
// with a line saying where to find it (see accountfields.go). The form is
// made anew: a form reused for another platform kept the hints of the
// widgets it showed before.
func (d *accountDialog) layoutFields() {
	d.form = &widget.Form{Items: d.formItems()}
	d.form.ExtendBaseWidget(d.form)
	d.formBox.Objects = []fyne.CanvasObject{d.form}
	d.formBox.Refresh()
	if d.dlg != nil {
		d.dlg.Resize(d.size())
	}
}

func (d *accountDialog) size() fyne.Size { return fyne.NewSize(640, 560) }

func (d *accountDialog) show() {
	title := lang.L("Add account")
	if d.editing != nil {
		title = lang.L("Edit account")
	}
	d.dlg = dialog.NewCustomWithoutButtons(title, d.buildUI(), d.w.win)
	d.dlg.Resize(d.size())
	d.dlg.Show()
}

// collect reads the form into an account and a secret.
func (d *accountDialog) collect() (accounts.Account, string, error) {
	p, ok := platformNamed(d.platform.Selected)
	if !ok {
		return accounts.Account{}, "", formProblem(lang.L("Choose the platform first."))
	}
	var a accounts.Account
	if d.editing != nil {
		a = *d.editing
	}
	a.Platform = p
	a.Name = strings.TrimSpace(d.name.Text)
	a.Pin = d.pin
	a.Cleanup = string(chosenPolicy(d.cleanup))
	secret := d.secret.Text
	// what is the whole sentence: "the" and the order of words differ
	// between languages.
	need := func(e *widget.Entry, what string) error {
		if strings.TrimSpace(e.Text) == "" {
			return formProblem(what)
		}
		return nil
	}
	var err error
	switch p {
	case fetch.Valt:
		a.Server, a.Username = strings.TrimRight(strings.TrimSpace(d.server.Text), "/"), strings.TrimSpace(d.username.Text)
		err = errors.Join(need(d.server, lang.L("Please fill in the server address.")), need(d.username, lang.L("Please fill in the user name.")), d.upload.collect(&a))
	case fetch.IBMVideo:
		a.ClientID = strings.TrimSpace(d.clientID.Text)
		err = need(d.clientID, lang.L("Please fill in the client ID."))
		a.Server, a.TokenURL = "", ""
		if d.ibmPrivate.Checked {
			a.Server = strings.TrimRight(strings.TrimSpace(d.server.Text), "/")
			a.TokenURL = strings.TrimSpace(d.tokenURL.Text)
		}
		a.Server = cmp.Or(d.demoServer, a.Server)
	case fetch.ZoomSDK:
		a.APIKey = strings.TrimSpace(d.apiKey.Text)
		err = need(d.apiKey, lang.L("Please fill in the API key."))
		a.Server = cmp.Or(d.demoServer, a.Server)
	case fetch.Huawei:
		a.Server = "https://api-intl.meeting.huaweicloud.com"
		if valueOf(huaweiSites(), d.huaweiSite.Selected) == huaweiChina {
			a.Server = "https://api.meeting.huaweicloud.com"
		}
		if d.editing != nil && d.editing.Server != "" && !strings.Contains(d.editing.Server, "meeting.huaweicloud.com") {
			a.Server = d.editing.Server // a server set from the command line (or the demo) is kept
		}
		a.Server = cmp.Or(d.demoServer, a.Server)
		if d.huaweiByAppChosen() {
			a.HuaweiAccount = ""
			a.AppID, a.UserID, a.CorpID = strings.TrimSpace(d.appID.Text), strings.TrimSpace(d.userID.Text), strings.TrimSpace(d.corpID.Text)
			// The user ID may be empty (the enterprise's default
			// administrator); the corp ID is for multi-enterprise apps only.
			err = need(d.appID, lang.L("Please fill in the App ID."))
		} else {
			a.AppID, a.UserID, a.CorpID = "", "", ""
			a.HuaweiAccount = strings.TrimSpace(d.account.Text)
			err = need(d.account, lang.L("Please fill in the account."))
		}
	}
	if err == nil && secret == "" && (d.editing == nil || d.secretLost()) {
		err = formProblem(secretMissing(a))
	}
	if a.Name == "" {
		a.Name = p.Name()
	}
	return a, secret, err
}

func (d *accountDialog) setBusy(busy bool, text string) {
	d.status.Importance = widget.MediumImportance
	d.status.SetText(text)
	for _, b := range []*widget.Button{d.test, d.save} {
		if busy {
			b.Disable()
		} else {
			b.Enable()
		}
	}
}

func (d *accountDialog) showFailure(err error) {
	d.status.Importance = widget.DangerImportance
	p := d.chosenPlatform()
	d.status.SetText(explainFor(p, p == fetch.Valt || (p == fetch.IBMVideo && d.ibmPrivate.Checked), err))
	var fe *fetch.Error
	if errors.As(err, &fe) && fe.Kind == fetch.KindUntrusted && fe.Fingerprint != "" && p == fetch.Valt {
		d.offered = fe.Fingerprint
		d.trust.Show()
	}
}

func (d *accountDialog) onTest() {
	a, secret, err := d.collect()
	if err != nil {
		d.showFailure(err)
		return
	}
	d.setBusy(true, lang.L("Signing in…"))
	go func() {
		err := d.testAccount(a, secret)
		fyne.Do(func() {
			d.setBusy(false, "")
			if err != nil {
				d.showFailure(err)
				return
			}
			d.status.Importance = widget.SuccessImportance
			d.status.SetText(lang.L("Connected. Cloudreel can see this account's recordings."))
		})
	}()
}

// testAccount tests with the typed secret, or the saved one when editing
// and the secret field was left empty.
func (d *accountDialog) testAccount(a accounts.Account, secret string) error {
	ctx, cancel := context.WithTimeout(d.w.ctx, 45*time.Second)
	defer cancel()
	store := d.w.deps.Accounts
	if secret == "" && d.editing != nil {
		s, err := store.Secret(ctx, d.editing.ID)
		if err != nil {
			return err
		}
		secret = s
	}
	return store.Test(ctx, a, secret)
}

func (d *accountDialog) onTrust() {
	fp := d.offered
	msg := lang.L("Only trust this server if your IT staff confirm that its certificate fingerprint is:") + "\n\n" + fp
	dialog.ShowConfirm(lang.L("Trust this server?"), msg, func(yes bool) {
		if yes {
			d.pin = fp
			d.trust.Hide()
			d.onTest()
		}
	}, d.w.win)
}

func (d *accountDialog) onSave() {
	a, secret, err := d.collect()
	if err != nil {
		d.showFailure(err)
		return
	}
	d.setBusy(true, lang.L("Signing in…"))
	go func() {
		err := d.testAccount(a, secret)
		if err == nil {
			ctx, cancel := context.WithTimeout(d.w.ctx, 30*time.Second)
			defer cancel()
			if d.editing != nil {
				err = d.w.deps.Accounts.Update(ctx, a, secret)
				if err == nil && accountPolicy(a) != accountPolicy(*d.editing) {
					err = d.w.forgetScheduled(a.ID)
				}
				// Downloads must sign in with what was just saved.
				d.w.deps.Queue.ForgetConnector(a.ID)
				d.w.forgetUploadTarget(a.ID)
			} else {
				a, err = d.w.deps.Accounts.Add(ctx, a, secret)
			}
		}
		fyne.Do(func() {
			d.setBusy(false, "")
			if errors.Is(err, accounts.ErrKeyringUnavailable) {
				d.offerSessionOnly(err)
				return
			}
			if err != nil {
				d.showFailure(err)
				return
			}
			d.dlg.Hide()
			d.w.accounts.selectAfterReload(a.ID)
		})
	}()
}

// offerSessionOnly is the way out when the system's password store is
// missing or locked: keep the secret in memory until Cloudreel closes.
func (d *accountDialog) offerSessionOnly(err error) {
	d.showFailure(err)
	msg := explain(err) + "\n\n" + lang.L("Keep the password for this session only? Cloudreel will ask for it again next time it starts.")
	dialog.ShowConfirm(lang.L("The password store is not available"), msg, func(yes bool) {
		if yes {
			d.w.deps.Accounts.Secrets().UseSessionOnly(true)
			d.onSave()
		}
	}, d.w.win)
}

// secretLost says the account being edited has no saved secret to keep.
func (d *accountDialog) secretLost() bool {
	return d.editing != nil && d.w.accounts.state(d.editing.ID).secretLost
}

// formProblem is a sentence about the form itself (a field left empty),
// shown as it is.
type formProblem string

func (p formProblem) Error() string { return string(p) }

// fillDemo fills in, in the demo, the simulator's details for the chosen
// platform, so that a person trying Cloudreel only has to press Save.
func (d *accountDialog) fillDemo() {
	d.demoServer = ""
	if d.editing != nil || d.w.deps.DemoAccount == nil {
		return
	}
	a, secret, ok := d.w.deps.DemoAccount(d.chosenPlatform())
	if !ok {
		return
	}
	d.demoServer = a.Server
	d.server.SetText(a.Server)
	d.username.SetText(a.Username)
	d.clientID.SetText(a.ClientID)
	d.apiKey.SetText(a.APIKey)
	d.account.SetText(a.HuaweiAccount)
	d.huaweiMode.SetSelected(lang.L(huaweiByAccount))
	d.secret.SetText(secret)
	d.name.SetText(lang.L("My {{.Platform}}", vals{"Platform": a.Platform.Name()}))
	d.status.Importance = widget.MediumImportance
	d.status.SetText(lang.L("This is the demo: the details of a sample account are filled in for you. Press Save."))
}

// secretMissing asks for the secret the account needs, by the name its
// platform gives it (accounts.SecretLabel).
func secretMissing(a accounts.Account) string {
	switch accounts.SecretLabel(a) {
	case "client secret":
		return lang.L("Please fill in the client secret.")
	case "API secret":
		return lang.L("Please fill in the API secret.")
	case "app key":
		return lang.L("Please fill in the app key.")
	}
	return lang.L("Please fill in the password.")
}

package gui

import (
	"context"
	"reflect"
	"slices"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cloudreel/accounts"
	"cloudreel/assets"
	"cloudreel/fetch"
)

// needsAttention is the state of an account that cannot be listed, with
// the reason in a few words (shortReason).
func needsAttention(reason string) string {
	return lang.L("Needs attention: {{.Reason}}", vals{"Reason": reason})
}

// accountState is what the accounts list says under an account's name.
type accountState struct {
	text      string // "Ready", "Signing in…", "Needs attention: sign-in refused"
	attention bool
	reason    string
	// secretLost says no password or secret is saved (see secrets.go).
	secretLost bool
}

// accountEntry is one line of the accounts list: a platform heading or an
// account under it.
type accountEntry struct {
	platform fetch.Platform
	account  *accounts.Account // nil for a heading
}

// accountsPanel is the left side: accounts grouped by platform, "Add
// account", and the folder shortcuts that recordings can be dragged onto.
type accountsPanel struct {
	w       *Window
	list    *widget.List
	editRow *fyne.Container // Edit and Remove: hidden while there is no account
	folders *folderShortcuts

	mu       sync.Mutex
	reloads  int // counts reloads, so that only the newest one's answer is shown
	entries  []accountEntry
	states   map[string]accountState
	selected string
}

func newAccountsPanel(w *Window) *accountsPanel {
	return &accountsPanel{w: w, states: map[string]accountState{}}
}

func (p *accountsPanel) buildUI() fyne.CanvasObject {
	p.list = &widget.List{
		Length:     p.length,
		CreateItem: p.createItem,
		UpdateItem: p.updateItem,
		OnSelected: p.onSelected,
	}
	p.list.ExtendBaseWidget(p.list)
	add := &widget.Button{Text: lang.L("Add account"), Icon: theme.ContentAddIcon(), OnTapped: p.w.onAddAccount}
	edit := &widget.Button{Text: lang.L("Edit"), Icon: theme.DocumentCreateIcon(), Importance: widget.LowImportance, OnTapped: p.onEdit}
	remove := &widget.Button{Text: lang.L("Remove"), Icon: theme.DeleteIcon(), Importance: widget.LowImportance, OnTapped: p.onRemove}
	p.folders = newFolderShortcuts(p.w)
	heading := &widget.Label{Text: lang.L("Accounts"), TextStyle: fyne.TextStyle{Bold: true}}
	top := container.NewVBox(heading)
	p.editRow = container.NewHBox(edit, remove) // side by side, as narrow as they can be
	bottom := container.NewVBox(p.editRow, add, widget.NewSeparator(), p.folders.buildUI())
	return container.NewBorder(top, bottom, nil, nil, p.list)
}

// reload reads the accounts from the store (off the Fyne goroutine) and
// shows them; with none, the centre shows the welcome.
func (p *accountsPanel) reload() {
	p.mu.Lock()
	p.reloads++
	gen := p.reloads
	p.mu.Unlock()
	go func() {
		list, err := p.w.deps.Accounts.List()
		lost := p.w.lostSecrets(list)
		fyne.Do(func() {
			p.mu.Lock()
			stale := gen != p.reloads
			p.mu.Unlock()
			if stale {
				return // a newer reload answers
			}
			if err != nil {
				p.w.showError(lang.L("Your accounts could not be read"), err)
				return
			}
			p.markLostSecrets(list, lost)
			p.setAccounts(list)
		})
	}()
}

// markLostSecrets says "sign in again" under the accounts with no saved
// secret, and forgets that of those signed in again since.
func (p *accountsPanel) markLostSecrets(list []accounts.Account, lost map[string]bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, a := range list {
		switch {
		case lost[a.ID]:
			p.states[a.ID] = secretLostState(a)
		case p.states[a.ID].secretLost:
			delete(p.states, a.ID)
		}
	}
}

func (p *accountsPanel) setAccounts(list []accounts.Account) {
	p.mu.Lock()
	p.entries = p.entries[:0]
	for _, pl := range fetch.Platforms {
		first := true
		for i := range list {
			if list[i].Platform != pl {
				continue
			}
			if first {
				p.entries = append(p.entries, accountEntry{platform: pl})
				first = false
			}
			a := list[i]
			p.entries = append(p.entries, accountEntry{platform: pl, account: &a})
		}
	}
	selected := p.selected
	entries := slices.Clone(p.entries)
	p.mu.Unlock()
	// Platform headings are one line; accounts two (name and state).
	heading := p.createItem().MinSize().Height * 0.6
	for i, e := range entries {
		if e.account == nil {
			p.list.SetItemHeight(i, heading)
		}
	}
	p.list.Refresh()
	show(p.editRow, len(list) > 0)
	if len(list) == 0 {
		p.w.showWelcome()
		return
	}
	// Keep the selection, or select the first account.
	idx := -1
	for i, e := range p.snapshot() {
		if e.account != nil && (idx < 0 || e.account.ID == selected) {
			idx = i
			if e.account.ID == selected {
				break
			}
		}
	}
	if idx < 0 {
		return
	}
	p.list.Select(idx)
	// Select does nothing for the row already selected: an account that
	// lands there (another one, or the same one edited) is shown here.
	if e := p.snapshot()[idx]; !p.w.showsAccount(*e.account) {
		p.onSelected(idx)
	}
}

// showsAccount says whether the centre shows the recordings of exactly
// this account (same id and same details).
func (w *Window) showsAccount(a accounts.Account) bool {
	onScreen := len(w.centre.Objects) == 1 && w.centre.Objects[0] == w.recordings.root
	return onScreen && reflect.DeepEqual(w.recordings.account, a)
}

func (p *accountsPanel) snapshot() []accountEntry {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.entries)
}

func (p *accountsPanel) length() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.entries)
}

func (p *accountsPanel) createItem() fyne.CanvasObject {
	icon := widget.NewIcon(nil)
	name := &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	state := &widget.Label{SizeName: theme.SizeNameCaptionText, Importance: widget.LowImportance, Truncation: fyne.TextTruncateEllipsis}
	return container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(28, 28), icon), nil, container.NewVBox(name, state))
}

func (p *accountsPanel) updateItem(i widget.ListItemID, o fyne.CanvasObject) {
	p.mu.Lock()
	if i >= len(p.entries) {
		p.mu.Unlock()
		return
	}
	e := p.entries[i]
	var st accountState
	if e.account != nil {
		st = p.states[e.account.ID]
	}
	p.mu.Unlock()

	row := o.(*fyne.Container)
	texts := row.Objects[0].(*fyne.Container)
	name, state := texts.Objects[0].(*widget.Label), texts.Objects[1].(*widget.Label)
	icon := row.Objects[1].(*fyne.Container).Objects[0].(*widget.Icon)
	if e.account == nil {
		icon.SetResource(assets.PlatformIcons[string(e.platform)])
		name.TextStyle = fyne.TextStyle{Bold: true}
		name.SetText(e.platform.Name())
		state.Hide()
		return
	}
	icon.SetResource(nil)
	name.TextStyle = fyne.TextStyle{}
	name.SetText(e.account.Name)
	if st.text == "" {
		st.text = lang.L("Ready")
	}
	switch {
	case st.attention:
		state.Importance = widget.DangerImportance
	case st.text == lang.L("Ready"):
		state.Importance = widget.SuccessImportance
	default:
		state.Importance = widget.WarningImportance
	}
	state.SetText(st.text)
	state.Show()
}

func (p *accountsPanel) onSelected(i widget.ListItemID) {
	entries := p.snapshot()
	if i >= len(entries) {
		return
	}
	e := entries[i]
	if e.account == nil {
		// A heading is not selectable: select the account under it.
		if i+1 < len(entries) {
			p.list.Select(i + 1)
		}
		return
	}
	p.mu.Lock()
	p.selected = e.account.ID
	p.mu.Unlock()
	p.w.showRecordings(*e.account)
}

// current returns the selected account.
func (p *accountsPanel) current() (accounts.Account, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, e := range p.entries {
		if e.account != nil && e.account.ID == p.selected {
			return *e.account, true
		}
	}
	return accounts.Account{}, false
}

// setState changes what the list says under an account.
func (p *accountsPanel) setState(id string, st accountState) {
	if st.attention && st.text == needsAttention(lang.L(secretLostReason)) {
		st.secretLost = true // found by a listing rather than by reload
	}
	p.mu.Lock()
	p.states[id] = st
	p.mu.Unlock()
	p.list.Refresh()
}

// state returns what the list says under an account.
func (p *accountsPanel) state(id string) accountState {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.states[id]
}

func (p *accountsPanel) onEdit() {
	a, ok := p.current()
	if !ok {
		return
	}
	// The list's copy may predate a save that has not reloaded yet: the
	// dialog starts from what the store holds.
	go func() {
		if fresh, err := p.w.deps.Accounts.Get(a.ID); err == nil {
			a = fresh
		}
		fyne.Do(func() { newAccountDialog(p.w, &a).show() })
	}()
}

func (p *accountsPanel) onRemove() {
	a, ok := p.current()
	if !ok {
		return
	}
	msg := lang.L("Remove the account “{{.Name}}” from Cloudreel?\nIts password or key is deleted from this computer.\nIts waiting downloads are canceled; recordings already downloaded stay where they are.", vals{"Name": a.Name})
	dialog.ShowConfirm(lang.L("Remove account"), msg, func(yes bool) {
		if !yes {
			return
		}
		go func() {
			err := p.w.deps.Accounts.Remove(context.Background(), a.ID)
			if err == nil {
				p.w.downloads.removeAccountJobs(a.ID)
				p.w.deps.Queue.ForgetConnector(a.ID)
			}
			fyne.Do(func() {
				if err != nil {
					p.w.showError(lang.L("The account could not be removed"), err)
					return
				}
				p.mu.Lock()
				p.selected = ""
				p.mu.Unlock()
				p.list.UnselectAll()
				p.reload()
			})
		}()
	}, p.w.win)
}

// selectAfterReload reloads the list and selects an account in it.
func (p *accountsPanel) selectAfterReload(id string) {
	p.mu.Lock()
	p.selected = id
	p.mu.Unlock()
	p.reload()
}

package gui

import (
	"context"
	"errors"
	"fyne.io/fyne/v2/lang"
	"time"

	"cloudreel/accounts"
)

// secretLostReason is what the accounts list says of an account whose
// password or secret is saved nowhere (kept for one session only, and
// that session ended): it must be signed in again.
const secretLostReason = "sign in again"

// secretLostState is that account's state, the same in the list, the
// centre and the edit dialog.
func secretLostState(a accounts.Account) accountState {
	return accountState{text: needsAttention(lang.L(secretLostReason)), attention: true, secretLost: true,
		reason: accounts.Explain(a, accounts.ErrNotFound)}
}

// lostSecrets returns the IDs of the accounts that have no saved secret.
// It asks the keyring: call it off the Fyne goroutine.
func (w *Window) lostSecrets(list []accounts.Account) map[string]bool {
	lost := map[string]bool{}
	ctx, cancel := context.WithTimeout(w.ctx, 30*time.Second)
	defer cancel()
	for _, a := range list {
		if _, err := w.deps.Accounts.Secret(ctx, a.ID); errors.Is(err, accounts.ErrNotFound) {
			lost[a.ID] = true
		}
	}
	return lost
}

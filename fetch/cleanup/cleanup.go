// Package cleanup frees the cloud: once every file of a recording that
// the person downloaded through Cloudreel is verified and still on disk,
// it moves the recording to the platform's trash or deletes it, as the
// account's policy says (keep, the default, touches nothing). Permanent
// deletes wait a grace period during which they can be cancelled; every
// clean-up (what, when, which proof, the platform's answer) is logged in
// the shared store. It never touches a local file.
package cleanup

import (
	"errors"
	"slices"
	"strings"

	"fyne.io/fyne/v2/lang"

	"cloudreel/fetch"
	"cloudreel/fetch/locale"
)

// Policy is what happens to a recording's cloud copy after it is
// downloaded and verified. It is stored with the account.
type Policy string

// The policies. The empty policy is Keep.
const (
	Keep        Policy = "keep"
	MoveToTrash Policy = Policy(fetch.Trash)
	Delete      Policy = Policy(fetch.DeleteForever)
)

// ParsePolicy reads a policy as typed ("keep", "trash", "delete"; empty:
// keep) and checks that platform p offers it.
func ParsePolicy(s string, p fetch.Platform) (Policy, error) {
	pol := Policy(strings.ToLower(strings.TrimSpace(s)))
	if pol == "" || pol == Keep {
		return Keep, nil
	}
	if pol != MoveToTrash && pol != Delete {
		return Keep, errors.New(lang.L(`"{{.Text}}" is not a choice for after the download: use keep, trash or delete`, map[string]any{"Text": s}))
	}
	if !slices.Contains(Choices(p), pol) {
		return Keep, errors.New(NotOffered(p, pol))
	}
	return pol, nil
}

// Mode is the delete the policy asks for; false for Keep.
func (p Policy) Mode() (fetch.DeleteMode, bool) {
	switch p {
	case MoveToTrash:
		return fetch.Trash, true
	case Delete:
		return fetch.DeleteForever, true
	}
	return "", false
}

// Choices are the policies an account of platform p can have, keep first.
func Choices(p fetch.Platform) []Policy {
	out := []Policy{Keep}
	for _, m := range p.DeleteModes() {
		out = append(out, Policy(m))
	}
	return out
}

// Sentence is the setting's choice in the words of the settings window:
// "After a recording is downloaded and verified: keep it / move it to the
// trash / delete it".
func (p Policy) Sentence() string {
	switch p {
	case MoveToTrash:
		return lang.L("move it to the trash")
	case Delete:
		return lang.L("delete it")
	}
	return lang.L("keep it")
}

// Explain says in plain words what platform p lets Cloudreel do with a
// recording's cloud copy, for the settings and the commands.
func Explain(p fetch.Platform) string {
	switch p {
	case fetch.Valt:
		return lang.L("Valt documents no way to delete a recording through its API, so Cloudreel always keeps recordings on the Valt server.")
	case fetch.ZoomSDK:
		return lang.L("Zoom Video SDK can move a recording to its trash, where it can be recovered for a while, or delete it permanently.")
	case fetch.IBMVideo:
		return lang.L("IBM Video Streaming has no trash: a video can only be deleted permanently.")
	case fetch.Huawei:
		return lang.L("Huawei Cloud Meeting has no trash: a recording can only be deleted permanently, and only by an enterprise administrator.")
	}
	return lang.L("{{.Platform}} offers no way to delete recordings.", map[string]any{"Platform": p.Name()})
}

// NotOffered says that platform p does not offer policy pol, and why.
func NotOffered(p fetch.Platform, pol Policy) string {
	if pol == MoveToTrash {
		return locale.Sentences(lang.L("Cloudreel cannot move recordings to the trash on {{.Platform}}.", map[string]any{"Platform": p.Name()}), Explain(p))
	}
	return locale.Sentences(lang.L("Cloudreel cannot delete recordings on {{.Platform}}.", map[string]any{"Platform": p.Name()}), Explain(p))
}

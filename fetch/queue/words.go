package queue

import "fyne.io/fyne/v2/lang"

// Words is the state as people read it, in their language; the State
// itself is what the store keeps and stays English.
func (s State) Words() string {
	switch s {
	case Queued:
		return lang.L("queued")
	case Preparing:
		return lang.L("preparing")
	case Resolving:
		return lang.L("resolving")
	case Downloading:
		return lang.L("downloading")
	case Paused:
		return lang.L("paused")
	case Done:
		return lang.L("done")
	case Failed:
		return lang.L("failed")
	case Canceled:
		return lang.L("canceled")
	}
	return string(s)
}

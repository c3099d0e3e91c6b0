package gui

import (
	"fyne.io/fyne/v2/lang"

	"cloudreel/fetch/cleanup"
)

// The clean-up's words in the window's language. What the commands say
// too (cleanup.Summary, cleanup.Countdown, cleanup.Explain) the window takes
// from the cleanup package, so that both say it alike.

// outcomeWords says an outcome as a person would.
func outcomeWords(o cleanup.Outcome) string {
	switch o {
	case cleanup.Trashed:
		return lang.L("moved to the trash")
	case cleanup.Deleted:
		return lang.L("deleted permanently")
	case cleanup.AlreadyGone:
		return lang.L("already gone from the platform")
	case cleanup.Planned:
		return lang.L("permanent delete scheduled")
	case cleanup.Canceled:
		return lang.L("kept: delete cancelled")
	case cleanup.Failed:
		return lang.L("not cleaned up (nothing changed)")
	}
	return string(o)
}

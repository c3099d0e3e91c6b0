package gui

import (
	"context"
	"errors"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cloudreel/fetch/queue"
)

// checkFilesButton is the top bar's Check downloaded files: the check of
// `cloudreel verify`, on every account's files.
func (w *Window) checkFilesButton() *widget.Button {
	return &widget.Button{Text: lang.L("Check downloaded files"), Icon: theme.ConfirmIcon(), Importance: widget.LowImportance, OnTapped: w.onCheckFiles}
}

// onCheckFiles checks every downloaded file against the store (and
// Huawei's SHA-256) off the Fyne goroutine, and shows what changed or went
// missing. Closing the dialog stops the check.
func (w *Window) onCheckFiles() {
	box := container.NewVBox(&widget.Label{Text: lang.L("Checking the downloaded files: each is read once, which takes a while for large videos…"), Wrapping: fyne.TextWrapWord})
	d := dialog.NewCustom(lang.L("Check downloaded files"), lang.L("Close"), container.NewVScroll(box), w.win)
	ctx, cancel := context.WithCancel(w.ctx)
	d.SetOnClosed(cancel)
	d.Resize(fyne.NewSize(620, 420))
	d.Show()
	go func() {
		checks, err := w.deps.Queue.CheckFiles(ctx, "", "")
		fyne.Do(func() {
			if ctx.Err() != nil {
				return // closed: nobody reads it
			}
			box.Objects = checkReport(checks, err)
			box.Refresh()
		})
	}()
}

// checkReport is what the check found, in plain words: a sentence of
// totals, then each changed or missing file with what is wrong with it.
func checkReport(checks []queue.FileCheck, err error) []fyne.CanvasObject {
	para := func(s string, imp widget.Importance) *widget.Label {
		return &widget.Label{Text: s, Wrapping: fyne.TextWrapWord, Importance: imp}
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return []fyne.CanvasObject{para(lang.L("The check was stopped."), widget.MediumImportance)}
		}
		return []fyne.CanvasObject{para(lang.L("The files could not be checked: {{.Reason}}", vals{"Reason": explain(err)}), widget.DangerImportance)}
	}
	summary, advice := checkSummary(checks)
	out := []fyne.CanvasObject{para(summary, widget.MediumImportance)}
	for _, ch := range checks {
		what := ""
		switch {
		case ch.Missing:
			what = lang.L("Missing")
		case ch.Changed:
			what = lang.L("Changed")
		default:
			continue
		}
		out = append(out,
			&widget.Label{Text: what + ": " + filepath.Base(ch.Job.Path), TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis},
			para(ch.Problem+" ("+ch.Job.Path+")", widget.DangerImportance))
	}
	for _, a := range advice {
		out = append(out, para(a, widget.MediumImportance))
	}
	return out
}

// checkSummary is the check's totals in a sentence, and what to do about
// what it found.
func checkSummary(checks []queue.FileCheck) (summary string, advice []string) {
	if len(checks) == 0 {
		return lang.L("There are no downloaded files to check."), nil
	}
	var changed, missing, unproven int
	for _, ch := range checks {
		switch {
		case ch.Missing:
			missing++
		case ch.Changed:
			changed++
		case !ch.Job.Proof.Holds():
			unproven++
		}
	}
	ok := len(checks) - changed - missing
	if changed+missing == 0 {
		summary = lang.N("All {{.Count}} files are as they were downloaded.", len(checks), vals{"Count": len(checks)})
	} else {
		summary = lang.N("Checked {{.Count}} files: {{.OK}} as downloaded, {{.Changed}} changed, {{.Missing}} missing.", len(checks),
			vals{"Count": len(checks), "OK": ok, "Changed": changed, "Missing": missing})
		advice = append(advice, lang.L("Download the changed and missing files again: they are no longer counted as verified, so their cloud copies are never cleaned up."))
	}
	if unproven > 0 {
		advice = append(advice, lang.N("{{.Count}} files are as downloaded, but nothing proved them whole when downloaded: not Verified, so never cleaned up.", unproven, vals{"Count": unproven}))
	}
	return summary, advice
}

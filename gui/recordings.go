package gui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/locale"
	"cloudreel/fetch/queue"
)

// recordingsView is the centre of the window: one account's recordings in
// a table that can be sorted, filtered and ticked, and the buttons that
// download the ticked ones.
type recordingsView struct {
	w       *Window
	model   *recordingModel
	account accounts.Account
	query   fetch.Query
	// presetKey is the range chosen above the table (presetMonth…), kept
	// when the window is built again in another language.
	presetKey string
	cancel    context.CancelFunc
	current   int // the table row the keyboard acts on
	// quietSelect is set while the view moves the table's keyboard
	// position itself: that selection ticks nothing.
	quietSelect bool
	columns     []Column           // the columns shown, left to right
	widths      map[string]float32 // what a column needs, by header and sample
	fitWidth    float32            // the width the columns were fitted to
	rowsHeight  float32            // the table's least height (tableMinHeight), once measured

	root        fyne.CanvasObject
	heading     *widget.Label
	search      *searchEntry
	preset      *widget.Select
	table       *recordingsTable
	status      *widget.Label
	loading     *widget.ProgressBarInfinite
	summary     *widget.Label
	download    *widget.Button
	problem     *fyne.Container // shown instead of the table when listing failed
	problemText *widget.Label
}

func newRecordingsView(w *Window) *recordingsView {
	v := &recordingsView{w: w, model: newRecordingModel(), current: -1,
		columns: []Column{ColTick, ColTitle, ColDate, ColDuration, ColSize, ColFiles, ColStatus}}
	v.root = v.buildUI()
	return v
}

func (v *recordingsView) content() fyne.CanvasObject { return v.root }

func (v *recordingsView) buildUI() fyne.CanvasObject {
	// The heading is shown in the window's top bar (window.go).
	v.heading = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText, Truncation: fyne.TextTruncateEllipsis}
	v.search = &searchEntry{view: v}
	v.search.PlaceHolder = lang.L("Search titles")
	v.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	v.search.OnChanged, v.search.OnSubmitted = v.onSearch, v.onSearchSubmitted
	v.search.ExtendBaseWidget(v.search)
	v.preset = &widget.Select{Options: wordsOf(presets()), PlaceHolder: widest(wordsOf(presets())), OnChanged: v.onPreset}
	v.preset.ExtendBaseWidget(v.preset)
	refresh := &widget.Button{Icon: theme.ViewRefreshIcon(), Importance: widget.LowImportance, OnTapped: v.reload}
	v.status = &widget.Label{Importance: widget.LowImportance, Wrapping: fyne.TextWrapWord}
	v.loading = widget.NewProgressBarInfinite()
	v.loading.Hide()

	v.table = &recordingsTable{view: v}
	v.table.Length = func() (int, int) { return v.model.Len(), len(v.columns) }
	v.table.CreateCell, v.table.UpdateCell = v.createCell, v.updateCell
	v.table.ShowHeaderRow = true
	v.table.CreateHeader = func() fyne.CanvasObject {
		return &widget.Button{Importance: widget.LowImportance, Alignment: widget.ButtonAlignLeading}
	}
	v.table.UpdateHeader = v.updateHeader
	v.table.OnSelected = v.onCellSelected
	v.table.OnHighlighted = func(id widget.TableCellID) { v.current = id.Row }
	v.table.ExtendBaseWidget(v.table)

	selectAll := &widget.Button{Text: lang.L("Select all"), Importance: widget.LowImportance, OnTapped: v.onSelectAll}
	selectNone := &widget.Button{Text: lang.L("Select none"), Importance: widget.LowImportance, OnTapped: v.onSelectNone}
	v.summary = &widget.Label{}
	v.download = &widget.Button{Text: lang.L("Download selected"), Icon: theme.DownloadIcon(), Importance: widget.HighImportance, OnTapped: v.onDownloadSelected}
	downloadTo := &widget.Button{Text: lang.L("Download to…"), Icon: theme.FolderOpenIcon(), OnTapped: v.onDownloadTo}

	top := container.NewBorder(nil, nil, nil, container.NewHBox(v.preset, named(refresh, lang.L("List the recordings again"))), v.search)
	// The summary sits beside the listing's status, not between the
	// buttons, so that the view fits a narrow window (about 800 px).
	statusRow := container.NewBorder(nil, nil, nil, v.summary, container.NewStack(v.loading, v.status))
	bottom := container.NewBorder(nil, nil, container.NewHBox(selectAll, selectNone), container.NewHBox(v.w.uploads.sendButton(), downloadTo, v.download))
	v.problemText = &widget.Label{Wrapping: fyne.TextWrapWord, Alignment: fyne.TextAlignCenter, Importance: widget.DangerImportance}
	// Bound late: the accounts panel is built after this view.
	edit := &widget.Button{Text: lang.L("Edit account"), Icon: theme.DocumentCreateIcon(), OnTapped: func() { v.w.accounts.onEdit() }}
	retry := &widget.Button{Text: lang.L("Try again"), Icon: theme.ViewRefreshIcon(), Importance: widget.HighImportance, OnTapped: v.reload}
	v.problem = container.NewCenter(container.NewVBox(
		container.NewCenter(widget.NewIcon(theme.WarningIcon())),
		container.NewGridWrap(fyne.NewSize(520, 80), v.problemText),
		container.NewCenter(container.NewHBox(edit, retry))))
	v.problem.Hide()
	// In the order Tab goes through them: the search row, the table, the
	// buttons under it (NewBorder would put the table first).
	head := container.NewVBox(top, statusRow)
	area := container.New(tableAreaLayout{v}, v.table, v.problem)
	return container.New(layout.NewBorderLayout(head, bottom, nil, nil), head, area, bottom)
}

// createCell makes a cell that can be any column's: a tick box, a text,
// or the button that lists a recording's files.
func (v *recordingsView) createCell() fyne.CanvasObject {
	check := &tickBox{}
	check.ExtendBaseWidget(check)
	label := newDragLabel(v)
	files := &cellButton{}
	files.Icon, files.IconPlacement, files.Importance, files.Alignment = theme.MenuDropDownIcon(), widget.ButtonIconTrailingText, widget.LowImportance, widget.ButtonAlignLeading
	files.ExtendBaseWidget(files)
	return container.NewStack(check, label, files)
}

func (v *recordingsView) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	cell := o.(*fyne.Container)
	check, label, files := cell.Objects[0].(*tickBox), cell.Objects[1].(*dragLabel), cell.Objects[2].(*cellButton)
	row, ok := v.model.Row(id.Row)
	if !ok {
		return
	}
	col := v.column(id.Col)
	check.Hide()
	label.Hide()
	files.Hide()
	switch {
	case col == ColTick:
		check.OnChanged = nil
		check.SetChecked(row.ticked)
		if row.downloadable() {
			check.Enable()
		} else {
			check.Disable() // nothing to download yet
		}
		r := id.Row
		check.OnChanged = func(bool) {
			v.model.Toggle(r)
			v.updateSummary()
			v.keyboardTo(r)
		}
		check.Show()
	case col == ColFiles && len(row.rec.Files) > 1:
		files.Icon, files.IconPlacement = theme.MenuDropDownIcon(), widget.ButtonIconTrailingText
		files.SetText(filesLabel(row))
		recID := row.rec.ID
		files.OnTapped = func() { v.onFiles(recID) }
		files.Show()
	case col == ColStatus && noVideo(row):
		// The platform's reason is a sentence, too long for the cell:
		// the cell says "No video" and a tap on it tells why.
		files.Icon, files.IconPlacement = theme.InfoIcon(), widget.ButtonIconLeadingText
		files.SetText(lang.L(noVideoStatus))
		title, note := row.rec.Title, row.rec.Note
		files.OnTapped = func() { v.showNote(title, note) }
		files.Show()
	default:
		label.row = id.Row
		label.Importance = widget.MediumImportance
		if col == ColStatus {
			label.Importance = statusImportance(row.status)
		}
		text := cellText(row, col)
		if col == ColFiles && noVideo(row) {
			text = "–" // not "0 files": the Status cell says why
		}
		label.SetText(text)
		label.Show()
	}
}

func statusImportance(status string) widget.Importance {
	switch {
	case status == "downloaded" || status == "verified":
		return widget.SuccessImportance
	case status == "failed":
		return widget.DangerImportance
	case status == "new":
		return widget.LowImportance
	}
	return widget.HighImportance
}

func (v *recordingsView) updateHeader(id widget.TableCellID, o fyne.CanvasObject) {
	b := o.(*widget.Button)
	col := v.column(id.Col)
	text := columnTitle(col)
	if sortCol, desc := v.model.Sorting(); sortCol == col && col != ColTick {
		if desc {
			text += " ▼"
		} else {
			text += " ▲"
		}
	}
	b.SetText(text)
	b.OnTapped = func() { v.onSort(col) }
}

func (v *recordingsView) onSort(c Column) {
	v.model.SortBy(c)
	v.table.Refresh()
	v.table.ScrollToTop()
}

// onSearch filters the table; the rows found are shown from the top,
// not from wherever the longer list was scrolled to.
func (v *recordingsView) onSearch(text string) {
	v.model.SetFilter(text)
	v.table.Refresh()
	v.table.ScrollToTop()
	v.current = -1
	v.updateSummary()
}

func (v *recordingsView) onCellSelected(id widget.TableCellID) {
	v.current = id.Row
	if col := v.column(id.Col); !v.quietSelect && (col == ColTick || col == ColTitle) {
		v.toggleCurrent()
	}
	v.table.UnselectAll()
}

// toggleCurrent ticks or unticks the row the keyboard is on (Space).
func (v *recordingsView) toggleCurrent() {
	if v.current < 0 {
		return
	}
	v.model.Toggle(v.current)
	v.table.RefreshItem(widget.TableCellID{Row: v.current, Col: v.colIndex(ColTick)})
	v.updateSummary()
}

func (v *recordingsView) onSelectAll() {
	v.model.TickAll(true)
	v.table.Refresh()
	v.updateSummary()
}

func (v *recordingsView) onSelectNone() {
	v.model.TickAll(false)
	v.table.Refresh()
	v.updateSummary()
}

func (v *recordingsView) focusSearch() { v.w.win.Canvas().Focus(v.search) }

func (v *recordingsView) updateSummary() {
	ticked := v.model.Ticked()
	switch {
	case len(ticked) == 0:
		v.summary.SetText(lang.N("{{.Count}} recordings", v.model.Len(), vals{"Count": v.model.Len()}))
	default:
		v.summary.SetText(lang.L("{{.Ticked}} of {{.Count}} ticked ({{.Size}})", vals{"Ticked": len(ticked), "Count": v.model.Len(), "Size": tickedSize(ticked)}))
	}
	if len(ticked) == 0 {
		v.download.Disable()
	} else {
		v.download.Enable()
	}
}

// load shows an account's recordings, listing them in the background.
func (v *recordingsView) load(a accounts.Account) {
	v.account = a
	v.heading.SetText(a.Name + " — " + a.Platform.Name())
	if v.preset.Selected == "" {
		v.preset.SetSelected(lang.L(presetMonth)) // calls onPreset, which reloads
		return
	}
	v.reload()
}

// reload lists the account's recordings in the background. Recordings
// appear as pages arrive; the account shows "Signing in…" until the first.
func (v *recordingsView) reload() {
	if v.cancel != nil {
		v.cancel()
	}
	ctx, cancel := context.WithCancel(v.w.ctx)
	v.cancel = cancel
	a, q := v.account, v.query
	v.model.Set(nil)
	v.problem.Hide()
	v.table.Show()
	v.refitColumns()
	v.table.Refresh()
	v.table.ScrollToTop()
	v.status.SetText(lang.L("Loading recordings…"))
	v.loading.Show()
	v.loading.Start()
	before := v.w.accounts.state(a.ID)
	v.w.accounts.setState(a.ID, accountState{text: lang.L("Signing in…")})
	go func() {
		v.list(ctx, a, q)
		// Another account or range was chosen: say what we knew before.
		// Not when the window closed (its ctx ends before this one): there
		// is nothing left to redraw, and the tests' next window may
		// already be building beside this goroutine.
		if ctx.Err() != nil && v.w.ctx.Err() == nil {
			fyne.Do(func() {
				if v.w.accounts.state(a.ID).text == lang.L("Signing in…") {
					v.w.accounts.setState(a.ID, before)
				}
			})
		}
	}()
}

func (v *recordingsView) list(ctx context.Context, a accounts.Account, q fetch.Query) {
	var batch []fetch.Recording
	last := time.Now()
	flush := func() {
		recs := batch
		batch = nil
		v.model.Append(recs...)
		statuses := v.w.downloads.statusesFor(recs)
		for id, st := range statuses {
			v.model.SetStatus(id, st)
		}
		fyne.Do(func() {
			if ctx.Err() != nil {
				return
			}
			v.refitColumns() // an Owner column when the platform names owners
			v.table.Refresh()
			v.status.SetText(lang.L("Loading recordings… {{.Count}} so far", vals{"Count": v.model.Total()}))
			v.updateSummary()
		})
	}
	// A platform that asks us to slow down shows as "waiting", not stuck.
	ctx = fetch.WithWaitNotice(ctx, func(d time.Duration, reason error) {
		if fetch.KindOf(reason) != fetch.KindRateLimited {
			return
		}
		fyne.Do(func() {
			if ctx.Err() == nil {
				v.status.SetText(lang.L("Waiting: {{.Platform}} asked Cloudreel to slow down. Trying again in {{.Time}}…",
					vals{"Platform": a.Platform.Name(), "Time": locale.Now().Remaining(d)}))
				v.w.accounts.setState(a.ID, accountState{text: lang.L("Waiting…")})
			}
		})
	})
	var err error
	for rec, e := range v.w.deps.Accounts.Recordings(ctx, a, q) {
		if e != nil {
			err = e
			break
		}
		batch = append(batch, rec)
		if time.Since(last) > 250*time.Millisecond {
			flush()
			last = time.Now()
		}
	}
	if ctx.Err() != nil {
		return
	}
	flush()
	fyne.Do(func() {
		if ctx.Err() != nil {
			return
		}
		v.loading.Stop()
		v.loading.Hide()
		if err != nil {
			v.status.SetText("")
			v.problemText.SetText(explain(err))
			v.table.Hide()
			v.problem.Show()
			v.w.accounts.setState(a.ID, accountState{text: needsAttention(shortReason(err)), attention: true, reason: explain(err)})
			return
		}
		v.status.SetText(lang.N("{{.Count}} recordings from {{.From}} to {{.To}}", v.model.Total(),
			vals{"Count": v.model.Total(), "From": formatDate(q.From), "To": formatDate(q.To)}))
		v.w.accounts.setState(a.ID, accountState{text: lang.L("Ready")})
	})
}

// setStatus shows what the queue says about a recording.
func (v *recordingsView) setStatus(recID, status string) {
	if i := v.model.SetStatus(recID, status); i >= 0 {
		v.table.RefreshItem(widget.TableCellID{Row: i, Col: v.colIndex(ColStatus)})
	}
}

func (v *recordingsView) onDownloadSelected() { v.downloadTo(v.w.settings.Folder) }

// onDownloadTo asks for a folder, starting in the default one.
func (v *recordingsView) onDownloadTo() {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil || u == nil {
			return
		}
		v.downloadTo(u.Path())
	}, v.w.win)
	if folder := v.w.settings.Folder; folder != "" {
		if l, err := storage.ListerForURI(storage.NewFileURI(folder)); err == nil {
			d.SetLocation(l)
		}
	}
	d.Show()
}

// downloadTo queues the ticked files of the ticked recordings into folder.
func (v *recordingsView) downloadTo(folder string) {
	recs := v.model.Ticked()
	if len(recs) == 0 {
		v.w.notice(lang.L("Tick the recordings you want first, then download them."))
		return
	}
	a := v.account
	var reqs []queue.AddRequest
	for _, r := range recs {
		for _, f := range r.Files {
			reqs = append(reqs, queue.AddRequest{AccountID: a.ID, AccountName: a.Name, Platform: a.Platform, Recording: r, File: f, Folder: folder})
		}
		v.setStatus(r.ID, "queued")
	}
	v.model.TickAll(false)
	v.table.Refresh()
	v.updateSummary()
	go func() {
		if _, err := v.w.deps.Queue.Add(reqs...); err != nil {
			fyne.Do(func() { v.w.showError(lang.L("The recordings could not be queued"), err) })
		}
	}()
}

// dropRowAt is the end of a drag of table row `row` at an absolute
// position: over a folder shortcut, the row is ticked and the ticked
// recordings are downloaded into that folder.
func (v *recordingsView) dropRowAt(row int, pos fyne.Position) {
	target := v.w.accounts.folders.targetAt(pos)
	if target == nil {
		return
	}
	if r, ok := v.model.Row(row); ok && !r.ticked {
		v.model.Toggle(row)
	}
	v.downloadTo(target.path)
}

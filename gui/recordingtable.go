package gui

import (
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The keyboard of the recordings view. Fyne gives keys to the focused
// widget only, and a click on a row focuses the table (a click on a tick
// box, the box): so the table and the search box handle the view's keys
// themselves, and the window's canvas does the same when nothing is
// focused (window.go). Ctrl+A reaches the canvas as fyne.ShortcutSelectAll
// from anything but a text box, since neither the table nor a tick box
// takes shortcuts.

// typedKey is what a key does anywhere in the recordings view: Enter
// downloads the ticked recordings, Space ticks the row the keyboard is on,
// Escape clears the search, the menu key opens the row's files (or says
// why it has no video). It reports whether the key was one of those.
func (v *recordingsView) typedKey(k *fyne.KeyEvent) bool {
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		v.onDownloadSelected()
	case fyne.KeySpace:
		v.toggleCurrent()
	case fyne.KeyEscape:
		v.clearSearch()
	case fyne.KeyF1:
		v.w.onHelp()
	case desktop.KeyMenu:
		v.openCurrent()
	default:
		return false
	}
	return true
}

// openCurrent does what the Files or Status button of the row the keyboard
// is on does (the menu key, Shift+F10): the files of a recording with
// several, or why one has no video. Those buttons are not stops of the
// Tab order (tickBox, cellButton).
func (v *recordingsView) openCurrent() {
	r, ok := v.model.Row(v.current)
	switch {
	case !ok || v.current < 0:
	case len(r.rec.Files) > 1:
		v.onFiles(r.rec.ID)
	case noVideo(r):
		v.showNote(r.rec.Title, r.rec.Note)
	}
}

// onMenuKey is Shift+F10, which keyboards without a menu key use for it.
func (v *recordingsView) onMenuKey(fyne.Shortcut) {
	if v.keysAreTheTables() {
		v.openCurrent()
	}
}

// onTypedKey is typedKey for the canvas's SetOnTypedKey. Keys that reach
// the canvas while a dialog is open are the dialog's, and while the
// welcome is shown there is no table to act on.
func (v *recordingsView) onTypedKey(k *fyne.KeyEvent) {
	if v.keysAreTheTables() {
		v.typedKey(k)
	}
}

// onSelectAllShortcut is Ctrl+A.
func (v *recordingsView) onSelectAllShortcut(fyne.Shortcut) {
	if v.keysAreTheTables() {
		v.onSelectAll()
	}
}

// keysAreTheTables says whether the table is on screen with no dialog
// over it.
func (v *recordingsView) keysAreTheTables() bool {
	c := fyne.CurrentApp().Driver().CanvasForObject(v.table)
	return c != nil && c.Overlays().Top() == nil
}

func (v *recordingsView) clearSearch() {
	if v.search.Text != "" {
		v.search.SetText("") // calls onSearch
	}
}

// keyboardTo puts the keyboard on a row of the table, as a click there
// does, without ticking it: after a click on a tick box, Enter and Space
// act from the table.
func (v *recordingsView) keyboardTo(row int) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(v.table); c != nil {
		c.Focus(v.table)
	}
	v.quietSelect = true
	v.table.Select(widget.TableCellID{Row: row, Col: max(v.colIndex(ColDate), 0)})
	v.quietSelect = false
	v.current = row
}

// recordingsTable is the Fyne table with the view's keys and with columns
// that fit its width.
type recordingsTable struct {
	widget.Table
	view *recordingsView
}

// TypedKey handles the view's keys before the table's own (the arrows).
func (t *recordingsTable) TypedKey(k *fyne.KeyEvent) {
	if !t.view.typedKey(k) {
		t.Table.TypedKey(k)
	}
}

// Resize fits the columns to the new width before the table lays out.
func (t *recordingsTable) Resize(s fyne.Size) {
	t.view.fitColumns(s.Width)
	t.Table.Resize(s)
}

// searchEntry is the search box: Escape clears it, Enter downloads the
// ticked recordings or, with none ticked, moves the keyboard to the table.
type searchEntry struct {
	widget.Entry
	view *recordingsView
}

// TypedKey clears the search on Escape and opens Help on F1.
func (e *searchEntry) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyEscape:
		e.view.clearSearch()
	case fyne.KeyF1:
		e.view.w.onHelp()
	default:
		e.Entry.TypedKey(k)
	}
}

// TypedShortcut hands the window's shortcuts on: a text box keeps every
// shortcut it is given.
func (e *searchEntry) TypedShortcut(s fyne.Shortcut) {
	if !e.view.w.runShortcut(s) {
		e.Entry.TypedShortcut(s)
	}
}

// onRefreshKey, onDownloadKey and onDownloadToKey are Ctrl+R, Ctrl+D and
// Ctrl+Shift+D: they act only while the table is on screen, no dialog
// over it.
func (v *recordingsView) onRefreshKey() {
	if v.keysAreTheTables() && v.account.ID != "" {
		v.reload()
	}
}

func (v *recordingsView) onDownloadKey() {
	if v.keysAreTheTables() {
		v.onDownloadSelected()
	}
}

func (v *recordingsView) onDownloadToKey() {
	if v.keysAreTheTables() {
		v.onDownloadTo()
	}
}

func (v *recordingsView) onSearchSubmitted(string) {
	if len(v.model.Ticked()) > 0 {
		v.onDownloadSelected()
		return
	}
	if v.model.Len() > 0 {
		v.keyboardTo(0)
	}
}

// The widths of the columns: every column but the title is as wide as
// its header or its widest usual text, and the title takes the rest.
// When the view is too narrow for all, the columns a person needs least
// go first, in dropOrder; the tick, title, date and status always stay.
var (
	minTitleWidth = float32(160)
	dropOrder     = []Column{ColDuration, ColOwner, ColSize, ColFiles}
)

// columnSample is the widest usual text of a column, in the language
// spoken.
func columnSample(c Column) string {
	switch c {
	case ColOwner:
		return "Alexandra Johnson"
	case ColDate:
		// The longest month's name (Spanish "sept") or number (Chinese 12月).
		sep := formatDateTime(time.Date(2026, time.September, 28, 23, 59, 0, 0, time.UTC))
		dec := formatDateTime(time.Date(2026, time.December, 28, 23, 59, 0, 0, time.UTC))
		if utf8.RuneCountInString(dec) > utf8.RuneCountInString(sep) {
			return dec
		}
		return sep
	case ColDuration:
		return formatDuration(10*time.Hour + 59*time.Minute)
	case ColSize:
		return formatBytes(999_900_000)
	case ColFiles:
		return lang.N("{{.Count}} files", 12, vals{"Count": 12})
	case ColStatus:
		return statusWords("downloading 99%")
	}
	return ""
}

// preparingSample is the Status of a recording being prepared (a longer
// day, "12 Dec 14:30", is cut with an ellipsis).
func preparingSample() string {
	return lang.L("Preparing (ready about {{.Time}})", vals{"Time": "14:30"})
}

// columnWidth is the width a column needs, but the title's.
func (v *recordingsView) columnWidth(c Column, preparing bool) float32 {
	sample := columnSample(c)
	if c == ColStatus && preparing {
		sample = preparingSample()
	}
	key := columnTitle(c) + "\x00" + sample
	if w, ok := v.widths[key]; ok {
		return w
	}
	header := (&widget.Button{Text: columnTitle(c) + " ▼"}).MinSize().Width
	var w float32
	switch c {
	case ColTick:
		w = (&widget.Check{}).MinSize().Width
	case ColFiles:
		w = max(header, (&widget.Button{Text: sample, Icon: theme.MenuDropDownIcon(), IconPlacement: widget.ButtonIconTrailingText}).MinSize().Width)
	default:
		// Beyond the label's own padding, the table's cell takes some: the
		// screenshots under Xvfb cut "27 Nov 2026 23:59" and the Chinese
		// dates with the label's width alone.
		w = max(header, fyne.MeasureText(sample, theme.TextSize(), fyne.TextStyle{}).Width+2*theme.InnerPadding()+2*theme.Padding())
	}
	if v.widths == nil {
		v.widths = map[string]float32{}
	}
	v.widths[key] = w
	return w
}

// fitColumns chooses the columns shown and their widths for a table of
// the given width.
func (v *recordingsView) fitColumns(width float32) {
	if width <= 0 {
		return
	}
	v.fitWidth = width
	pad := theme.Padding()
	// The vertical scroll bar is drawn over the last column's right edge.
	avail := width - theme.ScrollBarSize()
	cols := make([]Column, 0, numColumns)
	widths := map[Column]float32{ColTitle: minTitleWidth}
	owner, preparing := v.model.HasOwner(), v.model.HasReadyAt()
	for c := range numColumns {
		if c != ColOwner || owner {
			cols = append(cols, c)
		}
		if c != ColTitle {
			widths[c] = v.columnWidth(c, preparing)
		}
	}
	need := func(cols []Column) float32 {
		total := pad * float32(len(cols)-1)
		for _, c := range cols {
			total += widths[c]
		}
		return total
	}
	for _, drop := range dropOrder {
		if need(cols) <= avail {
			break
		}
		for i, c := range cols {
			if c == drop {
				cols = append(cols[:i:i], cols[i+1:]...)
				break
			}
		}
	}
	title := minTitleWidth + max(avail-need(cols), 0)
	changed := len(cols) != len(v.columns)
	for i := range cols {
		changed = changed || cols[i] != v.columns[i]
	}
	v.columns = cols
	widths[ColTitle] = title
	for i, c := range cols {
		v.table.SetColumnWidth(i, widths[c])
	}
	if changed {
		v.table.Refresh()
	}
}

// refitColumns fits the columns again after what they show changed (an
// owner appeared).
func (v *recordingsView) refitColumns() { v.fitColumns(v.fitWidth) }

// colIndex is the table column showing c, or -1 when it is not shown.
func (v *recordingsView) colIndex(c Column) int {
	for i, col := range v.columns {
		if col == c {
			return i
		}
	}
	return -1
}

// column is the Column shown in table column i.
func (v *recordingsView) column(i int) Column {
	if i < 0 || i >= len(v.columns) {
		return numColumns
	}
	return v.columns[i]
}

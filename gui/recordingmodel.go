package gui

import (
	"cloudreel/fetch/locale"
	"cmp"
	"fmt"
	"fyne.io/fyne/v2/lang"
	"slices"
	"strings"
	"sync"
	"time"

	"cloudreel/fetch"
	"cloudreel/fetch/queue"
)

// Column identifies a column of the recordings table.
type Column int

// The recordings table's columns, in the order they are shown.
const (
	ColTick Column = iota
	ColTitle
	ColOwner // shown only when some recording has an owner
	ColDate
	ColDuration
	ColSize
	ColFiles
	ColStatus
	numColumns
)

// columnTitles are the columns' headers in English, as tests find them;
// columnTitle gives them in the language spoken.
var columnTitles = [numColumns]string{"", "Title", "Owner", "Date", "Duration", "Size", "Files", "Status"}

// columnTitle is a column's header in the language spoken.
func columnTitle(c Column) string {
	switch c {
	case ColTitle:
		return lang.L("Title")
	case ColOwner:
		return lang.L("Owner")
	case ColDate:
		return lang.L("Date")
	case ColDuration:
		return lang.L("Duration")
	case ColSize:
		return lang.L("Size")
	case ColFiles:
		return lang.L("Files")
	case ColStatus:
		return lang.L("Status")
	}
	return ""
}

// recordingRow is one line of the recordings table: a recording, whether
// it is ticked, and what the download queue says about it.
type recordingRow struct {
	rec    fetch.Recording
	lower  string // the title in lower case, for sorting and searching
	ticked bool
	status string // "new", "queued", "preparing", "downloading 40%", "downloaded", "verified" (every file proven whole), "failed"
	// left are the ids of the files a person unticked in the files popup:
	// a ticked recording downloads its other files. It is never changed
	// in place (a new map replaces it), so a copied row may keep reading it.
	left map[string]bool
}

// downloadable says whether the recording has files to download: a
// recording the platform is still preparing may have none yet.
func (r recordingRow) downloadable() bool { return len(r.rec.Files) > 0 }

// fileTicked says whether a file of the recording is downloaded with it.
func (r recordingRow) fileTicked(fileID string) bool { return !r.left[fileID] }

// chosen is the recording with only the files that are ticked.
func (r recordingRow) chosen() fetch.Recording {
	if len(r.left) == 0 {
		return r.rec
	}
	out := r.rec
	out.Files = nil
	for _, f := range r.rec.Files {
		if !r.left[f.ID] {
			out.Files = append(out.Files, f)
		}
	}
	return out
}

// recordingModel is the recordings table's data, without any widget: the
// full list, the filter, the sort and the ticks. The table reads it through
// Len and Row; every method is safe to call from any goroutine.
type recordingModel struct {
	mu      sync.Mutex
	all     []*recordingRow
	visible []*recordingRow
	byID    map[string]*recordingRow
	filter  string
	sortBy  Column
	desc    bool
}

func newRecordingModel() *recordingModel {
	return &recordingModel{byID: map[string]*recordingRow{}, sortBy: ColDate, desc: true}
}

// Set replaces the recordings, keeping the ticks of those still there.
func (m *recordingModel) Set(recs []fetch.Recording) {
	m.mu.Lock()
	defer m.mu.Unlock()
	old := m.byID
	m.all = make([]*recordingRow, 0, len(recs))
	m.byID = make(map[string]*recordingRow, len(recs))
	for _, r := range recs {
		row := &recordingRow{rec: r, lower: strings.ToLower(r.Title), status: "new"}
		if o, ok := old[r.ID]; ok {
			row.ticked, row.status, row.left = o.ticked && row.downloadable(), o.status, o.left
		}
		m.all = append(m.all, row)
		m.byID[r.ID] = row
	}
	m.refresh()
}

// Append adds recordings as a listing brings them in.
func (m *recordingModel) Append(recs ...fetch.Recording) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range recs {
		if _, ok := m.byID[r.ID]; ok {
			continue
		}
		row := &recordingRow{rec: r, lower: strings.ToLower(r.Title), status: "new"}
		m.all = append(m.all, row)
		m.byID[r.ID] = row
	}
	m.refresh()
}

// SetFilter keeps only recordings whose title contains text (any case).
func (m *recordingModel) SetFilter(text string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.filter = strings.ToLower(strings.TrimSpace(text))
	m.refresh()
}

// SortBy sorts by a column; sorting by the same column again flips the
// order. Dates start newest first, everything else A to Z or smallest first.
func (m *recordingModel) SortBy(c Column) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if c == m.sortBy {
		m.desc = !m.desc
	} else {
		m.sortBy, m.desc = c, c == ColDate
	}
	m.refresh()
}

// Sorting says which column sorts the table and in which direction.
func (m *recordingModel) Sorting() (Column, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.sortBy, m.desc
}

// refresh recomputes the visible rows; the caller holds mu.
func (m *recordingModel) refresh() {
	m.visible = m.visible[:0]
	for _, r := range m.all {
		if m.filter == "" || strings.Contains(r.lower, m.filter) {
			m.visible = append(m.visible, r)
		}
	}
	cmpRows := func(a, b *recordingRow) int {
		switch m.sortBy {
		case ColTitle:
			return cmp.Compare(a.lower, b.lower)
		case ColOwner:
			return cmp.Compare(strings.ToLower(a.rec.Owner), strings.ToLower(b.rec.Owner))
		case ColDuration:
			return cmp.Compare(a.rec.Duration, b.rec.Duration)
		case ColSize:
			return cmp.Compare(a.rec.Size(), b.rec.Size())
		case ColFiles:
			return cmp.Compare(len(a.rec.Files), len(b.rec.Files))
		case ColStatus:
			return cmp.Compare(a.status, b.status)
		case ColTick:
			return cmp.Compare(b2i(a.ticked), b2i(b.ticked))
		}
		return a.rec.Start.Compare(b.rec.Start)
	}
	slices.SortStableFunc(m.visible, func(a, b *recordingRow) int {
		c := cmpRows(a, b)
		if c == 0 {
			c = a.rec.Start.Compare(b.rec.Start)
		}
		if m.desc {
			return -c
		}
		return c
	})
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Len is the number of visible rows.
func (m *recordingModel) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.visible)
}

// Total is the number of recordings, filtered or not.
func (m *recordingModel) Total() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.all)
}

// Row returns a copy of visible row i.
func (m *recordingModel) Row(i int) (recordingRow, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if i < 0 || i >= len(m.visible) {
		return recordingRow{}, false
	}
	return *m.visible[i], true
}

// Index returns the visible row of a recording, or -1.
func (m *recordingModel) Index(id string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, r := range m.visible {
		if r.rec.ID == id {
			return i
		}
	}
	return -1
}

// Toggle ticks or unticks visible row i.
func (m *recordingModel) Toggle(i int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if i >= 0 && i < len(m.visible) && m.visible[i].downloadable() {
		r := m.visible[i]
		r.ticked, r.left = !r.ticked, nil
	}
}

// TickAll ticks (or unticks) every visible row that can be downloaded. A
// row already ticked keeps its choice of files.
func (m *recordingModel) TickAll(on bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range m.visible {
		switch {
		case !on:
			r.ticked, r.left = false, nil
		case !r.ticked && r.downloadable():
			r.ticked, r.left = true, nil
		}
	}
}

// SetFileTicked ticks or unticks one file of a recording (the files
// popup). Ticking a file of an unticked recording ticks the recording with
// that file alone; unticking its last file unticks it. (Un)ticking the
// whole recording forgets the choice of files.
func (m *recordingModel) SetFileTicked(recID, fileID string, on bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.byID[recID]
	if !ok || !slices.ContainsFunc(r.rec.Files, func(f fetch.File) bool { return f.ID == fileID }) {
		return
	}
	left := make(map[string]bool, len(r.rec.Files))
	for _, f := range r.rec.Files {
		if !r.ticked || r.left[f.ID] {
			left[f.ID] = true
		}
	}
	if on {
		delete(left, fileID)
	} else {
		left[fileID] = true
	}
	r.ticked, r.left = true, left
	if len(r.chosen().Files) == 0 {
		r.ticked, r.left = false, nil // nothing left to download: start afresh
	}
}

// Ticked returns the ticked recordings, visible or not, in table order,
// each with only its ticked files.
func (m *recordingModel) Ticked() []fetch.Recording {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []fetch.Recording
	seen := map[string]bool{}
	for _, r := range m.visible {
		if r.ticked {
			out = append(out, r.chosen())
			seen[r.rec.ID] = true
		}
	}
	for _, r := range m.all {
		if r.ticked && !seen[r.rec.ID] {
			out = append(out, r.chosen())
		}
	}
	return out
}

// HasReadyAt says whether a recording still being prepared says when it
// will be ready, for a Status column wide enough to say so.
func (m *recordingModel) HasReadyAt() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range m.all {
		if r.rec.Pending && !r.rec.ReadyAt.IsZero() {
			return true
		}
	}
	return false
}

// HasOwner says whether any recording names its owner, so that the table
// shows the Owner column only for platforms that say.
func (m *recordingModel) HasOwner() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range m.all {
		if r.rec.Owner != "" {
			return true
		}
	}
	return false
}

// SetStatus records what the queue says about a recording and returns its
// visible row (or -1) so that only that row is redrawn.
func (m *recordingModel) SetStatus(recID, status string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.byID[recID]
	if !ok || r.status == status {
		return -1
	}
	r.status = status
	for i, v := range m.visible {
		if v == r {
			return i
		}
	}
	return -1
}

// cellText is what a cell shows, for every column but the tick.
func cellText(r recordingRow, c Column) string {
	switch c {
	case ColTitle:
		return r.rec.Title
	case ColOwner:
		return r.rec.Owner
	case ColDate:
		return formatDateTime(r.rec.Start.Local())
	case ColDuration:
		return formatDuration(r.rec.Duration)
	case ColSize:
		if s := r.rec.Size(); s > 0 {
			return formatBytes(s)
		}
		return "–"
	case ColFiles:
		return filesText(r.rec)
	case ColStatus:
		return statusText(r, time.Now())
	}
	return ""
}

// statusText is the Status cell: what the queue says, or for a recording
// the platform is still preparing, when it expects it to be ready.
func statusText(r recordingRow, now time.Time) string {
	if r.status != "new" && r.status != "" || !r.rec.Pending {
		return statusWords(r.status)
	}
	ready := r.rec.ReadyAt.Local()
	switch {
	case r.rec.ReadyAt.IsZero():
		return lang.L("Not ready yet")
	case !ready.After(now):
		return lang.L("Preparing (should be ready soon)")
	case ready.YearDay() == now.Local().YearDay() && ready.Year() == now.Local().Year():
		return lang.L("Preparing (ready about {{.Time}})", vals{"Time": locale.Now().Clock(ready)})
	}
	return lang.L("Preparing (ready {{.Time}})", vals{"Time": locale.Now().DayTime(ready)})
}

// statusWords is a recording's status (recordingStatus) in the language
// spoken.
func statusWords(status string) string {
	switch status {
	case "new":
		return lang.L("new")
	case "queued":
		return lang.L("queued")
	case "preparing":
		return lang.L("preparing")
	case "downloading":
		return lang.L("downloading")
	case "paused":
		return lang.L("paused")
	case "downloaded":
		return lang.L("downloaded")
	case "verified":
		return lang.L("verified")
	case "failed":
		return lang.L("failed")
	}
	var percent int
	if _, err := fmt.Sscanf(status, "downloading %d%%", &percent); err == nil {
		return lang.L("downloading {{.Percent}}%", vals{"Percent": percent})
	}
	return status
}

func filesText(r fetch.Recording) string {
	if r.Pending {
		return "…"
	}
	return lang.N("{{.Count}} files", len(r.Files), vals{"Count": len(r.Files)})
}

func formatDuration(d time.Duration) string {
	if d <= 0 {
		return "–"
	}
	return locale.Now().Duration(d.Round(time.Minute))
}

// allVerified reports whether a proof showed every job's file whole: only
// then does the table say "verified" rather than "downloaded".
func allVerified(jobs []queue.Job) bool {
	for _, j := range jobs {
		if !j.Verified() {
			return false
		}
	}
	return len(jobs) > 0
}

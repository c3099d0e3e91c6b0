package gui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

// headerEdges are the left and right edges, in the window, of the header
// of a column of the recordings table; ok is false when it is not drawn.
func headerEdges(v *recordingsView, c Column) (left, right float32, ok bool) {
	bs := find(v.table, func(b *widget.Button) bool { return strings.HasPrefix(b.Text, columnTitles[c]) })
	if len(bs) == 0 {
		return 0, 0, false
	}
	x := fyne.CurrentApp().Driver().AbsolutePositionForObject(bs[0]).X
	return x, x + bs[0].Size().Width, true
}

// TestColumnsFitTheWindow measures the table at the smallest window a
// person should be able to use and at a large one: Status is always on
// screen, and the title column takes whatever width is spare.
func TestColumnsFitTheWindow(t *testing.T) {
	h := newHarness(t, smallSim)
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	v := h.w.recordings
	titleWidths := map[float32]float32{}
	for _, size := range []fyne.Size{{Width: 800, Height: 560}, {Width: 1800, Height: 1100}} {
		h.ui(func() {
			h.w.win.Resize(size)
			if min := h.content().MinSize(); min.Width > size.Width || min.Height > size.Height {
				t.Errorf("at %v: the window cannot be that small, its content needs %v", size, min)
			}
			tableX := fyne.CurrentApp().Driver().AbsolutePositionForObject(v.table).X
			tableRight := tableX + v.table.Size().Width
			left, right, ok := headerEdges(v, ColStatus)
			if !ok {
				t.Fatalf("at %v: no Status column drawn (columns %v)", size, v.columns)
			}
			if left < tableX || right > tableRight || right > size.Width {
				t.Errorf("at %v: Status spans %.0f–%.0f, the table %.0f–%.0f, the window 0–%.0f", size, left, right, tableX, tableRight, size.Width)
			}
			// Nothing left over: the last column ends under the scroll bar.
			if spare := tableRight - right; spare > theme.ScrollBarSize()+theme.Padding()+1 {
				t.Errorf("at %v: %.0f px spare right of the last column", size, spare)
			}
			tl, tr, ok := headerEdges(v, ColTitle)
			if !ok {
				t.Fatalf("at %v: no Title column drawn", size)
			}
			titleWidths[size.Width] = tr - tl
			for _, c := range []Column{ColTick, ColDate} {
				if v.colIndex(c) < 0 {
					t.Errorf("at %v: the %q column is not shown", size, columnTitles[c])
				}
			}
			t.Logf("at %v: title %.0f px wide, columns %v", size, tr-tl, v.columns)
		})
	}
	// The table itself grows by about 800 px (the accounts panel takes
	// its share); Duration and Size come back, and the title takes the rest.
	if titleWidths[1800] < titleWidths[800]+400 {
		t.Errorf("the title column is %.0f px wide at 800 px and %.0f at 1800: it should take the extra width", titleWidths[800], titleWidths[1800])
	}
	h.ui(func() {
		if v.colIndex(ColDuration) < 0 || v.colIndex(ColSize) < 0 || v.colIndex(ColFiles) < 0 {
			t.Errorf("at a large size the columns %v miss some", v.columns)
		}
		if v.colIndex(ColOwner) >= 0 {
			t.Error("an Owner column without any owner")
		}
	})
}

// fullRowsShown counts the recordings whose title is drawn whole inside
// the table, below its header.
func fullRowsShown(h *harness) int {
	v := h.w.recordings
	drv := fyne.CurrentApp().Driver()
	top := drv.AbsolutePositionForObject(v.table).Y
	bottom := top + v.table.Size().Height
	if bs := find(v.table, func(b *widget.Button) bool { return strings.HasPrefix(b.Text, columnTitles[ColTitle]) }); len(bs) > 0 {
		top = drv.AbsolutePositionForObject(bs[0]).Y + bs[0].Size().Height
	}
	n := 0
	for r := range v.model.Len() {
		l := h.titleLabel(r)
		if l == nil {
			continue
		}
		y := drv.AbsolutePositionForObject(l).Y
		if y >= top && y+l.Size().Height <= bottom {
			n++
		}
	}
	return n
}

// TestSmallestWindowWithManyDownloads is the window at about 800 × 560
// while ten files download and the end of a batch is announced: the
// window can be made that small (the accounts panel and the downloads'
// heading shrink), Status stays on screen, and the table keeps at least
// minTableRows whole rows while the downloads scroll below it.
func TestSmallestWindowWithManyDownloads(t *testing.T) {
	slow := serveSim(t, sim.Config{Recordings: 30, Throttle: 16 << 10, MinSize: 4 << 20, MaxSize: 5 << 20})
	h := newHarness(t, harnessOptions{server: slow})
	h.addAccount(fetch.Valt, "Lectures at the main campus (Valt)")
	h.addAccount(fetch.ZoomSDK, "School Zoom")
	h.ui(func() {
		for i := range 10 {
			h.w.recordings.model.Toggle(i)
		}
		h.w.recordings.downloadTo(h.folder)
	})
	h.eventually("ten downloads to be listed", func() bool { return h.w.downloads.shown >= 10 })
	size := fyne.NewSize(800, 560)
	for _, banner := range []bool{false, true} {
		h.ui(func() {
			if banner {
				h.w.banner.show(3, 1, h.folder)
			}
			h.w.win.Resize(size)
			if min := h.content().MinSize(); min.Width > size.Width || min.Height > size.Height {
				t.Errorf("banner %v: the window cannot be %v, its content needs %v", banner, size, min)
			}
			if got := h.w.win.Canvas().Size(); got != size {
				t.Errorf("banner %v: the window is %v, want %v", banner, got, size)
			}
			left, right, ok := headerEdges(h.w.recordings, ColStatus)
			if !ok || right > size.Width {
				t.Errorf("banner %v: Status spans %.0f–%.0f (drawn %v) in a window %.0f wide", banner, left, right, ok, size.Width)
			}
			// The account's name is drawn once, in the top bar, beside
			// its buttons and not over them.
			heading := h.w.recordings.heading
			if n := len(find(h.content(), func(l *widget.Label) bool { return l == heading })); n != 1 {
				t.Errorf("banner %v: the account's name is drawn %d times", banner, n)
			}
			drv := fyne.CurrentApp().Driver()
			check := button(t, h.content(), "Check this account")
			if right, left := drv.AbsolutePositionForObject(heading).X+heading.Size().Width, drv.AbsolutePositionForObject(check).X; right > left {
				t.Errorf("banner %v: the account's name ends at %.0f, over \"Check this account\" from %.0f", banner, right, left)
			}
			if n := fullRowsShown(h); n < minTableRows {
				t.Errorf("banner %v: %d recordings shown whole at %v, want at least %d (table %v, downloads %v)",
					banner, n, size, minTableRows, h.w.recordings.table.Size(), h.w.downloads.split.Trailing.Size())
			}
			// The downloads keep their heading and at least one row; the
			// others scroll.
			if got, least := h.w.downloads.split.Trailing.Size().Height, h.w.downloads.top.MinSize().Height+h.w.downloads.rowHeight(); got < least {
				t.Errorf("banner %v: the downloads are %.0f px high, want at least %.0f", banner, got, least)
			}
		})
	}
}

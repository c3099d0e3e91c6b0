package huawei

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"fyne.io/fyne/v2/lang"

	"cloudreel/fetch"
	"cloudreel/fetch/pace"
)

// pageLimit is the page size asked for before the paging is known, and
// for every page where offset is a page index: 100 is valid in both
// readings of the list's paging (limit at most 500 with an item offset,
// at most 100 with a page index: docs/platforms.md), so the first page
// and the probe fit every server.
const pageLimit = 100

// itemPageLimit is the page size asked for once the probe has shown that
// offset counts meetings: SearchRecordings documents limit "at most 500"
// in that reading (0048; the SDK's SearchRecordingsRequest), so a listing
// takes a fifth of the calls.
const itemPageLimit = 500

// pageSize is the page size to ask for in mode m once the probe has told
// it.
func (c *Connector) pageSize(m pagingMode) int {
	switch {
	case m != itemOffset:
		return pageLimit
	case c.itemLimit > 0:
		return c.itemLimit
	}
	return itemPageLimit
}

// filesPage is one page of GET /v1/mmc/management/record/files
// (SearchRecordings). Every number may arrive bare or quoted.
type filesPage struct {
	Count fetch.Number `json:"count"`
	Data  []meeting    `json:"data"`
}

// meeting is one entry of the list (RecordResultDO): a meeting that has
// recordings. docs/platforms.md lists each field's source.
type meeting struct {
	ConfUUID       fetch.IDString `json:"confUUID"`
	Subject        string         `json:"subject"`
	ScheduserName  string         `json:"scheduserName"` // who scheduled the meeting
	StartTime      meetingTime    `json:"startTime"`     // "yyyy-MM-dd HH:mm", UTC
	RcdTime        fetch.Number   `json:"rcdTime"`       // seconds
	RcdSize        fetch.Number   `json:"rcdSize"`       // whole MB, all files together (0 for a small one)
	IsDecodeFinish flexBool       `json:"isDecodeFinish"`
	DecodeEndTime  meetingTime    `json:"decodeEndTime"` // milliseconds: when transcoding ended or is expected to
}

// id is the meeting's confUUID.
func (m meeting) id() string { return string(m.ConfUUID) }

// transcoding reports whether Huawei says the meeting's files are still
// being transcoded; a server that does not say is taken at its word that
// the meeting is listed because it has recordings.
func (m meeting) transcoding() bool { return m.IsDecodeFinish.set && !m.IsDecodeFinish.value }

func (m meeting) recording() fetch.Recording {
	rec := fetch.Recording{
		ID:       m.id(),
		Title:    m.Subject,
		Start:    m.StartTime.Time(),
		Duration: time.Duration(float64(m.RcdTime) * float64(time.Second)),
		Owner:    m.ScheduserName,
	}
	if m.transcoding() {
		rec.Pending = true
		rec.ReadyAt = m.DecodeEndTime.Time()
	}
	return rec
}

// filesPage asks for one page of the meetings of [from, to]
// (milliseconds). queryAll=true makes an administrator see the whole
// enterprise's meetings, not only their own (SearchRecordings: without it
// an administrator sees only the meetings they scheduled); the people who
// use Cloudreel on Huawei archive the whole enterprise.
func (c *Connector) filesPage(ctx context.Context, from, to int64, offset, limit int) (filesPage, error) {
	q := url.Values{
		"startDate": {strconv.FormatInt(from, 10)},
		"endDate":   {strconv.FormatInt(to, 10)},
		"offset":    {strconv.Itoa(offset)},
		"limit":     {strconv.Itoa(limit)},
		"queryAll":  {"true"},
	}
	var p filesPage
	if err := c.get(ctx, "/v1/mmc/management/record/files", q, &p); err != nil {
		return filesPage{}, err
	}
	return p, nil
}

// pagingMode is how a server reads the list's offset.
type pagingMode int

const (
	itemOffset pagingMode = iota // offset counts meetings
	pageIndex0                   // offset counts pages, the first is 0
	pageIndex1                   // offset counts pages, the first is 1
)

// meetings calls visit with the meetings of [from, to] (milliseconds), a
// page at a time in the list's order, each meeting once, until visit says
// stop or fails.
//
// Huawei's documentation leaves open whether offset counts meetings or
// pages (platforms.md), so the reading is detected rather than assumed.
// The first page is asked for at offset 0. If it does not hold every
// meeting, a probe asks for offset 1 with the same limit, and its first
// meeting tells the readings apart:
//   - the first page's second meeting: offset counts meetings (the probe
//     is the first page shifted by one);
//   - the first page's first meeting: offset is a page index counted
//     from 1 (offset 0 was read as the first page too);
//   - a meeting not on the first page: offset is a page index from 0
//     (the probe is the second page).
//
// When the first page holds a single meeting the readings coincide (a
// page of one is one meeting), so counting meetings is right either way.
//
// The first page and the probe ask for 100 meetings, a limit both
// readings accept. Once offset is known to count meetings, the pages
// after ask for 500, the most SearchRecordings documents in that
// reading; the first of them alone, so that the pages planned after it
// go by the page size the server really gives. Where offset is a page
// index every page asks for 100 (the most documented in that reading,
// and changing it would move the pages).
//
// With the reading and the total count known, every page still to come
// has a known offset, so up to Config.Pages of them are asked for side by
// side (pace.Ahead, sharing the connector's pace) and handed to visit in
// the order a walk one page after another would give. Should a page come
// back shorter than the probe's (the list shrank, or the server pages
// unevenly) the pages planned after it are dropped, and, as when the list
// grew while it was read, the walk goes on one page at a time from where
// the last page taken ended, until the count is reached.
//
// Meetings are de-duplicated by confUUID throughout, so a probe that
// overlaps the first page, or a list that shifts while it is walked
// (a meeting ends and is added at the top), yields nothing twice; and a
// page that brings nothing new ends the walk with an error rather than
// looping.
func (c *Connector) meetings(ctx context.Context, from, to int64, visit func([]meeting) (bool, error)) error {
	seen := map[string]bool{}
	// take visits a page's new meetings; more is false when visit said
	// stop, fresh counts the meetings not seen before.
	take := func(ms []meeting) (fresh int, more bool, err error) {
		var out []meeting
		for _, m := range ms {
			if m.id() == "" || seen[m.id()] {
				continue
			}
			seen[m.id()] = true
			out = append(out, m)
		}
		if len(out) == 0 {
			return 0, true, nil
		}
		more, err = visit(out)
		return len(out), more && err == nil, err
	}
	first, err := c.filesPage(ctx, from, to, 0, pageLimit)
	if err != nil {
		return err
	}
	if _, more, err := take(first.Data); err != nil || !more {
		return err
	}
	if len(first.Data) == 0 || len(seen) >= int(first.Count) {
		return nil
	}
	probe, err := c.filesPage(ctx, from, to, 1, pageLimit)
	if err != nil {
		return err
	}
	mode := detectPaging(first.Data, probe.Data)
	if _, more, err := take(probe.Data); err != nil || !more {
		return err
	}
	if len(probe.Data) == 0 {
		return nil
	}
	// w is where the walk goes on from, in the detected reading.
	w := walk{mode: mode, offset: 2, count: int(probe.Count), size: len(first.Data)}
	if mode == itemOffset {
		w.offset, w.size = 1+len(probe.Data), len(probe.Data)
	}
	// step takes the page asked for at offset at, the planned ones and
	// those after alike, and moves the walk past it; goOn is false when
	// the list ended there or visit said stop. A page that brings nothing
	// new ends the walk with an error rather than looping.
	step := func(page filesPage, at int) (goOn bool, err error) {
		if len(page.Data) == 0 {
			return false, nil
		}
		fresh, more, err := take(page.Data)
		switch {
		case err != nil || !more:
			return false, err
		case fresh == 0:
			return false, fetch.NewError(fetch.KindInvalid, nil, lang.L("Huawei Cloud Meeting's list of meetings kept repeating itself after {{.Count}} meetings; Cloudreel stopped reading it.", map[string]any{"Count": len(seen)}))
		}
		w.count = int(page.Count)
		w.offset = w.after(at, len(page.Data))
		return true, nil
	}

	// With an item offset the pages from here on are asked for 500 at a
	// time. The first of them is asked for alone: its length is the page
	// size the server really gives, and planning with it keeps a server
	// that caps limit lower without saying so (the API Explorer says 100)
	// from making every planned page look short.
	if mode == itemOffset && len(seen) < w.count {
		at := w.offset
		page, err := c.filesPage(ctx, from, to, at, c.pageSize(mode))
		if err != nil {
			return err
		}
		if goOn, err := step(page, at); err != nil || !goOn {
			return err
		}
		w.size = len(page.Data)
	}

	// The pages planned from the count, side by side.
	type answer struct {
		page filesPage
		err  error
	}
	planned := w.planned()
	var failed error
	stopped := false
	pace.Ahead(ctx, c.cfg.Pages, planned, func(ctx context.Context, i int) answer {
		p, err := c.filesPage(ctx, from, to, w.at(i), c.pageSize(mode))
		return answer{p, err}
	}, func(i int, a answer) bool {
		if a.err != nil {
			failed = a.err
			return false
		}
		if goOn, err := step(a.page, w.at(i)); err != nil || !goOn {
			failed, stopped = err, true
			return false
		}
		// After a short page the pages planned next would leave a gap:
		// the walk goes on one page at a time from the end of this one.
		return len(a.page.Data) >= w.size
	})
	if failed != nil || stopped {
		return failed
	}

	// Whatever the count says is still missing, one page at a time.
	for len(seen) < w.count {
		page, err := c.filesPage(ctx, from, to, w.offset, c.pageSize(mode))
		if err != nil {
			return err
		}
		if goOn, err := step(page, w.offset); err != nil || !goOn {
			return err
		}
	}
	return nil
}

// walk is where a listing stands once the first page and the probe are
// read: the next offset to ask for in the detected reading, the total
// count the server last gave, and the page size it answers with.
type walk struct {
	mode   pagingMode
	offset int // the next offset to ask for
	count  int // meetings in the range, as the last page said
	size   int // meetings a full page holds
	// base is offset before the planned pages, so that at and next
	// agree however many pages were taken.
	base int
}

// planned is how many pages after the probe the count calls for; it
// fixes base.
func (w *walk) planned() int {
	w.base = w.offset
	if w.size <= 0 {
		return 0
	}
	switch w.mode {
	case itemOffset:
		left := w.count - w.offset
		return max((left+w.size-1)/w.size, 0)
	case pageIndex0:
		// Pages 0 and 1 are read; the pages run to ceil(count/size)-1.
		return max((w.count+w.size-1)/w.size-w.offset, 0)
	default:
		// Page 1 is read (twice); the pages run to ceil(count/size).
		return max((w.count+w.size-1)/w.size-w.offset+1, 0)
	}
}

// at is the offset of the i-th planned page.
func (w *walk) at(i int) int {
	if w.mode == itemOffset {
		return w.base + i*w.size
	}
	return w.base + i
}

// after is the offset of the page that follows the one asked for at
// offset at, which held n meetings.
func (w *walk) after(at, n int) int {
	if w.mode == itemOffset {
		return at + n
	}
	return at + 1
}

// detectPaging tells the readings of offset apart from the first page
// (offset 0) and the probe (offset 1); see meetings.
func detectPaging(first, probe []meeting) pagingMode {
	switch {
	case len(probe) == 0 || len(first) < 2:
		return itemOffset
	case probe[0].ConfUUID == first[1].ConfUUID:
		return itemOffset
	case probe[0].ConfUUID == first[0].ConfUUID:
		return pageIndex1
	}
	return pageIndex0
}

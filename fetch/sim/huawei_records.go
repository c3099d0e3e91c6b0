package sim

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"cloudreel/fetch"
)

// huaweiLinkLife is how long a download token lives (seed 004: one hour,
// and it dies after one use).
const huaweiLinkLife = time.Hour

// The largest limit of the meeting list in each reading of its paging:
// 500 with an item offset (SearchRecordings, 0048: "最大500条", and the
// SDK's SearchRecordingsRequest), 100 with a page index (the API
// Explorer, which reads offset so). A larger limit is answered 400.
const (
	huaweiMaxLimitItems = 500
	huaweiMaxLimitPages = 100
)

// huaweiMaxURLs is the most files one downloadurls answer holds (limit at
// most 500, default 20).
const huaweiMaxURLs = 500

// huaweiStartLayout is how the list writes startTime: "2019-12-19 02:07",
// in UTC (the SearchRecordings example; the SDK's RecordResultDO types it
// as a string).
const huaweiStartLayout = "2006-01-02 15:04"

// huaweiQueryInts reads optional non-negative integer query parameters,
// answering 400 and returning false when one is malformed.
func huaweiQueryInts(w http.ResponseWriter, q url.Values, dst map[string]*int) bool {
	for key, d := range dst {
		if v := q.Get(key); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				huaweiError(w, http.StatusBadRequest, "MMC.111070001", key+" must be a number that is not negative.")
				return false
			}
			*d = n
		}
	}
	return true
}

// huaweiFiles lists the meetings with recordings that started in
// [startDate, endDate] (milliseconds, both mandatory), newest first. An
// administrator sees the whole enterprise only with queryAll=true, else
// (like everybody else) only the meetings they scheduled. The paging
// follows whichever reading the HuaweiPageIndex fault selects.
func (s *Server) huaweiFiles(w http.ResponseWriter, r *http.Request, sess huaweiSession) {
	s.huaweiWarmSums() // ShowRecordInfo follows: see huawei_info.go
	q := r.URL.Query()
	var from, to int64
	for key, dst := range map[string]*int64{"startDate": &from, "endDate": &to} {
		n, err := strconv.ParseInt(q.Get(key), 10, 64)
		if err != nil {
			huaweiError(w, http.StatusBadRequest, "MMC.111070001", key+" is mandatory and must be a time in milliseconds.")
			return
		}
		*dst = n
	}
	offset, limit := 0, 20
	if !huaweiQueryInts(w, q, map[string]*int{"offset": &offset, "limit": &limit}) {
		return
	}
	pageIndex := s.faults.Get().HuaweiPageIndex
	maxLimit := huaweiMaxLimitItems
	if pageIndex {
		maxLimit = huaweiMaxLimitPages
	}
	if limit < 1 || limit > maxLimit {
		huaweiError(w, http.StatusBadRequest, "MMC.111070001", fmt.Sprintf("limit must be between 1 and %d.", maxLimit))
		return
	}
	all := sess.admin && q.Get("queryAll") == "true"
	var match []*Recording
	for _, rec := range s.Recordings(fetch.Huawei) {
		if ms := rec.Start.UnixMilli(); ms >= from && ms <= to && (all || rec.Author == sess.name) {
			match = append(match, rec)
		}
	}
	first := offset
	if pageIndex {
		first = offset * limit
	}
	first = min(first, len(match))
	data := make([]map[string]any, 0, limit)
	for _, rec := range match[first:min(first+limit, len(match))] {
		data = append(data, s.huaweiMeetingJSON(r, rec))
	}
	writeJSON(w, http.StatusOK, map[string]any{"offset": offset, "limit": limit, "count": len(match), "data": data})
}

// huaweiTranscoding reports whether a meeting is one of the newest
// HuaweiTranscoding ones, still being transcoded.
func (s *Server) huaweiTranscoding(rec *Recording) bool {
	n := s.faults.Get().HuaweiTranscoding
	recs := s.Recordings(fetch.Huawei)
	return slices.Index(recs[:min(n, len(recs))], rec) >= 0
}

// huaweiMeetingJSON is one entry of the list in the documented shape
// (RecordResultDO).
func (s *Server) huaweiMeetingJSON(r *http.Request, rec *Recording) map[string]any {
	var bytes int64
	for _, f := range rec.Files {
		bytes += f.Size
	}
	end := rec.Start.Add(rec.Duration)
	decoded := !s.huaweiTranscoding(rec)
	// A finished meeting's decodeEndTime is when transcoding ended, a few
	// minutes after the meeting (the example: 3 minutes after a 71 s
	// recording); a meeting still being transcoded says when it expects to
	// be done.
	decodeEnd := end.Add(3 * time.Minute)
	if !decoded {
		decodeEnd = time.Now().Add(25 * time.Minute)
	}
	play := requestOrigin(r, s.URL()) + prefix(fetch.Huawei) + "/rse/html/play/Mediaxplay.html?confID=" + rec.ID
	return map[string]any{
		"confUUID":       rec.ID,
		"confID":         huaweiConfID(rec.ID),
		"url":            []string{play},
		"rcdTime":        int(rec.Duration / time.Second),
		"rcdSize":        bytes >> 20, // whole MB, rounded down: a small meeting is 0 (the example's is)
		"subject":        rec.Title,
		"scheduserName":  rec.Author,
		"startTime":      rec.Start.UTC().Format(huaweiStartLayout),
		"isDecodeFinish": decoded,
		"decodeEndTime":  decodeEnd.UnixMilli(),
		"available":      decoded,
		"recordAuthType": 2,
	}
}

// huaweiConfID is the 9-digit meeting number people dial, derived from
// the confUUID so that it is stable.
func huaweiConfID(confUUID string) string {
	n, _ := strconv.ParseUint(confUUID[:8], 16, 64)
	return strconv.FormatUint(100000000+n%900000000, 10)
}

// huaweiFileDir is the folder of a file type in download URLs (seed 004).
var huaweiFileDir = map[string]string{"Hd": "videoHD", "Sd": "videoSD", "Aux": "videoAux"}

// huaweiFileName is the name of a file in download URLs: 0_<part>, with
// parts counted from 0 (seed 004: 0_0.mp4, 0_1.mp4).
func huaweiFileName(f *File) string {
	return fmt.Sprintf("0_%d.%s", max(f.Part-1, 0), f.Ext)
}

// huaweiDownloadURLs hands out a fresh one-time token for every file of a
// meeting, in seed 004's shape and order (per part: Aux, Hd, Sd), offset
// files on, at most limit of them (default 20, at most 500). It is for
// enterprise administrators only. A meeting still being transcoded has
// no files yet (what Huawei answers then is not documented).
func (s *Server) huaweiDownloadURLs(w http.ResponseWriter, r *http.Request, sess huaweiSession) {
	st := s.huawei()
	st.mu.Lock()
	notAdmin := st.notAdmin
	st.mu.Unlock()
	if notAdmin || !sess.admin {
		huaweiError(w, http.StatusForbidden, "MMC.111071003", "Insufficient permissions.")
		return
	}
	q := r.URL.Query()
	conf := q.Get("confUUID")
	if conf == "" {
		huaweiError(w, http.StatusBadRequest, "MMC.111070001", "confUUID is mandatory.")
		return
	}
	offset, limit := 0, 20
	if !huaweiQueryInts(w, q, map[string]*int{"offset": &offset, "limit": &limit}) {
		return
	}
	if limit < 1 || limit > huaweiMaxURLs {
		huaweiError(w, http.StatusBadRequest, "MMC.111070001", fmt.Sprintf("limit must be between 1 and %d.", huaweiMaxURLs))
		return
	}
	rec, ok := st.meetings[conf]
	if !ok || s.FateOf(fetch.Huawei, conf) != Kept { // deleted: huawei_delete.go
		huaweiError(w, http.StatusNotFound, "MMC.111070005", "The meeting recording does not exist.")
		return
	}
	var files []*File
	if !s.huaweiTranscoding(rec) {
		order := map[string]int{"Aux": 0, "Hd": 1, "Sd": 2}
		files = append(files, rec.Files...)
		slices.SortStableFunc(files, func(a, b *File) int {
			if a.Part != b.Part {
				return cmp.Compare(a.Part, b.Part)
			}
			return cmp.Compare(order[a.Kind], order[b.Kind])
		})
	}
	files = files[min(offset, len(files)):min(offset+limit, len(files))]
	base := requestOrigin(r, s.URL()) + prefix(fetch.Huawei) + "/download/video/resource/" + conf + "/"
	urls := make([]map[string]any, 0, len(files))
	for _, f := range files {
		urls = append(urls, map[string]any{
			"token":    s.issueLink(f.ID, huaweiLinkLife, true),
			"fileType": f.Kind,
			"url":      base + huaweiFileDir[f.Kind] + "/" + huaweiFileName(f),
		})
	}
	writeJSON(w, http.StatusOK, map[string]any{"recordUrls": []map[string]any{{"confUuid": conf, "urls": urls}}})
}

// huaweiMedia serves a recording file to a request whose Authorization
// header is the file's token, bare. A GET spends the token; a HEAD spends
// it only when the HeadSpendsToken fault is on.
func (s *Server) huaweiMedia(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "Method Not Allowed", http.StatusMethodNotAllowed)
		return
	}
	rec, ok := s.huawei().meetings[r.PathValue("conf")]
	var f *File
	if ok {
		for _, c := range rec.Files {
			if huaweiFileDir[c.Kind] == r.PathValue("dir") && huaweiFileName(c) == r.PathValue("name") {
				f = c
			}
		}
	}
	if f == nil {
		http.NotFound(w, r)
		return
	}
	spend := r.Method == http.MethodGet || s.faults.Get().HeadSpendsToken
	if err := s.useLink(r.Header.Get("Authorization"), f.ID, spend); err != nil {
		code := http.StatusForbidden
		if errors.Is(err, errLinkExpired) || errors.Is(err, errLinkSpent) {
			code = http.StatusGone
		}
		huaweiError(w, code, "MMC.111072001", "The download token is invalid, expired or already used.")
		return
	}
	s.serveFile(w, r, f, r.PathValue("name"))
}

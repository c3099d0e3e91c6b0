package huawei

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2/lang"

	"cloudreel/fetch"
)

// downloadURLsAnswer is the answer of GET
// /v1/mmc/management/record/downloadurls (seed 004).
type downloadURLsAnswer struct {
	RecordURLs []struct {
		ConfUUID string    `json:"confUuid"`
		URLs     []urlInfo `json:"urls"`
	} `json:"recordUrls"`
}

// urlInfo is one file of a meeting: its one-time token, its type ("Hd",
// "Sd", or "Aux" for the shared screen) and its download URL.
type urlInfo struct {
	Token    string `json:"token"`
	FileType string `json:"fileType"`
	URL      string `json:"url"`
}

// urlsLimit is the page size asked of downloadurls: its largest (the
// default is 20), so that one answer holds nearly every meeting's files.
const urlsLimit = 500

// urlsDefaultLimit is downloadurls' documented default page size. A page
// at least this long may have a next one even when it is shorter than
// urlsLimit (a server that caps or ignores limit), so the walk goes on.
const urlsDefaultLimit = 20

// downloadURLs asks for every file of a meeting, each with a fresh
// one-time token, a page of files at a time (offset/limit) until a page
// is short or brings nothing new: a long meeting split into many parts
// (three kinds × N parts) has more files than one default page. It is
// the admin-only call: a 403 gets the sentence that tells a person why.
func (c *Connector) downloadURLs(ctx context.Context, confUUID string) ([]urlInfo, error) {
	var urls []urlInfo
	seen := map[string]bool{}
	for offset := 0; ; {
		page, err := c.downloadURLsPage(ctx, confUUID, offset)
		if err != nil {
			return nil, err
		}
		fresh := 0
		for _, u := range page {
			// The tokens are new in every answer; the URL names the file.
			if key := u.FileType + " " + u.URL; !seen[key] {
				seen[key] = true
				urls = append(urls, u)
				fresh++
			}
		}
		if fresh == 0 || len(page) < urlsDefaultLimit {
			return urls, nil
		}
		offset += len(page)
	}
}

// downloadURLsPage is one answer of downloadurls from offset on.
func (c *Connector) downloadURLsPage(ctx context.Context, confUUID string, offset int) ([]urlInfo, error) {
	var ans downloadURLsAnswer
	q := url.Values{"confUUID": {confUUID}, "offset": {strconv.Itoa(offset)}, "limit": {strconv.Itoa(urlsLimit)}}
	err := c.get(ctx, "/v1/mmc/management/record/downloadurls", q, &ans)
	switch fetch.KindOf(err) {
	case fetch.KindUnknown:
		if err != nil {
			return nil, err
		}
	case fetch.KindPermission:
		return nil, &fetch.Error{Kind: fetch.KindPermission, Message: lang.L(PermissionMessage), Err: err}
	case fetch.KindNotFound:
		return nil, &fetch.Error{Kind: fetch.KindNotFound, Message: lang.L("This meeting's recording is no longer on Huawei Cloud Meeting."), Err: err}
	default:
		return nil, fmt.Errorf("asking for the files of meeting %s: %w", confUUID, err)
	}
	var urls []urlInfo
	for _, r := range ans.RecordURLs {
		// The answer names its meeting; one for another meeting (or none
		// named, from a terse server) is taken only when it is the only one.
		if strings.EqualFold(r.ConfUUID, confUUID) || (r.ConfUUID == "" && len(ans.RecordURLs) == 1) {
			urls = append(urls, r.URLs...)
		}
	}
	return urls, nil
}

// placed is a file of a meeting with its position: its type and, for a
// split meeting, which part of that type it is (from 0).
type placed struct {
	urlInfo
	fileType string
	part     int
	parts    int // how many files of this type the meeting has
}

// arrange gives every file its type and part. A part is a file's rank
// among the files of its type, ordered by the number the file is named
// after (seed 004: …/videoHD/0_0.mp4, …/videoHD/0_1.mp4), the server's
// order breaking ties. It is computed the same way at listing and at
// every Resolve, so a file keeps its place even though each downloadurls
// answer carries new tokens and may list the files in another order.
func arrange(urls []urlInfo) []placed {
	byType := map[string][]placed{}
	var types []string
	for _, u := range urls {
		t := u.FileType
		if t == "" {
			t = "file"
		}
		if _, ok := byType[t]; !ok {
			types = append(types, t)
		}
		byType[t] = append(byType[t], placed{urlInfo: u, fileType: t})
	}
	var out []placed
	for _, t := range types {
		ps := byType[t]
		slices.SortStableFunc(ps, func(a, b placed) int { return cmp.Compare(partNumber(a.URL), partNumber(b.URL)) })
		for i := range ps {
			ps[i].part, ps[i].parts = i, len(ps)
		}
		out = append(out, ps...)
	}
	return out
}

// partNumber is the N of a file named <x>_<N>.<ext>, or a large number
// for a name that does not follow the pattern (kept last, in order).
func partNumber(rawURL string) int {
	u, err := url.Parse(rawURL)
	if err != nil {
		return 1 << 30
	}
	name := strings.TrimSuffix(path.Base(u.Path), path.Ext(u.Path))
	i := strings.LastIndexByte(name, '_')
	if n, err := strconv.Atoi(name[i+1:]); err == nil && i >= 0 && n >= 0 {
		return n
	}
	return 1 << 30
}

// filesOf turns a meeting's downloadurls answer into files. The size is
// left unknown: rcdSize is the whole meeting's, in rounded MB, and cannot
// honestly be shared out among its files.
func filesOf(confUUID string, urls []urlInfo) []fetch.File {
	var files []fetch.File
	for _, p := range arrange(urls) {
		r := ref{confUUID: confUUID, fileType: p.fileType, part: p.part}
		kind := p.fileType
		if p.parts > 1 {
			kind = fmt.Sprintf("%s part %d", p.fileType, p.part+1)
		}
		files = append(files, fetch.File{
			ID:          r.String(),
			RecordingID: confUUID,
			Kind:        kind,
			Ext:         extOf(p.URL),
			Ref:         r.String(),
		})
	}
	return files
}

// extOf is the extension of a download URL's file name, "mp4" when it has
// none that looks like one.
func extOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "mp4"
	}
	ext := strings.TrimPrefix(path.Ext(u.Path), ".")
	if ext == "" || len(ext) > 5 || strings.ContainsFunc(ext, func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9')
	}) {
		return "mp4"
	}
	return strings.ToLower(ext)
}

// ref is what a File's Ref holds: the meeting, the file type and the part.
type ref struct {
	confUUID string
	fileType string
	part     int
}

// String is the Ref form: confUUID/type/part.
func (r ref) String() string { return r.confUUID + "/" + r.fileType + "/" + strconv.Itoa(r.part) }

func parseRef(s string) (ref, error) {
	parts := strings.Split(s, "/")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" {
		return ref{}, errors.New("malformed Huawei file reference " + strconv.Quote(s))
	}
	n, err := strconv.Atoi(parts[2])
	if err != nil {
		return ref{}, fmt.Errorf("malformed part in Huawei file reference %q: %w", s, err)
	}
	if n < 0 {
		return ref{}, fmt.Errorf("negative part in Huawei file reference %q", s)
	}
	return ref{confUUID: parts[0], fileType: parts[1], part: n}, nil
}

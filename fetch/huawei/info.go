package huawei

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"cloudreel/fetch"
)

// recordInfoAnswer is the answer of ShowRecordInfo, POST
// /v1/mmc/rlm/record/info (SDK ShowRecordInfoResponse): the meeting's
// recording segments, each with its files. Only what Cloudreel reads is
// decoded.
type recordInfoAnswer struct {
	SegmentOffset int64           `json:"segmentOffset"`
	SegmentCount  int64           `json:"segmentCount"`
	SegmentList   []recordSegment `json:"segmentList"`
}

// recordSegment is one SegmentDo: a started-and-stopped stretch of the
// recording (manualOrder), cut into a file every three hours
// (segmentOrder), with its files.
type recordSegment struct {
	ManualOrder  int                 `json:"manualOrder"`
	SegmentOrder int                 `json:"segmentOrder"`
	FileList     []recordSegmentFile `json:"fileList"`
}

// recordSegmentFile is one SegmentFileDo. fileSize is bytes (the SDK
// types it int32; decoded as int64 so that a file over 2 GiB still
// reads), sha256 64 hex characters.
type recordSegmentFile struct {
	RecordType  string `json:"recordType"`
	FileSize    int64  `json:"fileSize"`
	SHA256      string `json:"sha256"`
	DownloadURL string `json:"downloadUrl"`
}

// checksum is what ShowRecordInfo says of one file.
type checksum struct {
	size   int64
	sha256 string
}

// infoLimit is the segmentLimit asked for; the walk follows segmentCount
// whatever page size the server keeps to.
const infoLimit = 100

// recordInfo asks ShowRecordInfo for a meeting's files and returns their
// sizes and SHA-256s keyed by the path of their download URL (fileKey),
// which is how a file of downloadurls is found in it. It is best effort:
// a meeting whose info cannot be had (an old server, a refusal) gets no
// checksums, and its files are then proven by their length instead; only
// a cancelled context is an error.
func (c *Connector) recordInfo(ctx context.Context, confUUID string) (map[string]checksum, error) {
	out := map[string]checksum{}
	for offset := int64(0); ; {
		var ans recordInfoAnswer
		body := map[string]any{"confUUID": confUUID, "segmentOffset": offset, "segmentLimit": infoLimit}
		if err := c.post(ctx, "/v1/mmc/rlm/record/info", body, &ans); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return out, nil
		}
		for _, s := range ans.SegmentList {
			for _, f := range s.FileList {
				if k := fileKey(f.DownloadURL); k != "" && (f.SHA256 != "" || f.FileSize > 0) {
					out[k] = checksum{size: max(f.FileSize, 0), sha256: strings.ToLower(strings.TrimSpace(f.SHA256))}
				}
			}
		}
		offset += int64(len(ans.SegmentList))
		if len(ans.SegmentList) == 0 || offset >= ans.SegmentCount {
			return out, nil
		}
	}
}

// fileKey is the path of a download URL: the tokens and query of the two
// calls differ, the file's path (…/videoHD/0_0.mp4) names the file.
func fileKey(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return u.Path
}

// withChecksums gives a meeting's files the size and SHA-256
// ShowRecordInfo lists for them, matched by download URL, and leaves the
// others as they are.
func withChecksums(confUUID string, files []fetch.File, urls []urlInfo, sums map[string]checksum) []fetch.File {
	byID := map[string]string{}
	for _, p := range arrange(urls) {
		byID[ref{confUUID: confUUID, fileType: p.fileType, part: p.part}.String()] = p.URL
	}
	for i, f := range files {
		if s, ok := sums[fileKey(byID[f.ID])]; ok {
			files[i].Size, files[i].SHA256 = s.size, s.sha256
		}
	}
	return files
}

// post calls an API path with a JSON body and the access token and
// decodes a successful JSON answer into out. A 401 signs in again once.
func (c *Connector) post(ctx context.Context, path string, body, out any) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return err
	}
	u := c.base + path
	resp, ans, err := c.api.DoSigned(ctx, fetch.SignedCall{
		Platform: "Huawei Cloud Meeting",
		Token:    c.accessToken,
		Request: func(ctx context.Context, tok string) (*http.Request, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(raw))
			if err != nil {
				return nil, err
			}
			req.Header.Set("X-Access-Token", tok)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json")
			return req, nil
		},
	})
	if err != nil {
		return err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fetch.StatusError(resp, ans)
	}
	return fetch.DecodeJSON("Huawei Cloud Meeting", ans, out)
}

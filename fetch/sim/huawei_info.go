package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"cloudreel/fetch"
)

// huaweiRecordTypes is the recordType ShowRecordInfo gives each file type
// of downloadurls. The SDK names AUDIO, SPEAKER_VIDEO, SHARE_VIDEO and
// SPEAKER_SHARE_VIDEO but not how they pair with Hd, Sd and Aux: this
// pairing is the simulator's reading, and nothing depends on it.
var huaweiRecordTypes = map[string]string{"Hd": "SPEAKER_VIDEO", "Sd": "SPEAKER_VIDEO", "Aux": "SHARE_VIDEO"}

// huaweiRecordInfo plays ShowRecordInfo, POST /v1/mmc/rlm/record/info
// with a JSON body {confUUID, segmentOffset, segmentLimit}: the meeting's
// recording segments (one per part, as a meeting is cut every three
// hours), each with its files' fileSize in bytes, sha256 and downloadUrl
// (the same path downloadurls gives, without a token). The
// HuaweiWrongSHA256 fault gives every file a wrong sha256 of the right
// size, as a damaged copy on the platform would look.
func (s *Server) huaweiRecordInfo(w http.ResponseWriter, r *http.Request, sess huaweiSession) {
	var req struct {
		ConfUUID      string `json:"confUUID"`
		SegmentOffset *int   `json:"segmentOffset"`
		SegmentLimit  *int   `json:"segmentLimit"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&req); err != nil || req.ConfUUID == "" {
		huaweiError(w, http.StatusBadRequest, "MMC.111070001", "The body must be JSON with a confUUID.")
		return
	}
	offset, limit := 0, 20
	if req.SegmentOffset != nil {
		offset = *req.SegmentOffset
	}
	if req.SegmentLimit != nil {
		limit = *req.SegmentLimit
	}
	if offset < 0 || limit < 1 || limit > 100 {
		huaweiError(w, http.StatusBadRequest, "MMC.111070001", "segmentOffset must not be negative and segmentLimit must be between 1 and 100.")
		return
	}
	st := s.huawei()
	rec, ok := st.meetings[req.ConfUUID]
	if !ok {
		huaweiError(w, http.StatusNotFound, "MMC.111070005", "The meeting recording does not exist.")
		return
	}
	// One segment per part (an unsplit meeting is part 0, one segment).
	var parts []int
	if !s.huaweiTranscoding(rec) {
		for _, f := range rec.Files {
			if !slices.Contains(parts, f.Part) {
				parts = append(parts, f.Part)
			}
		}
	}
	slices.Sort(parts)
	wrong := s.faults.Get().HuaweiWrongSHA256
	base := requestOrigin(r, s.URL()) + prefix(fetch.Huawei) + "/download/video/resource/" + rec.ID + "/"
	segments := []map[string]any{}
	for i, part := range parts[min(offset, len(parts)):min(offset+limit, len(parts))] {
		var files []map[string]any
		var size int64
		for _, f := range rec.Files {
			if f.Part != part {
				continue
			}
			sum := s.huaweiSHA256(f)
			if wrong {
				// Same length, other bytes: what a file whose copy on the
				// platform differs from the one served would show.
				b := sha256.Sum256([]byte("not " + sum))
				sum = hex.EncodeToString(b[:])
			}
			begin := rec.Start.Add(time.Duration(offset+i) * 3 * time.Hour)
			files = append(files, map[string]any{
				"recordType":  huaweiRecordTypes[f.Kind],
				"beginTime":   begin.Unix(),
				"endTime":     begin.Add(min(rec.Duration, 3*time.Hour)).Unix(),
				"duration":    int(min(rec.Duration, 3*time.Hour) / time.Second),
				"fileSize":    f.Size,
				"sha256":      sum,
				"playUrl":     requestOrigin(r, s.URL()) + prefix(fetch.Huawei) + "/rse/html/play/Mediaxplay.html?confID=" + rec.ID,
				"downloadUrl": base + huaweiFileDir[f.Kind] + "/" + huaweiFileName(f),
			})
			size += f.Size
		}
		segments = append(segments, map[string]any{
			"manualOrder":  1,
			"segmentOrder": part + 1,
			"segmentSize":  strconv.FormatInt(size, 10),
			"fileList":     files,
		})
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"code":          0,
		"message":       "success",
		"subject":       rec.Title,
		"beginTime":     rec.Start.UTC().Format(huaweiStartLayout),
		"segmentOffset": offset,
		"segmentLimit":  limit,
		"segmentCount":  len(parts),
		"segmentList":   segments,
	})
}

// huaweiSums holds the SHA-256 of each Huawei file's content, computed
// once per file: hashing the simulated files (the demo's come to some
// gigabytes) takes seconds, so the first meeting list starts hashing them
// all in the background, newest first as they are listed, and
// ShowRecordInfo waits only for the files it names.
type huaweiSums struct {
	mu   sync.Mutex
	sums map[string]*huaweiSum // file id → its digest, once computed
	warm sync.Once
}

// huaweiSum is one file's digest, computed by whoever asks first.
type huaweiSum struct {
	once sync.Once
	hex  string
}

func (s *Server) huaweiSumsState() *huaweiSums {
	return platformState(s, "huawei-sums", func() *huaweiSums { return &huaweiSums{sums: map[string]*huaweiSum{}} })
}

// huaweiSHA256 is the hex SHA-256 of a file's content.
func (s *Server) huaweiSHA256(f *File) string {
	c := s.huaweiSumsState()
	c.mu.Lock()
	e, ok := c.sums[f.ID]
	if !ok {
		e = &huaweiSum{}
		c.sums[f.ID] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.hex = ContentSHA256(f) })
	return e.hex
}

// huaweiWarmSums starts hashing every Huawei file in the background, once.
func (s *Server) huaweiWarmSums() {
	s.huaweiSumsState().warm.Do(func() {
		recs := s.Recordings(fetch.Huawei)
		go func() {
			for _, r := range recs {
				for _, f := range r.Files {
					s.huaweiSHA256(f)
				}
			}
		}()
	})
}

package sim

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"cloudreel/fetch"
)

// Faults is the switchboard of what can go wrong. Counters say how many of
// the next requests misbehave; each misbehaving request uses one up.
// Flags stay on until switched off. Methods are safe to call while the
// server runs.
type Faults struct {
	mu sync.Mutex
	f  FaultSet
}

// FaultSet is the set of faults, as plain fields for Set and Get.
type FaultSet struct {
	// API calls (every platform's JSON endpoints, not media).
	RateLimited int // next N calls answer 429, each in its platform's documented form (rateLimited)
	// RetryAfter is how long those 429s ask to wait, in whole seconds
	// (default 1s; under a second, e.g. 1ms, sends "0"): Retry-After for
	// Zoom and Valt, X-RateLimit-Reset (a Unix time) for IBM. Huawei
	// documents no Retry-After and sends one only when this is set.
	RetryAfter   time.Duration
	ServerErrors int // next N calls answer 503
	// APILatency makes every API call wait this long before it is
	// answered, as a distant server does (the listing benchmark's 50 ms).
	APILatency time.Duration

	// Media (the file bytes).
	CutMidBody   int  // next N media responses are cut off halfway through the body
	IgnoreRange  bool // media answers every request with the whole file and 200
	ErrorBody200 int  // next N media responses are a small JSON error body with status 200
	MediaErrors  int  // next N media responses answer 503
	// HeadSpendsToken makes a HEAD on a one-time link (Huawei) spend it:
	// platforms.md leaves it open whether it does, so both can be played.
	HeadSpendsToken bool
	// LinkTTL, when set, overrides how long every download link lives.
	LinkTTL time.Duration

	// Platform readings that platforms.md marks uncertain.
	IBMPendingPolls  int  // an IBM file stays "pending" for this many polls after it is requested
	ValtURLUnderData bool // Valt's download answer is {"data":{"url"}} instead of {"url"}
	ValtVideoObjects bool // Valt's record details list "videos" as objects {"id","name"} instead of bare ids
	// ValtCameras makes Valt's records (list and details) name their
	// videos as the VALT 5 pages show: "cameras", an object {cameraId:
	// name}, with no "videos" (the VALT 6 field).
	ValtCameras bool
	// ValtRecordsWithoutVideo makes the details of the newest N Valt
	// records name no video at all (an empty "videos" or "cameras").
	ValtRecordsWithoutVideo int
	HuaweiPageIndex         bool // Huawei's offset is a page index and limit is at most 100 (else offset is an item offset and limit at most 500)
	ZoomMaxPageSize         int  // the largest page_size Zoom honours (default 300)
	// HuaweiRenewSameToken makes PUT /v1/usg/acs/token extend the token it
	// is sent instead of handing out a new one (the old one then dies).
	HuaweiRenewSameToken bool
	// HuaweiTranscoding is how many of the newest Huawei meetings are still
	// being transcoded (isDecodeFinish false, no files yet).
	HuaweiTranscoding int
	// HuaweiWrongSHA256 makes ShowRecordInfo list a wrong sha256 (with
	// the right fileSize) for every file: a download must then fail its
	// proof and never be Verified.
	HuaweiWrongSHA256 bool

	// ValtUploadReading is how Valt's "Upload Video to Record" takes the
	// file, which its wiki page leaves open: "multipart-post" (the
	// default: a form with the field "file"), "multipart-put", "raw-post"
	// or "raw-put" (the bare bytes, Content-Type video/*). Other readings
	// are refused with 405 (method) or 415/400 (encoding).
	ValtUploadReading string
	// ValtUploadCuts cuts the connection of the next N uploads halfway
	// through the file (valt_upload.go).
	ValtUploadCuts int
	// ValtCreateUploadErrors makes the next N create-upload calls answer
	// 500 with the wiki's error body.
	ValtCreateUploadErrors int
	// ValtUploadUnderData puts the create-upload answer under "data" (the
	// wiki's table) instead of bare (its example).
	ValtUploadUnderData bool
}

// Set replaces the fault set.
func (f *Faults) Set(fs FaultSet) {
	f.mu.Lock()
	f.f = fs
	f.mu.Unlock()
}

// Update changes the fault set in place.
func (f *Faults) Update(change func(*FaultSet)) {
	f.mu.Lock()
	change(&f.f)
	f.mu.Unlock()
}

// Get returns a copy of the fault set.
func (f *Faults) Get() FaultSet {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.f
}

// take uses up one of a counter, reporting whether it was positive.
func (f *Faults) take(counter func(*FaultSet) *int) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := counter(&f.f)
	if *c > 0 {
		*c--
		return true
	}
	return false
}

// apiFault answers an API call of platform p with a 429 or a 503 when
// one is due.
func (f *Faults) apiFault(w http.ResponseWriter, p fetch.Platform) bool {
	if f.take(func(s *FaultSet) *int { return &s.RateLimited }) {
		ra := f.Get().RetryAfter
		asked := ra != 0
		if !asked {
			ra = time.Second
		}
		rateLimited(w, p, ra, asked)
		return true
	}
	if f.take(func(s *FaultSet) *int { return &s.ServerErrors }) {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"error": "service_unavailable", "message": "There is a temporary error on the server."})
		return true
	}
	return false
}

// rateLimited writes a 429 as each platform documents it (docs/platforms.md,
// "Rate limits"), asking the client to wait ra (whole seconds). asked is
// whether FaultSet.RetryAfter was set: a platform that documents no
// Retry-After (Huawei) sends one only then.
func rateLimited(w http.ResponseWriter, p fetch.Platform, ra time.Duration, asked bool) {
	secs := int(ra / time.Second)
	h := w.Header()
	switch p {
	case fetch.ZoomSDK:
		// Zoom's rate limits page: the list call is "Medium", counted a
		// second (QPS); the answer names the category and type, and the
		// per-second message is the one of Zoom's error definitions.
		h.Set("X-RateLimit-Category", "Medium")
		h.Set("X-RateLimit-Type", "QPS")
		h.Set("X-RateLimit-Limit", "20")
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("Retry-After", strconv.Itoa(secs))
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"code": 429, "message": "You have reached the maximum per-second rate limit for this API. Try again later."})
	case fetch.IBMVideo:
		// IBM's "Rate Limits" page: X-RateLimit-Limit, -Remaining and
		// -Reset (a Unix time), no Retry-After. The error body follows
		// IBM's {"error","error_description"}.
		h.Set("X-RateLimit-Limit", "100")
		h.Set("X-RateLimit-Remaining", "0")
		// Whole seconds, rounded up so that the wait is never shorter
		// than asked; under a second: now, no wait.
		reset := time.Now().Unix()
		if secs > 0 {
			reset = time.Now().Add(ra).Unix() + 1
		}
		h.Set("X-RateLimit-Reset", strconv.FormatInt(reset, 10))
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"error": "too_many_requests", "error_description": "Rate limit exceeded."})
	case fetch.Huawei:
		// Huawei Cloud's API gateway (every Meeting answer says "Server:
		// api-gateway" and carries an X-Request-Id): 429 with error
		// APIG.0308 and the policy that was exceeded, here per second, as
		// Huawei's "How Do I Handle the Error APIG.0308?" pages show it
		// (the figure is the gateway's; Meeting documents none). No
		// Retry-After is documented: the pages advise retrying after 2 to
		// 5 seconds. The simulator sends one only when a test asks for a
		// wait (FaultSet.RetryAfter), to play a gateway that does.
		h.Set("Server", "api-gateway")
		h.Set("X-Request-Id", fmt.Sprintf("%032x", time.Now().UnixNano()))
		if asked {
			h.Set("Retry-After", strconv.Itoa(secs))
		}
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"error_code": "APIG.0308",
			"error_msg": "The throttling threshold has been reached: policy user over ratelimit,limit:10,time:1 second"})
	default:
		h.Set("Retry-After", strconv.Itoa(secs))
		h.Set("X-RateLimit-Remaining", "0")
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"code": 429, "message": "Too many requests. Please retry later."})
	}
}

package queue

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"strconv"
	"syscall"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"cloudreel/fetch"
)

func TestCheckResponse(t *testing.T) {
	resp := func(code int, hdr ...string) *http.Response {
		h := http.Header{}
		for i := 0; i+1 < len(hdr); i += 2 {
			h.Set(hdr[i], hdr[i+1])
		}
		cl := int64(-1)
		if v := h.Get("Content-Length"); v != "" {
			cl, _ = strconv.ParseInt(v, 10, 64)
		}
		return &http.Response{StatusCode: code, Status: strconv.Itoa(code) + " " + http.StatusText(code), Header: h, ContentLength: cl}
	}
	const size = 1000
	tests := []struct {
		name   string
		resp   *http.Response
		offset int64
		kind   fetch.ErrorKind
		retry  bool // errRestart
		total  int64
	}{
		{"whole file", resp(200, "Content-Length", "1000", "Content-Type", "video/mp4"), 0, 0, false, 1000},
		{"whole file, length unknown", resp(200), 0, 0, false, -1},
		{"proper resume", resp(206, "Content-Range", "bytes 400-999/1000", "Content-Length", "600"), 400, 0, false, 1000},
		{"resume, total unknown", resp(206, "Content-Range", "bytes 400-999/*"), 400, 0, false, -1},
		{"range ignored", resp(200, "Content-Length", "1000"), 400, 0, true, -1},
		{"range from elsewhere", resp(206, "Content-Range", "bytes 0-999/1000"), 400, 0, true, -1},
		{"no content range", resp(206), 400, 0, true, -1},
		{"content length disagrees with range", resp(206, "Content-Range", "bytes 400-999/1000", "Content-Length", "10"), 400, 0, true, -1},
		{"another file's size in range", resp(206, "Content-Range", "bytes 400-1999/2000"), 400, fetch.KindBadBody, false, -1},
		{"short body", resp(200, "Content-Length", "59"), 0, fetch.KindBadBody, false, -1},
		{"json error with 200", resp(200, "Content-Type", "application/json;charset=UTF-8", "Content-Length", "1000"), 0, fetch.KindBadBody, false, -1},
		{"html page with 200", resp(200, "Content-Type", "text/html; charset=utf-8"), 0, fetch.KindBadBody, false, -1},
		{"xml error", resp(206, "Content-Type", "application/xml", "Content-Range", "bytes 400-999/1000"), 400, fetch.KindBadBody, false, -1},
		{"unauthorized", resp(401), 0, fetch.KindExpired, false, -1},
		{"forbidden", resp(403), 0, fetch.KindExpired, false, -1},
		{"gone", resp(410), 400, fetch.KindExpired, false, -1},
		{"not found", resp(404), 0, fetch.KindNotFound, false, -1},
		{"rate limited", resp(429, "Retry-After", "7"), 0, fetch.KindRateLimited, false, -1},
		{"server error", resp(503), 0, fetch.KindUnreachable, false, -1},
		{"range not satisfiable", resp(416), 400, 0, true, -1},
		{"odd status", resp(204), 0, fetch.KindInvalid, false, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			total, err := checkResponse(tc.resp, tc.offset, size, "mp4", "files.example")
			switch {
			case tc.retry:
				if !errors.Is(err, errRestart) {
					t.Fatalf("err = %v, want a restart", err)
				}
			case tc.kind != 0:
				if fetch.KindOf(err) != tc.kind {
					t.Fatalf("err = %v (kind %d), want kind %d", err, fetch.KindOf(err), tc.kind)
				}
			default:
				if err != nil || total != tc.total {
					t.Fatalf("got %d, %v; want %d, nil", total, err, tc.total)
				}
			}
		})
	}
	var fe *fetch.Error
	_, err := checkResponse(resp(429, "Retry-After", "7"), 0, size, "mp4", "h")
	if !errors.As(err, &fe) || fe.Retry != 7*time.Second {
		t.Fatalf("429 gives %v, want Retry 7s", err)
	}
}

func TestLooksLikeErrorBody(t *testing.T) {
	tests := []struct {
		head string
		ext  string
		want bool
	}{
		{`{"status":false,"errorCode":124,"errorMessage":"Forbidden"}`, "mp4", true},
		{"  \n[{\"error\":1}]", "m4a", true},
		{"<!DOCTYPE html><html><body>Sign in</body></html>", "mp4", true},
		{"<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code></Error>", "mp4", true},
		{"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2", "mp4", false},
		{"WEBVTT\n\n00:00.000 --> 00:01.000\nHello", "vtt", false},
		{"{\x00\x01\x02\xff\xfe binary that starts with a brace", "mp4", false},
		{`{"a":1}`, "json", false},
		{"", "mp4", false},
	}
	for _, tc := range tests {
		if got := looksLikeErrorBody([]byte(tc.head), tc.ext); got != tc.want {
			t.Errorf("looksLikeErrorBody(%q, %s) = %v, want %v", tc.head, tc.ext, got, tc.want)
		}
	}
}

func TestParseContentRange(t *testing.T) {
	tests := []struct {
		in                string
		start, end, total int64
		ok                bool
	}{
		{"bytes 0-99/100", 0, 99, 100, true},
		{"bytes 50-99/*", 50, 99, -1, true},
		{"bytes 50-100/100", 0, 0, 0, false},
		{"bytes 60-50/100", 0, 0, 0, false},
		{"bytes */100", 0, 0, 0, false},
		{"items 0-1/2", 0, 0, 0, false},
		{"", 0, 0, 0, false},
	}
	for _, tc := range tests {
		s, e, tot, ok := parseContentRange(tc.in)
		if ok != tc.ok || (ok && (s != tc.start || e != tc.end || tot != tc.total)) {
			t.Errorf("parseContentRange(%q) = %d, %d, %d, %v", tc.in, s, e, tot, ok)
		}
	}
}

func TestWriteErrorsOnAFullDiskStopTheQueue(t *testing.T) {
	full := &fs.PathError{Op: "write", Path: "/x/y.part", Err: syscall.ENOSPC}
	var df *diskFullError
	if err := transferErr(t.Context(), full, "h", "/x"); !errors.As(err, &df) {
		t.Fatalf("ENOSPC while writing gives %v, want a full-disk error", err)
	}
	denied := &fs.PathError{Op: "open", Path: "/x/y.part", Err: syscall.EACCES}
	err := transferErr(t.Context(), denied, "h", "/x")
	if errors.As(err, &df) || fetch.KindOf(err) != fetch.KindInvalid || fetch.Retryable(err) {
		t.Fatalf("permission denied gives %v, want a plain, final error", err)
	}
	if err := transferErr(t.Context(), errors.New("unexpected EOF"), "h", "/x"); !fetch.Retryable(err) {
		t.Fatalf("a broken connection gives %v, want a retryable error", err)
	}
}

// rate.Limiter refuses to wait for more than its burst at once; grab reads
// up to its whole buffer, so the queue's limiter waits in pieces.
func TestSpeedLimiterWaitsForReadsLargerThanItsBurst(t *testing.T) {
	lim := rate.NewLimiter(rate.Limit(1<<30), 4<<10)
	if err := lim.WaitN(t.Context(), 256<<10); err == nil {
		t.Fatal("rate.Limiter accepted a wait past its burst; the wrapper is not needed")
	}
	if err := (speedLimiter{lim}).WaitN(t.Context(), 256<<10); err != nil {
		t.Fatalf("speedLimiter: %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	slow := rate.NewLimiter(rate.Limit(1), 1)
	if err := (speedLimiter{slow}).WaitN(ctx, 10); err == nil {
		t.Fatal("a cancelled wait returned no error")
	}
}

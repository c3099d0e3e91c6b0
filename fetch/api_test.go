package fetch

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestAPIClientHonoursRetryAfterAndSaysItWaits(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	c := NewAPIClient(srv.Client(), 100)
	c.Backoff = time.Millisecond
	var waited []time.Duration
	var kinds []ErrorKind
	ctx := WithWaitNotice(context.Background(), func(d time.Duration, reason error) {
		waited = append(waited, d)
		kinds = append(kinds, KindOf(reason))
	})
	resp, err := c.Do(ctx, func(ctx context.Context) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if calls.Load() != 2 {
		t.Fatalf("%d calls, want 2", calls.Load())
	}
	if len(waited) != 1 || waited[0] != time.Second || kinds[0] != KindRateLimited {
		t.Fatalf("wait notices %v %v, want one of 1s for a rate limit", waited, kinds)
	}
}

func TestAPIClientGivesUpOnALongRetryAfter(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	c := NewAPIClient(srv.Client(), 100)
	_, err := c.Do(context.Background(), func(ctx context.Context) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	})
	var e *Error
	if KindOf(err) != KindRateLimited || !errors.As(err, &e) || e.Retry != time.Hour {
		t.Fatalf("got %v, want a rate-limited error asking for an hour", err)
	}
}

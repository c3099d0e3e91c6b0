package fetch

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"cloudreel/fetch/pace"
)

// The client tells its pace of every 429 (with whether the platform said
// when to come back) and of every answer that went through.
func TestAPIClientSlowsItsPaceOnA429(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch calls.Add(1) {
		case 1:
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
		case 2:
			w.WriteHeader(http.StatusTooManyRequests) // no word on when
		default:
			w.WriteHeader(http.StatusOK)
		}
	}))
	defer srv.Close()
	c := NewAPIClient(srv.Client(), 1)
	c.Backoff = time.Millisecond
	var rates []float64
	c.Pace = pace.New(pace.Config{Start: 40, Ceiling: 80, RampAfter: 2, Changed: func(r float64) { rates = append(rates, r) }})
	get := func() {
		t.Helper()
		resp, err := c.Do(context.Background(), func(ctx context.Context) (*http.Request, error) {
			return http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
		})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	get()
	if calls.Load() != 3 || c.Pace.Limit() != 10 || c.Pace.Slowdowns() != 2 {
		t.Fatalf("after two 429s: %d calls, rate %v, %d slowdowns; want 3, 10, 2", calls.Load(), c.Pace.Limit(), c.Pace.Slowdowns())
	}
	get() // the second answer in a row that went through: a step up
	if c.Pace.Limit() != 20 {
		t.Fatalf("rate %v after two answers in a row, want 10+10", c.Pace.Limit())
	}
	if len(rates) != 3 || rates[0] != 20 || rates[1] != 10 || rates[2] != 20 {
		t.Fatalf("rates %v, want [20 10 20]", rates)
	}
}

func TestRetryAfterReadsZoomsRFC3339Time(t *testing.T) {
	at := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	h := http.Header{"Retry-After": {at.Format(time.RFC3339)}}
	if d := RetryAfter(h, 0); d < 59*time.Minute || d > time.Hour {
		t.Fatalf("Retry-After %s read as %v, want about an hour", at.Format(time.RFC3339), d)
	}
}

// The fast path for plain strings reads what json.Unmarshal would, and
// leaves escapes and broken UTF-8 to it.
func TestPlainStringsReadAsJSONWould(t *testing.T) {
	for _, raw := range []string{`"abc-123"`, `"a\"b"`, `"caf\u00e9"`, "\"caf\xff\"", `""`, `"李娜"`} {
		var want string
		_ = json.Unmarshal([]byte(raw), &want)
		var got IDString
		if err := got.UnmarshalJSON([]byte(raw)); err != nil || string(got) != want {
			t.Errorf("%q read as %q (%v), want %q", raw, got, err, want)
		}
	}
	var n Number
	if err := n.UnmarshalJSON([]byte(`1.5e3`)); err != nil || n != 1500 {
		t.Errorf("1.5e3 read as %v (%v)", n, err)
	}
	if err := n.UnmarshalJSON([]byte(`"42"`)); err != nil || n != 42 {
		t.Errorf(`"42" read as %v (%v)`, n, err)
	}
}

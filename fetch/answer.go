package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"fyne.io/fyne/v2/lang"
)

// DefaultHeaderTimeout is how long an API call waits for the server to
// start answering before it counts as a network fault.
const DefaultHeaderTimeout = 30 * time.Second

type headerTimeoutKey struct{}

// WithHeaderTimeout returns a context whose API calls wait at most d for
// each answer's headers (for clients whose HeaderTimeout is not set), so
// that whoever starts a call can bound it without reaching into the
// connector that makes it.
func WithHeaderTimeout(ctx context.Context, d time.Duration) context.Context {
	return context.WithValue(ctx, headerTimeoutKey{}, d)
}

func (c *APIClient) headerTimeout(ctx context.Context) time.Duration {
	if c.HeaderTimeout > 0 {
		return c.HeaderTimeout
	}
	if d, ok := ctx.Value(headerTimeoutKey{}).(time.Duration); ok && d > 0 {
		return d
	}
	return DefaultHeaderTimeout
}

type answerNoticeKey struct{}

// WithAnswerNotice returns a context that calls f each time an API call
// made with it gets an answer from the server (any status), so that a
// watchdog can tell a slow, long listing from a server that went silent.
func WithAnswerNotice(ctx context.Context, f func()) context.Context {
	return context.WithValue(ctx, answerNoticeKey{}, f)
}

// errNoAnswer is the cause of a try cut off for want of an answer.
var errNoAnswer = errors.New("no answer from the server in time")

// send makes one try: newReq's request, cut off when no answer's headers
// come within timeout. The returned body ends the try's context when
// closed.
func (c *APIClient) send(ctx context.Context, newReq func(ctx context.Context) (*http.Request, error), timeout time.Duration) (*http.Request, *http.Response, error) {
	tryCtx, cancel := context.WithCancelCause(ctx)
	req, err := newReq(tryCtx)
	if err != nil {
		cancel(nil)
		return nil, nil, fmt.Errorf("building request: %w", err)
	}
	timer := time.AfterFunc(timeout, func() { cancel(errNoAnswer) })
	resp, err := c.HTTP.Do(req)
	if !timer.Stop() && err == nil {
		// The answer came as the time ran out: its body is cut off.
		DrainClose(resp)
		resp, err = nil, context.Cause(tryCtx)
	}
	if err != nil {
		if errors.Is(context.Cause(tryCtx), errNoAnswer) && ctx.Err() == nil {
			err = errNoAnswer
		}
		cancel(nil)
		return req, nil, err
	}
	if f, ok := ctx.Value(answerNoticeKey{}).(func()); ok {
		f()
	}
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: func() { cancel(nil) }}
	return req, resp, nil
}

// cancelOnClose is a response body that ends its request's context when
// closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel func()
}

func (b *cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// SpokenDuration says a duration as people do: "30 seconds", "a minute",
// "2 minutes"; short ones as Go writes them.
func SpokenDuration(d time.Duration) string {
	switch {
	case d == time.Minute:
		return lang.L("a minute")
	case d >= time.Minute && d%time.Minute == 0:
		n := int(d / time.Minute)
		return lang.N("{{.Count}} minutes", n, map[string]any{"Count": n})
	case d == time.Second:
		return lang.L("a second")
	case d >= time.Second && d%time.Second == 0:
		n := int(d / time.Second)
		return lang.N("{{.Count}} seconds", n, map[string]any{"Count": n})
	}
	return d.String()
}

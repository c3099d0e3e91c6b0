package accounts

import (
	"context"
	"sync"
	"time"

	"fyne.io/fyne/v2/lang"

	"cloudreel/fetch"
)

// Timeouts bound how long a sign-in, a connection test or a listing waits
// for a platform that does not answer, so that a person learns of a silent
// server within a minute instead of after every retry of every call.
type Timeouts struct {
	// Answer is how long one API call waits for the server to start
	// answering before it counts as a network fault and is tried again.
	Answer time.Duration
	// Silence is the longest a sign-in, test or listing goes without an
	// answer from the server (or a recording to show) before it is given
	// up with a plain error. A long listing that keeps answering is not
	// cut off.
	Silence time.Duration
}

// DefaultTimeouts are the store's timeouts unless SetTimeouts changes them.
func DefaultTimeouts() Timeouts {
	return Timeouts{Answer: fetch.DefaultHeaderTimeout, Silence: time.Minute}
}

// SetTimeouts changes the store's timeouts (tests make them short); a
// zero field keeps its default.
func (s *Store) SetTimeouts(t Timeouts) {
	d := DefaultTimeouts()
	if t.Answer <= 0 {
		t.Answer = d.Answer
	}
	if t.Silence <= 0 {
		t.Silence = d.Silence
	}
	s.mu.Lock()
	s.limits = t
	s.mu.Unlock()
}

func (s *Store) timeouts() Timeouts {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.limits == (Timeouts{}) {
		return DefaultTimeouts()
	}
	return s.limits
}

// watchdog ends a context with a plain error once the server has been
// silent for longer than the store's Silence.
type watchdog struct {
	silence time.Duration
	err     *fetch.Error // the cause the context ends with

	mu     sync.Mutex
	timer  *time.Timer
	paused bool
}

// watch returns a context for talking to a's server under the store's
// timeouts, its watchdog, and a func that stops both.
func (s *Store) watch(ctx context.Context, a Account) (context.Context, *watchdog, func()) {
	t := s.timeouts()
	w := &watchdog{silence: t.Silence, err: fetch.NewError(fetch.KindUnreachable, context.DeadlineExceeded,
		lang.L("{{.Host}} did not answer for {{.Wait}}.", map[string]any{"Host": hostOf(a.ServerURL()), "Wait": fetch.SpokenDuration(t.Silence)}))}
	wctx, cancel := context.WithCancelCause(ctx)
	w.timer = time.AfterFunc(t.Silence, func() { cancel(w.err) })
	wctx = fetch.WithHeaderTimeout(wctx, t.Answer)
	wctx = fetch.WithAnswerNotice(wctx, w.heard)
	return wctx, w, func() {
		w.pause()
		cancel(nil)
	}
}

// heard restarts the count: the server answered.
func (w *watchdog) heard() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.paused {
		w.timer.Reset(w.silence)
	}
}

// pause stops the count while the caller, not the server, has the turn
// (a recording handed to the window or the command).
func (w *watchdog) pause() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.paused = true
	w.timer.Stop()
}

// resume starts the count afresh.
func (w *watchdog) resume() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.paused = false
	w.timer.Reset(w.silence)
}

// explain replaces err by the watchdog's plain error when the server's
// silence is what ended the context wctx (and not the caller).
func (w *watchdog) explain(wctx context.Context, err error) error {
	if err != nil && context.Cause(wctx) == error(w.err) {
		return w.err
	}
	return err
}

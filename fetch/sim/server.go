// Package sim is an honest simulator of the four platforms' HTTP APIs
// (Valt, IBM Video Streaming, Zoom Video SDK, Huawei Cloud Meeting), as
// ../../shared/platforms.md describes them, with the faults that real
// servers show switchable by tests. The demo, every connector test and the
// benchmarks use it. Each platform is mounted under its own prefix of one
// server: BaseURL(platform) is what an account's "server" is set to.
package sim

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"cloudreel/fetch"
)

// Config shapes the simulated data. The zero value is usable: it gives the
// defaults below.
type Config struct {
	// Now is the simulator's present; recordings lie in the months before
	// it. Default: time.Now().
	Now time.Time
	// Seed makes the data set repeatable (default 1).
	Seed uint64
	// Recordings is how many recordings each platform's account has
	// (default 40).
	Recordings int
	// Span, when set, spreads the recordings evenly over this long before
	// Now (the listing benchmark's 10,000 in a year) instead of about two
	// a week.
	Span time.Duration
	// MinSize and MaxSize bound a file's size in bytes (default 256 KiB
	// to 2 MiB; the demo asks for tens of MB).
	MinSize, MaxSize int64
	// Throttle limits each media response to this many bytes a second
	// (0: unlimited), so that progress is visible in the demo.
	Throttle int64
	// Credentials are the secrets the simulated accounts accept; zero
	// values take DefaultCredentials.
	Credentials Credentials
}

// Credentials are what the simulated accounts accept.
type Credentials struct {
	ValtUser, ValtPassword   string
	IBMClientID, IBMSecret   string
	ZoomKey, ZoomSecret      string
	HuaweiAccount, HuaweiPwd string
	HuaweiAppID, HuaweiKey   string
	HuaweiUserID, HuaweiCorp string
	// HuaweiSingleAppID is a single-enterprise App ID (signed without the
	// corp ID, which it must not send); HuaweiAppID is an SP App ID, signed
	// with HuaweiCorp. Both take HuaweiKey.
	HuaweiSingleAppID string
}

// DefaultCredentials are the demo accounts' sign-in details.
var DefaultCredentials = Credentials{
	ValtUser: "office", ValtPassword: "valt-demo-password",
	IBMClientID: "demo-client-id", IBMSecret: "ibm-demo-client-secret",
	ZoomKey: "demo-api-key", ZoomSecret: "zoom-demo-api-secret",
	HuaweiAccount: "admin@demo", HuaweiPwd: "huawei-demo-password",
	HuaweiAppID: "demo-app-id", HuaweiKey: "huawei-demo-app-key",
	HuaweiUserID: "admin", HuaweiCorp: "demo-corp",
	HuaweiSingleAppID: "demo-single-app-id",
}

// Server is a running (or ready to run) simulator.
type Server struct {
	cfg    Config
	faults Faults
	data   map[fetch.Platform][]*Recording
	links  linkStore
	mux    *http.ServeMux

	requireLinks atomic.Bool
	gone         cleanupState // recordings trashed or deleted through the APIs (cleanup.go)

	mu     sync.Mutex
	srv    *http.Server
	ln     net.Listener
	url    string
	counts map[string]int // requests seen, by "METHOD /path-pattern"
	ranges []string       // media requests seen, see MediaRequests
	state  map[string]any // per-platform state (tokens, sessions) kept by the platform files
}

// New builds a simulator with cfg. Call Start (or use Handler with
// httptest) to serve it.
func New(cfg Config) *Server {
	if cfg.Now.IsZero() {
		cfg.Now = time.Now()
	}
	cfg.Now = cfg.Now.UTC()
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	if cfg.Recordings <= 0 {
		cfg.Recordings = 40
	}
	if cfg.MinSize <= 0 {
		cfg.MinSize = 256 << 10
	}
	if cfg.MaxSize < cfg.MinSize {
		cfg.MaxSize = max(cfg.MinSize, 2<<20)
	}
	cfg.Credentials = withDefaults(cfg.Credentials)
	s := &Server{cfg: cfg, mux: http.NewServeMux(), counts: map[string]int{}, state: map[string]any{}}
	s.links.links = map[string]*link{}
	s.data = generate(cfg)
	s.routeFiles()
	for _, p := range fetch.Platforms {
		if r, ok := platformRoutes[p]; ok {
			r(s)
		}
	}
	return s
}

// platformRoutes is filled by each platform's file (valt.go, ibm.go,
// zoom.go, huawei.go) with a function that adds its routes to the mux.
var platformRoutes = map[fetch.Platform]func(*Server){}

// handle registers a route under a platform's prefix, counting requests
// and applying the API faults (429, 5xx) before the handler runs.
func (s *Server) handle(p fetch.Platform, pattern string, h http.HandlerFunc) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = "", pattern
	}
	full := prefix(p) + path
	if method != "" {
		full = method + " " + full
	}
	s.mux.HandleFunc(full, func(w http.ResponseWriter, r *http.Request) {
		s.count(r.Method + " " + prefix(p) + path)
		if d := s.faults.Get().APILatency; d > 0 {
			t := time.NewTimer(d)
			select {
			case <-r.Context().Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
		if s.faults.apiFault(w, p) {
			return
		}
		h(w, r)
	})
}

func (s *Server) count(key string) {
	s.mu.Lock()
	s.counts[key]++
	s.mu.Unlock()
}

// Requests returns how many requests the simulator has seen for a route,
// named as "METHOD /prefix/path-pattern", e.g. "HEAD /media/{id}".
func (s *Server) Requests(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[key]
}

func prefix(p fetch.Platform) string {
	switch p {
	case fetch.ZoomSDK:
		return "/zoom/v2"
	}
	return "/" + string(p)
}

// Handler returns the simulator's HTTP handler, for httptest.NewServer.
// Links it hands out are built from the request's Host.
func (s *Server) Handler() http.Handler { return s.mux }

// Config returns the configuration the simulator runs with.
func (s *Server) Config() Config { return s.cfg }

// Faults returns the switchboard of faults tests turn on and off.
func (s *Server) Faults() *Faults { return &s.faults }

// Start listens on addr ("127.0.0.1:0" for any free port) and serves in
// the background. It returns the base URL.
func (s *Server) Start(addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("simulator: listening on %s: %w", addr, err)
	}
	s.mu.Lock()
	s.ln = ln
	s.url = "http://" + ln.Addr().String()
	s.srv = &http.Server{Handler: s.mux, ReadHeaderTimeout: 10 * time.Second}
	srv := s.srv
	s.mu.Unlock()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Println("simulator:", err)
		}
	}()
	return s.url, nil
}

// SetURL tells the simulator its base URL when it is served by someone
// else (httptest.NewServer(s.Handler())).
func (s *Server) SetURL(u string) {
	s.mu.Lock()
	s.url = strings.TrimSuffix(u, "/")
	s.mu.Unlock()
}

// URL is the simulator's base URL.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// BaseURL is the API base of one platform: what an account's server is.
func (s *Server) BaseURL(p fetch.Platform) string { return s.URL() + prefix(p) }

// Close stops the server.
func (s *Server) Close() error {
	s.mu.Lock()
	srv := s.srv
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		return srv.Close()
	}
	return nil
}

// Recordings returns the simulated recordings of a platform, newest first.
// Trashed and deleted ones are left out (cleanup.go).
func (s *Server) Recordings(p fetch.Platform) []*Recording { return s.listed(p, s.data[p]) }

// File finds a simulated file by its id on any platform.
func (s *Server) File(id string) (*File, bool) {
	for _, recs := range s.data {
		for _, r := range recs {
			for _, f := range r.Files {
				if f.ID == id {
					return f, true
				}
			}
		}
	}
	return nil, false
}

func withDefaults(c Credentials) Credentials {
	d := DefaultCredentials
	set := func(v *string, def string) {
		if *v == "" {
			*v = def
		}
	}
	set(&c.ValtUser, d.ValtUser)
	set(&c.ValtPassword, d.ValtPassword)
	set(&c.IBMClientID, d.IBMClientID)
	set(&c.IBMSecret, d.IBMSecret)
	set(&c.ZoomKey, d.ZoomKey)
	set(&c.ZoomSecret, d.ZoomSecret)
	set(&c.HuaweiAccount, d.HuaweiAccount)
	set(&c.HuaweiPwd, d.HuaweiPwd)
	set(&c.HuaweiAppID, d.HuaweiAppID)
	set(&c.HuaweiKey, d.HuaweiKey)
	set(&c.HuaweiUserID, d.HuaweiUserID)
	set(&c.HuaweiCorp, d.HuaweiCorp)
	set(&c.HuaweiSingleAppID, d.HuaweiSingleAppID)
	return c
}

// platformState returns the state a platform file keeps, creating it with
// mk on first use.
func platformState[T any](s *Server, key string, mk func() *T) *T {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.state[key]; ok {
		return v.(*T)
	}
	v := mk()
	s.state[key] = v
	return v
}

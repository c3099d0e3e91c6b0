package sim

import (
	"errors"
	"net/http"
	"time"
)

// The platform-neutral file route, /files/{id}?t=TOKEN: a plain download
// server that the queue's tests and the benchmarks use when no platform's
// sign-in is wanted. Platforms' own media routes live in their files.
func (s *Server) routeFiles() {
	s.mux.HandleFunc("/files/{id}", func(w http.ResponseWriter, r *http.Request) {
		f, ok := s.File(r.PathValue("id"))
		if !ok {
			http.NotFound(w, r)
			return
		}
		if tok := r.URL.Query().Get("t"); tok != "" || s.requireLinks.Load() {
			spend := r.Method == http.MethodGet || s.faults.Get().HeadSpendsToken
			if err := s.useLink(tok, f.ID, spend); err != nil {
				code := http.StatusForbidden
				if errors.Is(err, errLinkExpired) || errors.Is(err, errLinkSpent) {
					code = http.StatusGone
				}
				http.Error(w, err.Error(), code)
				return
			}
		}
		s.serveFile(w, r, f, f.ID+"."+f.Ext)
	})
}

// FileURL is a link to a file on the platform-neutral route. With ttl > 0
// it carries a token that expires after ttl and, when oneTime, dies after
// one GET (or one HEAD, when the HeadSpendsToken fault is on).
func (s *Server) FileURL(f *File, ttl time.Duration, oneTime bool) string {
	u := s.URL() + "/files/" + f.ID
	if ttl > 0 || oneTime {
		if ttl <= 0 {
			ttl = time.Hour
		}
		u += "?t=" + s.issueLink(f.ID, ttl, oneTime)
	}
	return u
}

// RequireLinks makes the platform-neutral route refuse requests without a
// valid token.
func (s *Server) RequireLinks(on bool) { s.requireLinks.Store(on) }

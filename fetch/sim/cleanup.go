package sim

import (
	"slices"
	"sync"

	"cloudreel/fetch"
)

// What the simulated platforms remember of recordings that were trashed
// or deleted through their APIs (zoom_delete.go, ibm_delete.go,
// huawei_delete.go): a trashed or deleted recording leaves the lists, a
// trashed one comes back when it is recovered.

// Fate is what became of a simulated recording's cloud copy.
type Fate string

// The fates a recording can meet.
const (
	Kept    Fate = ""        // still listed
	Trashed Fate = "trashed" // in the platform's trash (Zoom), recoverable
	Deleted Fate = "deleted" // gone for good
)

type cleanupState struct {
	// mu is its own, not Server.mu: Recordings is called while
	// platformState holds that one.
	mu    sync.Mutex
	fates map[string]Fate // "platform/recording id" → fate
	// refused are the platforms that answer every delete with "no
	// permission" (RefuseDeletes).
	refused map[fetch.Platform]bool
}

func (s *Server) cleanup() *cleanupState {
	st := &s.gone
	st.mu.Lock()
	if st.fates == nil {
		st.fates, st.refused = map[string]Fate{}, map[fetch.Platform]bool{}
	}
	st.mu.Unlock()
	return st
}

// FateOf says what became of a recording on platform p.
func (s *Server) FateOf(p fetch.Platform, id string) Fate {
	st := s.cleanup()
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.fates[string(p)+"/"+id]
}

// setFate records what became of a recording.
func (s *Server) setFate(p fetch.Platform, id string, f Fate) {
	st := s.cleanup()
	st.mu.Lock()
	defer st.mu.Unlock()
	if f == Kept {
		delete(st.fates, string(p)+"/"+id)
		return
	}
	st.fates[string(p)+"/"+id] = f
}

// RefuseDeletes makes platform p answer every delete (and Zoom's recover)
// the way it answers an account that is not allowed to: Zoom's "No
// permission", IBM's 403 lack_of_ownership, Huawei's 403 for a user who
// is not an enterprise administrator.
func (s *Server) RefuseDeletes(p fetch.Platform, on bool) {
	st := s.cleanup()
	st.mu.Lock()
	st.refused[p] = on
	st.mu.Unlock()
}

func (s *Server) deletesRefused(p fetch.Platform) bool {
	st := s.cleanup()
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.refused[p]
}

// recording finds a simulated recording of p by id, whatever its fate.
func (s *Server) recording(p fetch.Platform, id string) *Recording {
	i := slices.IndexFunc(s.data[p], func(r *Recording) bool { return r.ID == id })
	if i < 0 {
		return nil
	}
	return s.data[p][i]
}

// listed drops the trashed and deleted recordings from recs.
func (s *Server) listed(p fetch.Platform, recs []*Recording) []*Recording {
	st := s.cleanup()
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(st.fates) == 0 {
		return recs
	}
	return slices.DeleteFunc(slices.Clone(recs), func(r *Recording) bool {
		return st.fates[string(p)+"/"+r.ID] != Kept
	})
}

package sim

import (
	"net"
	"sync"
)

// SilentServer is a server that accepts connections and never answers:
// the fault of a platform whose host is up but whose service hangs. Tests
// of the timeouts use it; it holds every connection open, unread, until
// Close.
type SilentServer struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

// NewSilentServer listens on a free loopback port.
func NewSilentServer() (*SilentServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &SilentServer{ln: ln}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns = append(s.conns, c)
			s.mu.Unlock()
		}
	}()
	return s, nil
}

// URL is the server's base address, http://127.0.0.1:PORT.
func (s *SilentServer) URL() string { return "http://" + s.ln.Addr().String() }

// Close stops listening and drops every connection held.
func (s *SilentServer) Close() {
	s.ln.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		c.Close()
	}
}

package queue

import "sync"

// Subscribe returns a channel of events and a function that ends the
// subscription (and closes the channel). The queue never waits for a
// subscriber: events wait in the subscription's own mailbox, where a
// newer progress event of a job replaces one not yet delivered, while
// state changes are all kept, in order.
func (q *Queue) Subscribe() (<-chan Event, func()) {
	s := &subscriber{out: make(chan Event, 64), wake: make(chan struct{}, 1), quit: make(chan struct{})}
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		close(s.out)
		return s.out, func() {}
	}
	q.subs[s] = struct{}{}
	q.mu.Unlock()
	go s.pump()
	return s.out, func() {
		q.mu.Lock()
		delete(q.subs, s)
		q.mu.Unlock()
		s.close()
	}
}

// emit hands an event to every subscriber. q.mu is held.
func (q *Queue) emit(ev Event) {
	for s := range q.subs {
		s.push(ev)
	}
}

type subscriber struct {
	out  chan Event
	wake chan struct{}
	quit chan struct{}
	once sync.Once

	mu      sync.Mutex
	pending []Event
}

func (s *subscriber) push(ev Event) {
	s.mu.Lock()
	if ev.Kind == Progress {
		// Replace the job's undelivered progress, unless a state change
		// of the job came after it: order between the two must hold.
		for i := len(s.pending) - 1; i >= 0; i-- {
			p := s.pending[i]
			if p.Kind == Halted || p.Job.ID != ev.Job.ID {
				continue
			}
			if p.Kind == Progress {
				s.pending[i] = ev
				s.mu.Unlock()
				return
			}
			break
		}
	}
	s.pending = append(s.pending, ev)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// pump delivers the mailbox to the channel, in order.
func (s *subscriber) pump() {
	defer close(s.out)
	for {
		ev, ok := s.next()
		if !ok {
			select {
			case <-s.wake:
				continue
			case <-s.quit:
				return
			}
		}
		select {
		case s.out <- ev:
		case <-s.quit:
			return
		}
	}
}

// next takes the oldest event of the mailbox.
func (s *subscriber) next() (Event, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.pending) == 0 {
		s.pending = nil
		return Event{}, false
	}
	ev := s.pending[0]
	s.pending[0] = Event{}
	s.pending = s.pending[1:]
	return ev, true
}

func (s *subscriber) close() { s.once.Do(func() { close(s.quit) }) }

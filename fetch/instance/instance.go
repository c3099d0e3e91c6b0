// Package instance keeps one Cloudreel window at a time per user: the first
// to start listens on a local endpoint in Cloudreel's data folder, and a
// later start asks it to show its window instead of failing on the store,
// which only one process may hold.
//
// The endpoint is a Unix socket on Linux and macOS (the data folder is the
// user's own), and on Windows a loopback TCP port whose number and secret
// token are kept in a file in the user's own application data. Nothing
// listens beyond loopback.
package instance

import (
	"bufio"
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"
)

// ErrRunning says another Cloudreel of this user already runs; it was
// asked to show its window.
var ErrRunning = errors.New("another Cloudreel is already open: its window was brought to the front")

// askTimeout bounds a conversation with the running Cloudreel, so that a
// stuck one never stops a new start for long.
const askTimeout = 5 * time.Second

// Instance is the running Cloudreel's endpoint; close it when quitting.
type Instance struct {
	ln      net.Listener
	token   string
	show    func()
	cleanup func()
	done    chan struct{}
	once    sync.Once
}

// Start makes this process the user's one Cloudreel, keeping its endpoint
// in dir; show runs (on a goroutine of its own) each time a later start asks
// for the window. When another Cloudreel already runs, Start asks it to show
// itself and returns ErrRunning.
func Start(dir string, show func()) (*Instance, error) {
	for attempt := 0; ; attempt++ {
		ln, token, cleanup, err := listen(dir)
		if err == nil {
			i := &Instance{ln: ln, token: token, show: show, cleanup: cleanup, done: make(chan struct{})}
			go i.serve()
			return i, nil
		}
		connected, askErr := ask(dir)
		if askErr == nil {
			return nil, ErrRunning
		}
		if connected {
			// Someone listens but did not answer: never take its
			// endpoint away.
			return nil, askErr
		}
		// Nobody listens: the endpoint was left by a Cloudreel that
		// ended without closing it. Take it over, once.
		if attempt > 0 {
			return nil, fmt.Errorf("making sure only one Cloudreel runs: %w", err)
		}
		removeStale(dir)
	}
}

// Ask asks the running Cloudreel that keeps its endpoint in dir to show its
// window; it returns an error when none answers.
func Ask(dir string) error {
	_, err := ask(dir)
	return err
}

// ask is Ask, also saying whether anyone listened.
func ask(dir string) (connected bool, err error) {
	conn, token, err := dial(dir)
	if err != nil {
		return false, err
	}
	connected = true
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(askTimeout))
	if _, err := fmt.Fprintf(conn, "show %s\n", token); err != nil {
		return connected, fmt.Errorf("asking the open Cloudreel to show itself: %w", err)
	}
	reply, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return connected, fmt.Errorf("another Cloudreel is open but did not answer: %w", err)
	}
	if strings.TrimSpace(reply) != "ok" {
		return connected, errors.New("another Cloudreel is open but refused to show itself")
	}
	return connected, nil
}

// serve answers later starts until Close.
func (i *Instance) serve() {
	for {
		conn, err := i.ln.Accept()
		if err != nil {
			select {
			case <-i.done:
				return
			default:
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return
		}
		go i.answer(conn)
	}
}

func (i *Instance) answer(conn net.Conn) {
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(askTimeout))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return
	}
	token, ok := strings.CutPrefix(strings.TrimRight(line, "\r\n"), "show ")
	if !ok || subtle.ConstantTimeCompare([]byte(token), []byte(i.token)) != 1 {
		fmt.Fprintln(conn, "no")
		return
	}
	if i.show != nil {
		i.show()
	}
	fmt.Fprintln(conn, "ok")
}

// Close stops answering and removes the endpoint, so that the next start
// becomes the one Cloudreel.
func (i *Instance) Close() error {
	var err error
	i.once.Do(func() {
		close(i.done)
		err = i.ln.Close()
		if i.cleanup != nil {
			i.cleanup()
		}
	})
	return err
}

package instance

import (
	"errors"
	"testing"
	"time"
)

// A second start in the same data folder asks the first to show itself and
// is told to go: the first's show ran, and the first keeps answering.
func TestInstanceSecondStartShowsTheFirst(t *testing.T) {
	dir := t.TempDir()
	shown := make(chan struct{}, 4)
	first, err := Start(dir, func() { shown <- struct{}{} })
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()

	for range 2 {
		second, err := Start(dir, func() { t.Error("the second start's show ran") })
		if !errors.Is(err, ErrRunning) {
			if second != nil {
				second.Close()
			}
			t.Fatalf("the second start got %v, want ErrRunning", err)
		}
		select {
		case <-shown:
		case <-time.After(10 * time.Second):
			t.Fatal("the first Cloudreel was never asked to show itself")
		}
	}
}

// Once the first closes, the next start is the one Cloudreel.
func TestInstanceStartAfterCloseTakesOver(t *testing.T) {
	dir := t.TempDir()
	first, err := Start(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	if err := Ask(dir); err == nil {
		t.Fatal("a closed Cloudreel still answered")
	}
	next, err := Start(dir, nil)
	if err != nil {
		t.Fatalf("start after the first closed: %v", err)
	}
	next.Close()
}

// An endpoint left behind by a Cloudreel that crashed does not stop the
// next start.
func TestInstanceStaleEndpointIsTakenOver(t *testing.T) {
	dir := t.TempDir()
	leaveStaleEndpoint(t, dir)
	shown := make(chan struct{}, 1)
	i, err := Start(dir, func() { shown <- struct{}{} })
	if err != nil {
		t.Fatalf("start over a stale endpoint: %v", err)
	}
	defer i.Close()
	if err := Ask(dir); err != nil {
		t.Fatalf("the new Cloudreel does not answer: %v", err)
	}
	<-shown
}

// A caller that does not know the token is refused and nothing is shown.
func TestInstanceWrongTokenIsRefused(t *testing.T) {
	dir := t.TempDir()
	shown := make(chan struct{}, 1)
	i, err := Start(dir, func() { shown <- struct{}{} })
	if err != nil {
		t.Fatal(err)
	}
	defer i.Close()
	i.token = "secret" // as on Windows, where the token guards the port
	if err := Ask(dir); err == nil {
		t.Fatal("a start without the token was answered")
	}
	select {
	case <-shown:
		t.Fatal("the window was shown for a caller without the token")
	default:
	}
}

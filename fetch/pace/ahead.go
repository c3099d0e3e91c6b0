package pace

import (
	"context"
	"sync"
)

// Ahead calls get for the items 0, 1, 2, … (up to count of them; count <
// 0: until take says stop), with up to n calls under way at once, and
// hands each result to take in the order of the items, whatever order
// the calls end in. It is how a listing asks for several pages (or
// several date windows) side by side and still gives its recordings in
// the order a walk one page after another would.
//
// Ahead stops at the first take that returns false: the calls still
// under way see their context cancelled (get must honour it; its result
// is then dropped) and Ahead returns once every one has returned. n also
// bounds how many results wait for take, so memory stays bounded however
// far the list goes.
func Ahead[T any](ctx context.Context, n, count int, get func(ctx context.Context, i int) T, take func(i int, v T) bool) {
	n = max(n, 1)
	var wg sync.WaitGroup
	defer wg.Wait()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type call struct {
		done chan struct{}
		v    T
	}
	var queue []*call
	next := 0
	more := func() bool { return count < 0 || next < count }
	for i := 0; count < 0 || i < count; i++ {
		for len(queue) < n && more() {
			c := &call{done: make(chan struct{})}
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				defer close(c.done)
				c.v = get(ctx, i)
			}(next)
			queue = append(queue, c)
			next++
		}
		c := queue[0]
		queue = queue[1:]
		<-c.done
		if !take(i, c.v) {
			return
		}
	}
}

package server

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
)

// onceCache computes each key's value once, however many requests ask at
// the same time, and keeps up to max values; past that it starts over,
// which is simpler than LRU and enough for what a dashboard asks. Failed
// computations are forgotten, so the next request tries again.
type onceCache[V any] struct {
	mu  sync.Mutex
	max int
	m   map[string]*onceEntry[V]
}

type onceEntry[V any] struct {
	once sync.Once
	v    V
	err  error
}

func newOnceCache[V any](max int) *onceCache[V] {
	return &onceCache[V]{max: max, m: map[string]*onceEntry[V]{}}
}

// get returns key's value, computing it with f the first time.
func (c *onceCache[V]) get(key string, f func() (V, error)) (V, error) {
	c.mu.Lock()
	e := c.m[key]
	if e == nil {
		if len(c.m) >= c.max {
			c.m = map[string]*onceEntry[V]{}
		}
		e = &onceEntry[V]{}
		c.m[key] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.v, e.err = f() })
	if e.err != nil {
		c.mu.Lock()
		if c.m[key] == e {
			delete(c.m, key)
		}
		c.mu.Unlock()
	}
	return e.v, e.err
}

// sharedCache is onceCache for computations that should stop when no one
// wants them any more. Each key's value is computed once, however many
// requests ask at the same time, on a context of its own: it keeps the
// first request's values but not its cancellation, and ends when the last
// request waiting for the value has gone (its client left, or its budget
// ran out). So one of several waiting clients leaving does not stop the
// work the others wait for, and the last one leaving does; the key is then
// forgotten at once, so the next request starts afresh instead of joining
// a computation that is stopping. Failed computations are forgotten too.
type sharedCache[V any] struct {
	mu  sync.Mutex
	max int
	m   map[string]*sharedEntry[V]
}

type sharedEntry[V any] struct {
	done    chan struct{} // closed, under the cache's lock, once v and err are set
	v       V
	err     error
	waiters int                // requests waiting for v
	cancel  context.CancelFunc // stops the computation
}

func newSharedCache[V any](max int) *sharedCache[V] {
	return &sharedCache[V]{max: max, m: map[string]*sharedEntry[V]{}}
}

// get returns key's value, computing it with f on a goroutine the first
// time (a panic in f becomes an error). It returns ctx's error when ctx
// ends first.
func (c *sharedCache[V]) get(ctx context.Context, key string, f func(ctx context.Context) (V, error)) (V, error) {
	var zero V
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	c.mu.Lock()
	e := c.m[key]
	if e == nil {
		if len(c.m) >= c.max {
			c.m = map[string]*sharedEntry[V]{} // entries in flight finish for their waiters
		}
		fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		e = &sharedEntry[V]{done: make(chan struct{}), cancel: cancel}
		c.m[key] = e
		go c.run(fctx, key, e, f)
	}
	e.waiters++
	c.mu.Unlock()

	select {
	case <-e.done:
	case <-ctx.Done():
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e.waiters--
	select {
	case <-e.done: // finished, perhaps just as ctx ended: the value wins
		return e.v, e.err
	default:
	}
	if e.waiters == 0 {
		e.cancel()
		if c.m[key] == e {
			delete(c.m, key)
		}
	}
	return zero, ctx.Err()
}

func (c *sharedCache[V]) run(ctx context.Context, key string, e *sharedEntry[V], f func(ctx context.Context) (V, error)) {
	var v V
	var err error
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		}
		e.cancel()
		c.mu.Lock()
		defer c.mu.Unlock()
		e.v, e.err = v, err
		if err != nil && c.m[key] == e {
			delete(c.m, key)
		}
		close(e.done)
	}()
	v, err = f(ctx)
}

// waiting returns how many requests wait for a value being computed.
func (c *sharedCache[V]) waiting() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, e := range c.m {
		n += e.waiters
	}
	return n
}

package server

import "sync"

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

package server

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// TestSharedCache_Once: requests asking at once share one computation,
// and its value is kept.
func TestSharedCache_Once(t *testing.T) {
	c := newSharedCache[int](4)
	var calls atomic.Int32
	gate := make(chan struct{})
	f := func(ctx context.Context) (int, error) {
		calls.Add(1)
		<-gate
		return 42, nil
	}
	var wg sync.WaitGroup
	got := make([]int, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], _ = c.get(context.Background(), "k", f)
		}()
	}
	for c.waiting() != len(got) {
		// every request has joined before the computation may finish
		runtime.Gosched()
	}
	close(gate)
	wg.Wait()
	for i, v := range got {
		if v != 42 {
			t.Fatalf("request %d got %d, want 42", i, v)
		}
	}
	if v, err := c.get(context.Background(), "k", f); v != 42 || err != nil || calls.Load() != 1 {
		t.Fatalf("got %d, %v after %d computations, want 42 from one", v, err, calls.Load())
	}
}

// TestSharedCache_Errors: a failed computation is forgotten, so the next
// request tries again; a panic is an error, not a crash.
func TestSharedCache_Errors(t *testing.T) {
	c := newSharedCache[int](4)
	bad := errors.New("bad")
	if _, err := c.get(context.Background(), "k", func(context.Context) (int, error) { return 0, bad }); !errors.Is(err, bad) {
		t.Fatalf("got %v, want %v", err, bad)
	}
	if v, err := c.get(context.Background(), "k", func(context.Context) (int, error) { return 7, nil }); v != 7 || err != nil {
		t.Fatalf("after a failure: got %d, %v, want 7", v, err)
	}
	_, err := c.get(context.Background(), "p", func(context.Context) (int, error) { panic("boom") })
	if err == nil || !strings.Contains(err.Error(), "panic: boom") {
		t.Fatalf("got %v, want the panic as an error", err)
	}
	// An ended context asks for nothing.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.get(ctx, "q", func(context.Context) (int, error) { t.Error("computed for a request that had gone"); return 0, nil }); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

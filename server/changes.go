package server

import (
	"context"
	"strings"
	"sync/atomic"
	"time"
)

// changedTTL is how long the server keeps what it read of the registry,
// the snapshot list and the supply tables while its store's change feed is
// up: the feed says when they change, and the TTL only bounds the harm of
// a notification lost in flight.
const changedTTL = time.Minute

// changeWatch is the server's view of its store's change feed.
type changeWatch struct {
	up       atomic.Bool // listening: the caches trust the feed
	received atomic.Int64
	cancel   context.CancelFunc
	done     chan struct{}
}

// watchChanges starts listening to s.Changes, if set.
func (s *Server) watchChanges() {
	if s.Changes == nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.changes.cancel, s.changes.done = cancel, make(chan struct{})
	go func() {
		defer close(s.changes.done)
		s.Changes.WatchChanges(ctx, func(tables []string) {
			s.changes.received.Add(1)
			if tables == nil {
				// (Re)started listening: what changed meanwhile is unknown.
				s.changes.up.Store(true)
				s.Logger.Info("listening for changes to the store")
			} else {
				s.Logger.Debug("store changed", "tables", strings.Join(tables, ","))
			}
			s.invalidate()
		}, func(err error) {
			if ctx.Err() != nil {
				return
			}
			s.changes.up.Store(false)
			s.Logger.Warn("not listening for changes to the store; re-reading every second until listening again", "err", err)
		})
	}()
}

// stopWatching stops listening and waits for the listener to end.
func (s *Server) stopWatching() {
	if s.changes.cancel != nil {
		s.changes.cancel()
		<-s.changes.done
		s.changes.cancel = nil
	}
}

// cacheTTL is how long what the server read of the registry, the
// snapshot list and the supply tables stays fresh: registryTTL, or
// changedTTL while the change feed is up.
func (s *Server) cacheTTL() time.Duration {
	if s.Changes != nil && s.changes.up.Load() {
		return changedTTL
	}
	return registryTTL
}

// Invalidate drops what the server read of the store, for a writer in
// the same process (nadra serve's fetcher): the next request reads again.
func (s *Server) Invalidate() { s.invalidate() }

// invalidate drops what the server read of the registry, the snapshot
// list and the supply tables: the next request reads them again. Results
// computed from them are keyed by their content, so they follow.
func (s *Server) invalidate() {
	a := s.access
	a.regMu.Lock()
	a.regAt = time.Time{}
	a.regMu.Unlock()
	s.supplyTables.mu.Lock()
	s.supplyTables.at = time.Time{}
	s.supplyTables.mu.Unlock()
}

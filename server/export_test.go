package server

import "context"

// SetSimulateHooks sets test hooks on s before it opens: start is called
// with each simulation's context just before it runs, done with what the
// simulation returned.
func SetSimulateHooks(s *Server, start func(ctx context.Context), done func(err error)) {
	s.sim.start, s.sim.done = start, done
}

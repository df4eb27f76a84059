package server

import "context"

// SetSimulateHooks sets test hooks on s before it opens: start is called
// with each simulation's context just before it runs, done with what the
// simulation returned.
func SetSimulateHooks(s *Server, start func(ctx context.Context), done func(err error)) {
	s.sim.start, s.sim.done = start, done
}

// SetScenarioHooks sets test hooks on s before it opens: start is called
// with each scenario evaluation's context once it has a slot, done with
// what the evaluation returned.
func SetScenarioHooks(s *Server, start func(ctx context.Context), done func(err error)) {
	s.scenarios.start, s.scenarios.done = start, done
}

// HoldScenarioSlots takes every scenario evaluation slot, as evaluations
// under way would, until release is called.
func HoldScenarioSlots(s *Server) (release func()) {
	n := cap(s.scenarios.slots)
	for range n {
		s.scenarios.slots <- struct{}{}
	}
	return func() {
		for range n {
			<-s.scenarios.slots
		}
	}
}

// ScenarioWaiting returns how many requests wait for scenario evaluations
// under way.
func ScenarioWaiting(s *Server) int { return s.scenarios.cache.waiting() }

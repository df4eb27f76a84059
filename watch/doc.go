// Package watch decides which events a new control snapshot fires for
// the watches on deposits, licences, commodities and oblasts (Evaluate),
// and writes the events as an Atom feed (RFC 4287, WriteAtom). It does no
// I/O of its own: the risk series comes from geo.RiskSeries, the events
// go to a nadra.WatchService, and package webhook delivers them.
package watch

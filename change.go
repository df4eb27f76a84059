package nadra

import "context"

// Tables a write may change, as a ChangeFeed reports them. Sent between
// processes: append only, never rename.
const (
	ChangeRegistry  = "registry"  // deposits, estimates, commodities
	ChangeSnapshots = "snapshots" // control snapshots
	ChangeSupply    = "supply"    // production and the supply reference tables
	ChangeLicences  = "licences"  // the licence register
	ChangeLedger    = "ledger"    // entries, keys, checkpoints, co-signatures
	ChangeCatalog   = "catalog"   // deal terms and named scenarios
)

// ChangeFeed tells a process of the writes committed to its store by any
// process, so that it can drop what it has cached. Implemented by
// postgres, with LISTEN/NOTIFY; a SQLite file has none, and a server on it
// re-reads instead.
type ChangeFeed interface {
	// WatchChanges calls changed with the tables each committed write
	// changed, whichever process made it, until ctx ends. It calls
	// changed(nil), meaning "anything may have changed", each time it
	// (re)starts listening, since writes made while it was not listening
	// are not reported; and down(err) when it stops listening, until it
	// listens again. It returns ctx's error.
	WatchChanges(ctx context.Context, changed func(tables []string), down func(error)) error
}

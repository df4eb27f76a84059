package nadra

import "context"

// AuditRecord is one write to the registry, as the audit trail keeps it:
// who made it, when, through which command or route, what it changed,
// and the SHA-256 of the file it read, if any. Each record is a leaf of
// the ledger's tree, a note signed by the log's key, so that a record
// rewritten in the database no longer matches the checkpoints the
// parties and auditors co-signed.
type AuditRecord struct {
	Index   int64         `json:"index"`            // the leaf's index in the ledger's tree
	At      string        `json:"at"`               // RFC 3339, UTC
	Who     string        `json:"who"`              // the token's user over HTTP; cli:$USER at the command line
	Route   string        `json:"route"`            // "nadra import deposits", "POST /api/v1/ledger/entries"
	SHA256  string        `json:"sha256,omitempty"` // of the file the write read, hex
	Changes []AuditChange `json:"changes"`          // the tables the write may change, in order
}

// AuditChange is one table before and after a write: its row counts and
// the SHA-256 of its content (see TableHash).
type AuditChange struct {
	Table      string `json:"table"`
	RowsBefore int64  `json:"rows_before"`
	RowsAfter  int64  `json:"rows_after"`
	Before     string `json:"before"`
	After      string `json:"after"`
}

// TableHash is a table's content hash: its row count and the SHA-256 of
// its rows, each row's columns as text joined by tabs, the rows sorted
// and joined by newlines.
type TableHash struct {
	Table string `json:"table"`
	Rows  int64  `json:"rows"`
	Hash  string `json:"hash"`
}

// AuditStore keeps the audit trail in the ledger's log.
type AuditStore interface {
	// TableHashes returns the content hashes of the tables, in order.
	TableHashes(ctx context.Context, tables []string) ([]TableHash, error)
	// AppendAudit signs r with the log's key (made on first use, named
	// origin, "" for the default) and appends it to the log as the next
	// leaf; r.Index and r.At are set here.
	AppendAudit(ctx context.Context, origin string, r AuditRecord) (AuditRecord, error)
	// AuditRecords returns every audit record, oldest first, each checked
	// against the log's key.
	AuditRecords(ctx context.Context) ([]AuditRecord, error)
}

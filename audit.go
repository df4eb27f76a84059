package nadra

import "context"

// AuditRecord is one write to the registry, as the audit trail keeps it:
// who made it, when, through which command or route, what it changed,
// and the SHA-256 of each file it read. Each record is a leaf of
// the ledger's tree, a note signed by the log's key, so that a record
// rewritten in the database no longer matches the checkpoints the
// parties and auditors co-signed.
type AuditRecord struct {
	Index   int64         `json:"index"`           // the leaf's index in the ledger's tree
	At      string        `json:"at"`              // RFC 3339, UTC
	Who     string        `json:"who"`             // the token's user over HTTP; cli:$USER at the command line
	Route   string        `json:"route"`           // "nadra import deposits", "POST /api/v1/ledger/entries"
	Files   []AuditFile   `json:"files,omitempty"` // the files the write read
	Changes []AuditChange `json:"changes"`         // the tables the write may change, in order
}

// AuditFile is a file a write read: its name as given and the SHA-256 of
// its bytes, hex.
type AuditFile struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
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

// WriteTables names, for each kind of write (a command and subcommand:
// "import deposits"), the tables it may change; their content hashes
// before and after go into its audit record.
var WriteTables = map[string][]string{
	"import deposits":   {"deposits", "deposit_commodities", "deposit_changes", "dataset_rows", "imports"},
	"import estimates":  {"estimates", "dataset_rows", "imports"},
	"import licences":   {"licences", "dataset_rows", "imports"},
	"import control":    {"snapshots", "control_files", "imports"},
	"import production": {"production", "imports"},
	"import terms":      {"deal_terms", "imports"},
	"import scenarios":  {"scenarios", "imports"},
	"dataset accept":    {"deposits", "deposit_commodities", "estimates", "licences", "snapshots", "production", "deal_terms", "scenarios", "dataset_rows"},
	"dataset keep":      {"deposits", "deposit_commodities", "estimates", "licences", "snapshots", "production", "deal_terms", "scenarios", "dataset_rows"},
	"ledger register":   {"ledger_keys"},
	"ledger post":       {"ledger_entries"},
	"ledger checkpoint": {"ledger_checkpoints"},
	"ledger cosign":     {"ledger_cosignatures"},
	"token create":      {"tokens"},
	"token revoke":      {"tokens"},
	"watch add":         {"watches"},
	"watch rm":          {"watches"},
}

// AuditStore keeps the audit trail in the ledger's log.
type AuditStore interface {
	// TableHashes returns the content hashes of the tables, in order.
	TableHashes(ctx context.Context, tables []string) ([]TableHash, error)
	// EnsureLogKey makes the log's key if the log has none yet.
	EnsureLogKey(ctx context.Context, origin string) error
	// AppendAudit signs r with the log's key (made on first use, named
	// origin, "" for the default) and appends it to the log as the next
	// leaf; r.Index and r.At are set here.
	AppendAudit(ctx context.Context, origin string, r AuditRecord) (AuditRecord, error)
	// AuditRecords returns every audit record, oldest first, each checked
	// against the log's key.
	AuditRecords(ctx context.Context) ([]AuditRecord, error)
}

-- nadra schema, version 12: the audit trail (issue 12). Each write to the
-- registry is recorded as a leaf of the ledger's tree: a note signed by
-- the log's key, whose index is shared with ledger_entries (a leaf is an
-- entry or an audit record, never both). Records are never changed or
-- deleted; a rewritten row no longer matches the co-signed checkpoints.
CREATE TABLE audit_records (
	idx   INTEGER PRIMARY KEY, -- the leaf's index in the ledger's tree
	at    TEXT NOT NULL,       -- RFC 3339, UTC
	who   TEXT NOT NULL,
	route TEXT NOT NULL,
	note  BLOB NOT NULL        -- the signed record (ledger.SignAudit)
);
CREATE TRIGGER audit_records_no_update BEFORE UPDATE ON audit_records BEGIN SELECT RAISE(ABORT, 'audit records are never changed'); END;
CREATE TRIGGER audit_records_no_delete BEFORE DELETE ON audit_records BEGIN SELECT RAISE(ABORT, 'audit records are never deleted'); END;

-- nadra schema, version 12: the audit trail (issue 12). Each write to the
-- registry is recorded as a leaf of the ledger's tree: a note signed by
-- the log's key, whose index is shared with ledger_entries (a leaf is an
-- entry or an audit record, never both). Records are never changed or
-- deleted; a rewritten row no longer matches the co-signed checkpoints.
CREATE TABLE audit_records (
	idx   BIGINT PRIMARY KEY, -- the leaf's index in the ledger's tree
	at    TIMESTAMPTZ NOT NULL,
	who   TEXT NOT NULL,
	route TEXT NOT NULL,
	note  BYTEA NOT NULL      -- the signed record (ledger.SignAudit)
);
CREATE TRIGGER audit_records_no_update BEFORE UPDATE ON audit_records EXECUTE FUNCTION nadra_refuse('audit records are never changed');
CREATE TRIGGER audit_records_no_delete BEFORE DELETE OR TRUNCATE ON audit_records EXECUTE FUNCTION nadra_refuse('audit records are never deleted');

-- nadra schema, version 11: API tokens for shared deployments (issue 12).
-- Only the SHA-256 of each token's secret is stored. A token is revoked,
-- never deleted, so that the record of who held which role stays.
CREATE TABLE tokens (
	id         TEXT PRIMARY KEY,      -- tok_ and 12 hex digits
	user       TEXT NOT NULL,
	role       TEXT NOT NULL CHECK (role IN ('viewer', 'analyst', 'editor', 'party', 'auditor', 'admin')),
	party      TEXT NOT NULL,         -- US or UA for a party token, else ''
	hash       BLOB NOT NULL UNIQUE,  -- SHA-256 of the secret
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL,         -- RFC 3339, UTC
	expires_at TEXT NOT NULL,
	revoked_at TEXT                   -- NULL while in force
);
CREATE TRIGGER tokens_no_delete BEFORE DELETE ON tokens BEGIN SELECT RAISE(ABORT, 'tokens are revoked, never deleted'); END;

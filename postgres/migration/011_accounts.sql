-- nadra schema, version 11: API tokens for shared deployments (issue 12),
-- as sqlite's 011. Only the SHA-256 of each token's secret is stored. A
-- token is revoked, never deleted, so that the record of who held which
-- role stays.
CREATE TABLE tokens (
	id         text COLLATE "C" PRIMARY KEY, -- tok_ and 12 hex digits
	"user"     text COLLATE "C" NOT NULL,
	role       text NOT NULL CHECK (role IN ('viewer', 'analyst', 'editor', 'party', 'auditor', 'admin')),
	party      text NOT NULL,                -- US or UA for a party token, else ''
	hash       bytea NOT NULL UNIQUE,        -- SHA-256 of the secret
	created_by text NOT NULL,
	created_at timestamptz NOT NULL,
	expires_at timestamptz NOT NULL,
	revoked_at timestamptz                   -- NULL while in force
);
CREATE TRIGGER tokens_no_delete BEFORE DELETE OR TRUNCATE ON tokens EXECUTE FUNCTION nadra_refuse('tokens are revoked, never deleted');

-- nadra schema, version 5: the ledger (issue 10), an append-only log of
-- signed entries with an RFC 6962 Merkle tree over them, and checkpoints
-- signed by the log and co-signed by the parties. Nothing here is ever
-- updated or deleted: the triggers below refuse it, so that no code path,
-- nor a mistaken SQL statement, can rewrite the record. A correction is a
-- new entry.

-- Public keys of the log, the parties and auditors (note verifier keys).
CREATE TABLE ledger_keys (
	name     TEXT PRIMARY KEY, -- US, UA, an auditor's name, or the log's origin
	role     TEXT NOT NULL CHECK (role IN ('log', 'party', 'auditor')),
	key      TEXT NOT NULL UNIQUE,
	added_at TEXT NOT NULL
);

-- The log's own signing key, made on first use. Whoever holds the database
-- holds it; the parties' co-signatures are what make a checkpoint binding.
CREATE TABLE ledger_log_key (
	id          INTEGER PRIMARY KEY CHECK (id = 1),
	private_key TEXT NOT NULL
);

-- One row per leaf, numbered from 0 without gaps.
CREATE TABLE ledger_entries (
	idx      INTEGER PRIMARY KEY,
	id       TEXT NOT NULL UNIQUE, -- the idempotency key
	party    TEXT NOT NULL,
	kind     TEXT NOT NULL,
	date     TEXT NOT NULL,
	period   TEXT NOT NULL,
	licence  TEXT NOT NULL,        -- '' when none
	corrects TEXT NOT NULL,        -- '' when none
	note     BLOB NOT NULL,        -- the signed note as posted: the leaf's data
	added_at TEXT NOT NULL
);
CREATE INDEX ledger_entries_licence ON ledger_entries (licence);

-- The tree's stored hashes, by tlog's stored hash index
-- (golang.org/x/mod/sumdb/tlog StoredHashIndex).
CREATE TABLE ledger_hashes (
	idx  INTEGER PRIMARY KEY,
	hash BLOB NOT NULL
);

-- Checkpoints as the log signed them.
CREATE TABLE ledger_checkpoints (
	id         INTEGER PRIMARY KEY,
	size       INTEGER NOT NULL,
	root       BLOB NOT NULL,
	note       BLOB NOT NULL,
	created_at TEXT NOT NULL
);

-- Co-signatures: one signature line per checkpoint and key.
CREATE TABLE ledger_cosignatures (
	checkpoint_id INTEGER NOT NULL REFERENCES ledger_checkpoints (id),
	name          TEXT NOT NULL,
	line          TEXT NOT NULL, -- "— name base64", as in the note
	added_at      TEXT NOT NULL,
	PRIMARY KEY (checkpoint_id, name)
);

CREATE TRIGGER ledger_keys_no_update BEFORE UPDATE ON ledger_keys BEGIN SELECT RAISE(ABORT, 'ledger keys are never changed'); END;
CREATE TRIGGER ledger_keys_no_delete BEFORE DELETE ON ledger_keys BEGIN SELECT RAISE(ABORT, 'ledger keys are never deleted'); END;
CREATE TRIGGER ledger_log_key_no_update BEFORE UPDATE ON ledger_log_key BEGIN SELECT RAISE(ABORT, 'the log key is never changed'); END;
CREATE TRIGGER ledger_log_key_no_delete BEFORE DELETE ON ledger_log_key BEGIN SELECT RAISE(ABORT, 'the log key is never deleted'); END;
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries BEGIN SELECT RAISE(ABORT, 'ledger entries are never updated; post a correction'); END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries BEGIN SELECT RAISE(ABORT, 'ledger entries are never deleted; post a correction'); END;
CREATE TRIGGER ledger_hashes_no_update BEFORE UPDATE ON ledger_hashes BEGIN SELECT RAISE(ABORT, 'the tree is append-only'); END;
CREATE TRIGGER ledger_hashes_no_delete BEFORE DELETE ON ledger_hashes BEGIN SELECT RAISE(ABORT, 'the tree is append-only'); END;
CREATE TRIGGER ledger_checkpoints_no_update BEFORE UPDATE ON ledger_checkpoints BEGIN SELECT RAISE(ABORT, 'checkpoints are never changed'); END;
CREATE TRIGGER ledger_checkpoints_no_delete BEFORE DELETE ON ledger_checkpoints BEGIN SELECT RAISE(ABORT, 'checkpoints are never deleted'); END;
CREATE TRIGGER ledger_cosignatures_no_update BEFORE UPDATE ON ledger_cosignatures BEGIN SELECT RAISE(ABORT, 'co-signatures are never changed'); END;
CREATE TRIGGER ledger_cosignatures_no_delete BEFORE DELETE ON ledger_cosignatures BEGIN SELECT RAISE(ABORT, 'co-signatures are never deleted'); END;

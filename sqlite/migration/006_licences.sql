-- nadra schema, version 6: the licence register (issue 10, part 1). One
-- row per special permit or production-sharing agreement, linked to the
-- registry deposit it covers. The embedded dataset ships licences and the
-- user imports them; sqlite/seed.go merges the two like deposits.
CREATE TABLE licences (
	id                 TEXT PRIMARY KEY,
	kind               TEXT    NOT NULL,  -- special_permit, psa
	holder             TEXT    NOT NULL,
	-- The deposit it covers; NULL when the site is not in the registry. A
	-- deposit a licence refers to cannot be deleted.
	deposit_id         TEXT    REFERENCES deposits (id),
	minerals           TEXT    NOT NULL,  -- JSON array of commodity codes, in the order given
	granted            TEXT    NOT NULL,  -- YYYY, YYYY-MM or YYYY-MM-DD; '' when not granted or unknown
	term_years         INTEGER,           -- NULL when unknown
	status             TEXT    NOT NULL,  -- tendered … expired; '' when unknown
	ended              TEXT    NOT NULL,  -- as granted; '' when not ended or unknown
	renewal            INTEGER NOT NULL,  -- 1: a renewal or extension of an earlier licence
	developed_at_entry INTEGER,           -- 1/0: the site was developed when the agreement came into force; NULL unknown
	note               TEXT    NOT NULL,
	sources            TEXT    NOT NULL,  -- JSON array
	import_id          INTEGER NOT NULL REFERENCES imports (id),
	updated_at         TEXT    NOT NULL   -- RFC 3339, UTC
);
CREATE INDEX licences_deposit ON licences (deposit_id);

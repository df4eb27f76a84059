-- nadra schema, version 10: the catalog (issue 12). Deal terms and named
-- scenarios, seeded from the embedded dataset like the registry (rows the
-- user imported with `nadra import terms` or `nadra import scenarios` are
-- never overwritten) and read by the server from here.

-- One row per deal's terms. doc holds every term with its value, source
-- and note (nadra.EncodeTerms); the columns before it repeat what people
-- query by.
CREATE TABLE deal_terms (
	id         TEXT    PRIMARY KEY,
	name       TEXT    NOT NULL,
	status     TEXT    NOT NULL,  -- signed, draft, user
	date       TEXT    NOT NULL,  -- of the text: YYYY, YYYY-MM or YYYY-MM-DD
	doc        TEXT    NOT NULL,  -- JSON
	import_id  INTEGER NOT NULL REFERENCES imports (id),
	updated_at TEXT    NOT NULL
);

-- Named scenarios, in position order: the dataset's file order, then the
-- user's in the order first imported.
CREATE TABLE scenarios (
	id         TEXT    PRIMARY KEY,
	position   INTEGER NOT NULL,
	name       TEXT    NOT NULL,
	expression TEXT    NOT NULL,
	sources    TEXT    NOT NULL,  -- JSON array of strings
	note       TEXT    NOT NULL,
	import_id  INTEGER NOT NULL REFERENCES imports (id),
	updated_at TEXT    NOT NULL
);

-- nadra schema on PostgreSQL, version 10: the catalog (issue 12), as in
-- sqlite/migration/010_catalog.sql. Deal terms and named scenarios, seeded
-- from the embedded dataset like the registry (rows the user imported
-- with `nadra import terms` or `nadra import scenarios` are never
-- overwritten) and read by the server from here.

-- One row per deal's terms. doc holds every term with its value, source
-- and note (nadra.EncodeTerms); the columns before it repeat what people
-- query by.
CREATE TABLE deal_terms (
	id         text COLLATE "C" PRIMARY KEY,
	name       text   NOT NULL,
	status     text   NOT NULL,  -- signed, draft, user
	date       text   NOT NULL,  -- of the text: YYYY, YYYY-MM or YYYY-MM-DD
	doc        jsonb  NOT NULL,
	import_id  bigint NOT NULL REFERENCES imports (id),
	updated_at timestamptz NOT NULL
);

-- Named scenarios, in position order: the dataset's file order, then the
-- user's in the order first imported.
CREATE TABLE scenarios (
	id         text COLLATE "C" PRIMARY KEY,
	position   integer NOT NULL,
	name       text    NOT NULL,
	expression text    NOT NULL,
	sources    text[]  NOT NULL,
	note       text    NOT NULL,
	import_id  bigint  NOT NULL REFERENCES imports (id),
	updated_at timestamptz NOT NULL
);

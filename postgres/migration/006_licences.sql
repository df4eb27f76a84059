-- nadra schema, version 6: the licence register (issue 10, part 1), as
-- sqlite's 006. One row per special permit or production-sharing
-- agreement, linked to the registry deposit it covers.
CREATE TABLE licences (
	id                 text COLLATE "C" PRIMARY KEY,
	kind               text    NOT NULL,  -- special_permit, psa
	holder             text    NOT NULL,
	-- The deposit it covers; NULL when the site is not in the registry. A
	-- deposit a licence refers to cannot be deleted.
	deposit_id         text COLLATE "C" REFERENCES deposits (id),
	minerals           text[]  NOT NULL,  -- commodity codes, in the order given
	granted            text    NOT NULL,  -- YYYY, YYYY-MM or YYYY-MM-DD; '' when not granted or unknown
	term_years         integer,           -- NULL when unknown
	status             text    NOT NULL,  -- tendered … expired; '' when unknown
	ended              text    NOT NULL,  -- as granted; '' when not ended or unknown
	renewal            boolean NOT NULL,  -- a renewal or extension of an earlier licence
	developed_at_entry boolean,           -- the site was developed when the agreement came into force; NULL unknown
	note               text    NOT NULL,
	sources            text[]  NOT NULL,
	import_id          bigint  NOT NULL REFERENCES imports (id),
	updated_at         timestamptz NOT NULL
);
CREATE INDEX licences_deposit ON licences (deposit_id);

-- nadra schema, version 4: what the embedded dataset last said of each row
-- it ships, the merge base of an upgrade (internal/seedmerge). As sqlite's
-- 004.
CREATE TABLE dataset_rows (
	kind   text COLLATE "C" NOT NULL, -- deposit, estimate, licence, snapshot, production
	key    text COLLATE "C" NOT NULL, -- the row's key in its table
	sha256 text NOT NULL,             -- of the dataset's value (internal/seedmerge)
	PRIMARY KEY (kind, key)
);

-- nadra schema, version 4: what the embedded dataset last said of each row
-- it ships, the merge base of an upgrade (issue 9; sqlite/seed.go).
--
-- A row whose import is of kind 'dataset' is as the dataset wrote it; any
-- other import means the user imported or changed it, and a dataset import
-- leaves it alone. If the dataset's value for such a row differs from the
-- base, the dataset has changed it too: a conflict, for `nadra dataset` to
-- settle. A database from before this migration starts with no base: a
-- row the user changed that differs from the dataset is then a conflict.
CREATE TABLE dataset_rows (
	kind   TEXT NOT NULL, -- deposit, estimate, snapshot, production
	key    TEXT NOT NULL, -- the row's key in its table
	sha256 TEXT NOT NULL, -- of the dataset's value (sqlite/seed.go, canonical)
	PRIMARY KEY (kind, key)
);

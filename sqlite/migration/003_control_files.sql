-- Control files already imported, by content hash, so a directory or a
-- DeepState fetch skips what it has seen. source is the URL a fetched
-- snapshot came from.
CREATE TABLE control_files (
	sha256    TEXT PRIMARY KEY,
	file      TEXT NOT NULL,
	source    TEXT NOT NULL,
	date      TEXT NOT NULL,
	import_id INTEGER -- NULL when the file changed nothing
);
CREATE INDEX control_files_source ON control_files (source);

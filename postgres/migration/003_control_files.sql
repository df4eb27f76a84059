-- Control files already imported, by content hash, so a directory or a
-- DeepState fetch skips what it has seen. source is the URL a fetched
-- snapshot came from. As sqlite's 003.
CREATE TABLE control_files (
	sha256    text COLLATE "C" PRIMARY KEY,
	file      text NOT NULL,
	source    text NOT NULL,
	date      date NOT NULL,
	import_id bigint -- NULL when the file changed nothing
);
CREATE INDEX control_files_source ON control_files (source);

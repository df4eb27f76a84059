-- nadra schema, version 1. Migrations run in lexical order, each in one
-- transaction, and are recorded in the migrations table.

-- Every import, including seeding from the embedded dataset, for provenance.
CREATE TABLE imports (
	id         INTEGER PRIMARY KEY,
	kind       TEXT    NOT NULL, -- dataset, deposits, estimates, control
	file       TEXT    NOT NULL, -- the path the user gave, or "embedded"
	sha256     TEXT    NOT NULL, -- of the file's bytes
	inserted   INTEGER NOT NULL,
	updated    INTEGER NOT NULL,
	unchanged  INTEGER NOT NULL,
	created_at TEXT    NOT NULL  -- RFC 3339, UTC
);

-- Key-value settings, e.g. the version of the seeded dataset.
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE commodities (
	code             TEXT PRIMARY KEY,
	name             TEXT    NOT NULL,
	basis            TEXT    NOT NULL,
	price_usd_per_t  REAL,             -- NULL: unknown, never 0
	price_year       INTEGER,
	price_source     TEXT    NOT NULL,
	us_critical_2025 INTEGER NOT NULL,
	eu_critical_2023 INTEGER NOT NULL,
	lists_source     TEXT    NOT NULL,
	import_id        INTEGER NOT NULL REFERENCES imports (id)
);

CREATE TABLE deposits (
	id           TEXT PRIMARY KEY,
	name         TEXT NOT NULL,
	name_uk      TEXT NOT NULL,
	oblast       TEXT NOT NULL,
	lat          REAL,                 -- NULL together with lon: no location
	lon          REAL,
	precision_km REAL,
	stage        TEXT NOT NULL,        -- '' when unknown
	coords_note  TEXT NOT NULL,
	note         TEXT NOT NULL,
	commodities  TEXT NOT NULL,        -- JSON array, in the order given
	sources      TEXT NOT NULL,        -- JSON array
	import_id    INTEGER NOT NULL REFERENCES imports (id),
	updated_at   TEXT NOT NULL,
	CHECK ((lat IS NULL) = (lon IS NULL))
);

-- One row per deposit and commodity, for filtering by commodity.
CREATE TABLE deposit_commodities (
	deposit_id TEXT NOT NULL REFERENCES deposits (id) ON DELETE CASCADE,
	commodity  TEXT NOT NULL REFERENCES commodities (code),
	PRIMARY KEY (deposit_id, commodity)
);
CREATE INDEX deposit_commodities_commodity ON deposit_commodities (commodity);

-- What each import did to each deposit.
CREATE TABLE deposit_changes (
	import_id  INTEGER NOT NULL REFERENCES imports (id),
	deposit_id TEXT    NOT NULL,
	action     TEXT    NOT NULL, -- inserted, updated
	PRIMARY KEY (import_id, deposit_id)
);

CREATE TABLE estimates (
	id          INTEGER PRIMARY KEY,
	key         TEXT    NOT NULL UNIQUE, -- dataset.EstimateKey
	deposit_id  TEXT    NOT NULL REFERENCES deposits (id) ON DELETE CASCADE,
	commodity   TEXT    NOT NULL REFERENCES commodities (code),
	ore_mt      REAL,
	grade       REAL,
	grade_unit  TEXT    NOT NULL,
	contained_t REAL,
	basis       TEXT    NOT NULL,
	category    TEXT    NOT NULL,
	year        INTEGER,
	note        TEXT    NOT NULL,
	source      TEXT    NOT NULL, -- JSON array
	import_id   INTEGER NOT NULL REFERENCES imports (id)
);
CREATE INDEX estimates_deposit ON estimates (deposit_id);

-- Control snapshots: three disjoint layers as WKB multipolygons.
CREATE TABLE snapshots (
	date         TEXT PRIMARY KEY, -- YYYY-MM-DD
	source       TEXT    NOT NULL,
	grey_known   INTEGER NOT NULL,
	occupied     BLOB    NOT NULL,
	pre2022      BLOB    NOT NULL,
	grey         BLOB    NOT NULL,
	occupied_km2 REAL    NOT NULL, -- occupied + pre2022, equal-area
	grey_km2     REAL,             -- NULL when the grey zone is unknown
	sha256       TEXT    NOT NULL, -- of the geometry as stored
	import_id    INTEGER NOT NULL REFERENCES imports (id)
);

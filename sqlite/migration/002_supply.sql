-- nadra schema, version 2: supply data (issue 4). Sources are JSON arrays
-- of "URL or document (date)" strings, as in the registry tables.

-- What each commodity and stage's production rows count.
CREATE TABLE supply_series (
	commodity TEXT NOT NULL,
	stage     TEXT NOT NULL,         -- mine, refining
	name      TEXT NOT NULL,
	registry  TEXT NOT NULL,         -- commodities.code, '' when none
	unit      TEXT NOT NULL,         -- 'pct of world' for share-only series
	basis     TEXT NOT NULL,         -- '' when deposit quantities do not convert
	per_tonne REAL,                  -- units per tonne of basis; NULL with no basis
	note      TEXT NOT NULL,
	import_id INTEGER NOT NULL REFERENCES imports (id),
	PRIMARY KEY (commodity, stage)
);

-- World production tables: one row per commodity, stage, product, country
-- and year. country is ISO 3166-1 alpha-2, 'other' or 'world'.
CREATE TABLE production (
	id        INTEGER PRIMARY KEY,
	commodity TEXT    NOT NULL,
	stage     TEXT    NOT NULL,
	product   TEXT    NOT NULL,      -- '' for the commodity as a whole
	country   TEXT    NOT NULL,
	year      INTEGER NOT NULL,
	quantity  REAL,                  -- NULL: withheld, not available or share-only; never 0 for unknown
	share_pct REAL,                  -- published share, share-only series only
	estimated INTEGER NOT NULL,
	note      TEXT    NOT NULL,
	source    TEXT    NOT NULL,      -- JSON array
	import_id INTEGER NOT NULL REFERENCES imports (id),
	UNIQUE (commodity, stage, product, country, year),
	FOREIGN KEY (commodity, stage) REFERENCES supply_series (commodity, stage),
	CHECK (quantity IS NULL OR share_pct IS NULL)
);
CREATE INDEX production_series_year ON production (commodity, stage, year);

-- The reference tables below come from the embedded dataset only and are
-- replaced whole on each seed.
CREATE TABLE reserves (
	id        INTEGER PRIMARY KEY,
	commodity TEXT    NOT NULL,
	product   TEXT    NOT NULL,
	country   TEXT    NOT NULL,
	year      INTEGER NOT NULL,
	quantity  REAL,
	unit      TEXT    NOT NULL,
	note      TEXT    NOT NULL,
	source    TEXT    NOT NULL,
	import_id INTEGER NOT NULL REFERENCES imports (id)
);

-- US net import reliance (USGS), percent of apparent consumption.
CREATE TABLE import_reliance (
	commodity TEXT    NOT NULL,
	stage     TEXT    NOT NULL,
	year      INTEGER NOT NULL,
	percent   REAL,                  -- NULL for a net exporter
	bound     TEXT    NOT NULL,      -- '', '>', '<', 'E'
	note      TEXT    NOT NULL,
	source    TEXT    NOT NULL,
	import_id INTEGER NOT NULL REFERENCES imports (id),
	PRIMARY KEY (commodity, stage, year)
);

-- World Bank Worldwide Governance Indicators: six estimates per country and year.
CREATE TABLE governance (
	country       TEXT    NOT NULL,
	year          INTEGER NOT NULL,
	voice         REAL    NOT NULL,
	stability     REAL    NOT NULL,
	effectiveness REAL    NOT NULL,
	regulatory    REAL    NOT NULL,
	rule_of_law   REAL    NOT NULL,
	corruption    REAL    NOT NULL,
	source        TEXT    NOT NULL,
	import_id     INTEGER NOT NULL REFERENCES imports (id),
	PRIMARY KEY (country, year)
);

-- The EU 2023 criticality assessment, as far as found.
CREATE TABLE eu_assessment (
	commodity            TEXT PRIMARY KEY,
	eol_rir_pct          REAL,
	sr                   REAL,
	ei                   REAL,
	si_sr                REAL,
	major_supplier       TEXT NOT NULL,
	major_supplier_stage TEXT NOT NULL,
	major_supplier_pct   REAL,
	note                 TEXT NOT NULL,
	source               TEXT NOT NULL,
	import_id            INTEGER NOT NULL REFERENCES imports (id)
);

CREATE TABLE countries (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL
);

-- National figures not on a world table's basis (context only).
CREATE TABLE national_production (
	id        INTEGER PRIMARY KEY,
	country   TEXT    NOT NULL,
	commodity TEXT    NOT NULL,
	product   TEXT    NOT NULL,
	year      INTEGER NOT NULL,
	quantity  REAL    NOT NULL,
	unit      TEXT    NOT NULL,
	note      TEXT    NOT NULL,
	source    TEXT    NOT NULL,
	import_id INTEGER NOT NULL REFERENCES imports (id)
);

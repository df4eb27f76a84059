-- nadra schema, version 9: the front-line watch (issue 13). Watches on a
-- deposit, a licence, a commodity or an oblast; the events new control
-- snapshots fire for them; the webhook deliveries of those events with
-- every attempt; and the background fetches of new snapshots. Webhook
-- URLs and secrets are user data: stored here, never logged in full.
CREATE TABLE watches (
	id                    INTEGER PRIMARY KEY,
	kind                  TEXT    NOT NULL,  -- deposit, licence, commodity, oblast
	target                TEXT    NOT NULL,  -- deposit or licence id, commodity code, oblast code
	within_km             REAL,              -- NULL: no radius
	status_change         INTEGER NOT NULL,  -- 1: fire on a change of status
	approach_km_per_month REAL,              -- NULL: no rate
	since                 TEXT    NOT NULL,  -- the latest snapshot when added; '' when there was none
	note                  TEXT    NOT NULL,
	webhook_url           TEXT,              -- NULL: no webhook
	webhook_secret        BLOB,              -- HMAC-SHA256 key, with the URL
	created_at            TEXT    NOT NULL,  -- RFC 3339, UTC
	CHECK ((webhook_url IS NULL) = (webhook_secret IS NULL))
);

-- Events stay when their watch is removed: they are a record. One event
-- per watch, deposit, snapshot date and kind, so that checking the same
-- snapshots again fires nothing twice.
CREATE TABLE watch_events (
	id                    INTEGER PRIMARY KEY,
	watch_id              INTEGER NOT NULL,
	kind                  TEXT    NOT NULL,  -- within, status, approach
	deposit_id            TEXT    NOT NULL,
	name                  TEXT    NOT NULL,
	licence_id            TEXT    NOT NULL,  -- '' unless the watch is on a licence
	date                  TEXT    NOT NULL,  -- the snapshot that fired it
	prev                  TEXT    NOT NULL,  -- the snapshot before; '' when none
	status                TEXT    NOT NULL,
	prev_status           TEXT    NOT NULL,
	distance_km           REAL    NOT NULL,  -- from the uncertainty circle
	prev_distance_km      REAL    NOT NULL,
	approach_km_per_month REAL,
	threshold             REAL,
	message               TEXT    NOT NULL,
	created_at            TEXT    NOT NULL,
	UNIQUE (watch_id, deposit_id, date, kind)
);
CREATE INDEX watch_events_watch ON watch_events (watch_id);

-- One delivery per event and webhook; the URL and secret are the watch's
-- when the event fired, so removing the watch does not lose a delivery
-- in flight.
CREATE TABLE webhook_deliveries (
	id         INTEGER PRIMARY KEY,
	event_id   INTEGER NOT NULL REFERENCES watch_events (id),
	watch_id   INTEGER NOT NULL,
	url        TEXT    NOT NULL,
	secret     BLOB    NOT NULL,
	state      TEXT    NOT NULL,  -- pending, delivered, failed
	attempts   INTEGER NOT NULL,
	next_at    TEXT    NOT NULL,  -- RFC 3339, UTC; when pending, the next attempt is due
	UNIQUE (event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_at);

CREATE TABLE webhook_attempts (
	delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries (id),
	attempt     INTEGER NOT NULL,
	at          TEXT    NOT NULL,
	status_code INTEGER NOT NULL,  -- 0: no response
	error       TEXT    NOT NULL,  -- never the URL in full
	duration_ms INTEGER NOT NULL,
	PRIMARY KEY (delivery_id, attempt)
);

-- Background fetches of new snapshots (nadra serve --fetch-every).
CREATE TABLE fetch_runs (
	id          INTEGER PRIMARY KEY,
	source      TEXT    NOT NULL,
	started_at  TEXT    NOT NULL,
	finished_at TEXT    NOT NULL,
	ok          INTEGER NOT NULL,
	imported    INTEGER NOT NULL,
	skipped     INTEGER NOT NULL,
	failed      INTEGER NOT NULL,
	events      INTEGER NOT NULL,
	error       TEXT    NOT NULL,
	latest      TEXT    NOT NULL
);

-- The feed's permanent id (watch.FeedID), random per database.
INSERT INTO meta (key, value) VALUES ('feed_key', lower(hex(randomblob(16))));

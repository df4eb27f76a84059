#!/usr/bin/env bash
# bench/featureserv.sh: nadra serve against CrunchyData's pg_featureserv on
# the same PostGIS database, serving the same deposits and oblasts (issue
# 12, "Speed"). Not a test: CI does not run it (it takes about 5 minutes).
#
#   bash bench/featureserv.sh                       # 50 clients, 5 s turns, 3 turns each
#   CLIENTS=50 DUR=10s ROUNDS=3 bash bench/featureserv.sh
#
# What it does, in a temporary folder that it removes at the end (Ctrl-C
# included), with every server on a free port of 127.0.0.1:
#  1. builds nadra and bench/load, and pg_featureserv v1.3.1 from the Go
#     module proxy (go mod download in a throwaway module, then go build in
#     a copy of the module: `go install …@v1.3.1` and @latest are refused
#     there, because the proxy lists no versions of it);
#  2. starts a throwaway PostgreSQL 15 + PostGIS 3 cluster
#     (.ci/postgres.sh, which installs them from Debian if missing) and runs
#     nadra migrate --db postgres://… on it;
#  3. starts nadra serve --db postgres://… and copies what its OGC API
#     serves into tables of the same database, schema featureserv, for
#     pg_featureserv: a deposit's point is taken from nadra's own deposits
#     table, its properties (status, distance, in-situ value on the latest
#     snapshot: nadra computes them) from nadra's answer; the oblasts'
#     outlines (embedded in nadra, not in the database) from its answer;
#     checks that these tables hold the same ids and points as nadra's
#     deposits table;
#  4. starts pg_featureserv on those tables (default and largest page 100
#     and 1000, as nadra's; a pool of FS_POOL=16 connections, more than its
#     default of 4, which was slower here);
#  5. go run ./bench/load -featureserv: checks that both answer every
#     query with the same features (ids and count), properties and
#     coordinates, plain and gzip, then loads each query on each server in
#     turns, A B A B A B, with CLIENTS keep-alive clients for DUR a turn,
#     and prints a markdown table: requests per second, p50 and p99
#     latency, bytes per response, and the ratio nadra ÷ pg_featureserv.
#
# The queries: deposits/items?limit=100; a bbox over eastern Ukraine; one
# deposit by id (every id in turn); oblasts/items. Each without and with
# Accept-Encoding: gzip. The load generator runs on the same machine:
# on 2 cores it takes a good share of them, the same for both servers.
# The figures depend on the machine's load; the script prints the load
# average before and after.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
CLIENTS=${CLIENTS:-50}
DUR=${DUR:-5s}
ROUNDS=${ROUNDS:-3}
FS_POOL=${FS_POOL:-16}
FS_MODULE=github.com/CrunchyData/pg_featureserv
FS_VERSION=v1.3.1

die() { echo "bench/featureserv.sh: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "$1 not found: $2"; }
need go "install Go 1.26 (https://go.dev/doc/install)"
need curl "apt-get install curl"
need python3 "apt-get install python3 (.ci/postgres.sh and this script pick free ports with it)"

WORK=$(mktemp -d /tmp/nadra-featureserv.XXXXXX)
chmod 755 "$WORK" # the cluster runs as the postgres user when we are root
export NADRA_PG_DIR="$WORK/pg"
PIDS=()
cleanup() {
	local p
	for p in ${PIDS[@]+"${PIDS[@]}"}; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	if [ -d "$NADRA_PG_DIR" ]; then
		bash .ci/postgres.sh stop >/dev/null 2>&1 || true
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

freeport() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# wait_http URL PID LOG: until URL answers 200, the process PID dies, or
# 120 s pass.
wait_http() {
	local i
	for i in $(seq 1 240); do
		if curl -fsS -o /dev/null "$1" 2>/dev/null; then
			return 0
		fi
		if ! kill -0 "$2" 2>/dev/null; then
			tail -20 "$3" >&2
			die "the server for $1 stopped (log above)"
		fi
		sleep 0.5
	done
	tail -20 "$3" >&2
	die "$1 did not answer within 120 s (log above)"
}

echo "== $(date -u +%FT%TZ), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), $(go version)"
echo "== building nadra and bench/load"
go build -o "$WORK/nadra" ./cmd/nadra
go build -o "$WORK/load" ./bench/load

echo "== building pg_featureserv $FS_VERSION from the Go module proxy"
mkdir "$WORK/fsmod"
(cd "$WORK/fsmod" && go mod init featureserv-bench >/dev/null 2>&1 &&
	go mod download -json "$FS_MODULE@$FS_VERSION" >"$WORK/fsmod/download.json") ||
	die "go mod download $FS_MODULE@$FS_VERSION failed (no network to the module proxy? GOPROXY=$(go env GOPROXY))"
FS_DIR=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["Dir"])' "$WORK/fsmod/download.json")
cp -r "$FS_DIR" "$WORK/fs-src"
chmod -R u+w "$WORK/fs-src"
(cd "$WORK/fs-src" && go build -o "$WORK/pg_featureserv" .) || die "building pg_featureserv $FS_VERSION failed"

echo "== PostgreSQL and PostGIS: a throwaway cluster (.ci/postgres.sh)"
eval "$(bash .ci/postgres.sh start)"
DB=$NADRA_TEST_POSTGRES
need psql "apt-get install postgresql-client-15"

echo "== nadra migrate --db $DB"
"$WORK/nadra" migrate --db "$DB"
psql "$DB" -X -A -t -c "SELECT split_part(version(), ',', 1) || ', PostGIS ' || postgis_lib_version()"

NPORT=$(freeport)
NADRA=http://127.0.0.1:$NPORT
"$WORK/nadra" serve --db "$DB" --addr "127.0.0.1:$NPORT" 2>"$WORK/nadra.log" &
PIDS+=($!)
wait_http "$NADRA/healthz" "$!" "$WORK/nadra.log"
echo "== nadra serve --db $DB: $NADRA (requests logged to a file, as to standard error)"

echo "== the same deposits and oblasts as tables for pg_featureserv (schema featureserv)"
curl -fsS "$NADRA/ogc/collections/deposits/items?limit=1000" -o "$WORK/deposits.json"
curl -fsS "$NADRA/ogc/collections/oblasts/items?limit=1000" -o "$WORK/oblasts.json"
psql "$DB" -X -q -v depfile="$WORK/deposits.json" -v oblfile="$WORK/oblasts.json" -f - <<'SQL'
-- A deposit's point is nadra's own stored one (public.deposits.geom, made
-- from lat and lon); its properties are those nadra's OGC API computes,
-- one column each, typed as its JSON types them. The oblasts' outlines
-- are not in the database (nadra embeds them): they come from its answer.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
\set dep `cat :'depfile'`
\set obl `cat :'oblfile'`
DROP SCHEMA IF EXISTS featureserv CASCADE;
CREATE SCHEMA featureserv;

CREATE TABLE featureserv.deposits AS
SELECT f->>'id' AS id,
	p->>'name' AS name, p->>'name_uk' AS name_uk, p->>'oblast' AS oblast, p->>'oblast_name' AS oblast_name,
	(p->>'precision_km')::float8 AS precision_km, p->>'commodities' AS commodities, p->>'stage' AS stage,
	p->>'date' AS date, p->>'snapshot' AS snapshot, p->>'status' AS status, p->>'since' AS since,
	(p->>'distance_km')::float8 AS distance_km, (p->>'uncertain')::boolean AS uncertain,
	(p->>'in_situ_usd')::float8 AS in_situ_usd, p->>'coords_note' AS coords_note, p->>'note' AS note,
	p->>'sources' AS sources,
	d.geom::geometry(Point, 4326) AS geom
FROM jsonb_array_elements(:'dep'::jsonb->'features') WITH ORDINALITY AS e(f, n)
CROSS JOIN LATERAL (SELECT f->'properties' AS p) AS pp
LEFT JOIN public.deposits d ON d.id = f->>'id'
ORDER BY n;
ALTER TABLE featureserv.deposits ADD PRIMARY KEY (id);
CREATE INDEX ON featureserv.deposits USING gist (geom);

CREATE TABLE featureserv.oblasts AS
SELECT f->>'id' AS id, p->>'iso' AS iso, p->>'name' AS name, (p->>'area_km2')::float8 AS area_km2,
	p->>'source' AS source,
	ST_SetSRID(ST_GeomFromGeoJSON(f->'geometry'), 4326)::geometry(MultiPolygon, 4326) AS geom
FROM jsonb_array_elements(:'obl'::jsonb->'features') WITH ORDINALITY AS e(f, n)
CROSS JOIN LATERAL (SELECT f->'properties' AS p) AS pp
ORDER BY n;
ALTER TABLE featureserv.oblasts ADD PRIMARY KEY (id);
CREATE INDEX ON featureserv.oblasts USING gist (geom);
ANALYZE featureserv.deposits, featureserv.oblasts;

-- The same deposits as nadra's table: the same ids, and each point where
-- nadra's table has it (none missing, none extra, none moved).
DO $$
DECLARE
	served int := (SELECT count(*) FROM featureserv.deposits);
	stored int := (SELECT count(*) FROM public.deposits);
	differing int := (SELECT count(*) FROM public.deposits d FULL JOIN featureserv.deposits f USING (id)
		WHERE d.id IS NULL OR f.id IS NULL
		OR (d.geom IS NULL) <> (f.geom IS NULL)
		OR ST_X(d.geom) <> ST_X(f.geom) OR ST_Y(d.geom) <> ST_Y(f.geom)
		OR ST_X(f.geom) <> d.lon OR ST_Y(f.geom) <> d.lat);
BEGIN
	IF served = 0 OR served <> stored OR differing > 0 THEN
		RAISE EXCEPTION 'featureserv.deposits has % rows, the deposits table %; % missing, extra or moved', served, stored, differing;
	END IF;
END $$;
SELECT (SELECT count(*) FROM featureserv.deposits) AS served, (SELECT count(*) FROM featureserv.oblasts) AS oblasts \gset
\echo 'featureserv.deposits:' :served 'rows, the ids and points of the deposits table; featureserv.oblasts:' :oblasts 'rows'
SQL

FPORT=$(freeport)
FS=http://127.0.0.1:$FPORT
cat >"$WORK/pg_featureserv.toml" <<TOML
[Server]
HttpHost = "127.0.0.1"
HttpPort = $FPORT
AssetsPath = "$WORK/fs-src/assets"
ReadTimeoutSec = 5
WriteTimeoutSec = 30
[Database]
TableIncludes = [ "featureserv" ]
DbPoolMaxConns = $FS_POOL
[Paging]
LimitDefault = 100
LimitMax = 1000
TOML
DATABASE_URL=$DB "$WORK/pg_featureserv" --config "$WORK/pg_featureserv.toml" >"$WORK/pg_featureserv.log" 2>&1 &
PIDS+=($!)
wait_http "$FS/collections/featureserv.deposits" "$!" "$WORK/pg_featureserv.log"
echo "== pg_featureserv $FS_VERSION: $FS (pool of $FS_POOL connections)"

echo "== load: $WORK/load -url $NADRA -featureserv $FS -c $CLIENTS -d $DUR -rounds $ROUNDS"
"$WORK/load" -url "$NADRA" -featureserv "$FS" -c "$CLIENTS" -d "$DUR" -rounds "$ROUNDS"

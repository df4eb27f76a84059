#!/usr/bin/env bash
# bench/postgis.sh: nadra against PostGIS on one job, in one run: classify
# 100,000 sites (uniform inside Ukraine's outline, fixed seed) against the 41
# raw monthly DeepState snapshots, count per snapshot the sites in occupied
# ground and in the grey zone, check both engines count the same, and print
# both times and the ratio.
#
#   bash bench/postgis.sh                  # N=100000 SEED=1 SHARED=../shared/data
#
# It installs PostgreSQL 15 and PostGIS 3 from Debian if they are missing,
# starts a throwaway cluster on a Unix socket in a temporary folder (no TCP),
# and removes it at the end. PostGIS is timed twice: with the snapshot layers
# as whole multipolygons under a GiST index, and subdivided with
# ST_Subdivide(geom, 256) (the usual advice for big polygons), both with
# ST_Covers (a point on an edge counts as inside, as in nadra). The ratio is
# taken against the faster. Timings are the best of 3 runs on each side;
# PostGIS's index builds are reported but not counted in its time, while
# nadra's time includes building its indexes.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
SHARED=${SHARED:-../shared/data}
N=${N:-100000}
SEED=${SEED:-1}
PGBIN=/usr/lib/postgresql/15/bin

if [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then
	echo "== installing PostgreSQL 15 and PostGIS 3 from Debian"
	apt-get update -qq || true
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 postgresql-15-postgis-3 >/dev/null
fi
if [ ! -d "$SHARED/geo/deepstate_raw_monthly" ]; then
	echo "bench/postgis.sh: $SHARED/geo/deepstate_raw_monthly not found; set SHARED" >&2
	exit 1
fi

WORK=$(mktemp -d /tmp/nadra-postgis.XXXXXX)
chmod 755 "$WORK"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop() {
	as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$WORK"
}
trap stop EXIT

echo "== nadra: preparing $N sites (seed $SEED) and the raw snapshots, then timing"
go run ./internal/benchclassify -shared "$SHARED" -out "$WORK" -n "$N" -seed "$SEED" -runs 3
chmod 644 "$WORK"/*.csv

echo "== PostGIS: throwaway cluster on the socket $WORK/sock"
mkdir "$WORK/pg" "$WORK/sock"
if [ "$(id -u)" = 0 ]; then chown postgres "$WORK/pg" "$WORK/sock"; fi
as_pg "$PGBIN/initdb" -D "$WORK/pg" -A trust -U postgres >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/log" -w \
	-o "-k $WORK/sock -c listen_addresses='' -c shared_buffers=512MB -c work_mem=256MB -c max_parallel_workers_per_gather=2 -c jit=off" start >/dev/null
PSQL=(psql -h "$WORK/sock" -U postgres -d postgres -X -q -v ON_ERROR_STOP=1)

t0=$(date +%s.%N)
"${PSQL[@]}" <<SQL
CREATE EXTENSION postgis;
CREATE TABLE sites (id int PRIMARY KEY, lon float8, lat float8);
\copy sites FROM '$WORK/sites.csv' CSV
ALTER TABLE sites ADD COLUMN geom geometry(Point);
UPDATE sites SET geom = ST_MakePoint(lon, lat);
CREATE TABLE layers (date text, class text, geom geometry);
\copy layers FROM '$WORK/layers.csv' CSV
SQL
t1=$(date +%s.%N)
"${PSQL[@]}" <<SQL
CREATE INDEX ON sites USING gist (geom);
CREATE INDEX ON layers USING gist (geom);
CREATE TABLE layers_sub AS SELECT date, class, ST_Subdivide(geom, 256) AS geom FROM layers;
CREATE INDEX ON layers_sub USING gist (geom);
VACUUM ANALYZE;
SQL
t2=$(date +%s.%N)
echo "PostGIS load $(python3 -c "print(round(($t1-$t0)*1000))") ms, index and subdivide $(python3 -c "print(round(($t2-$t1)*1000))") ms"

query() { # $1 = table
	cat <<SQL
SELECT date,
       count(DISTINCT id) FILTER (WHERE class IN ('occupied', 'occupied_pre2022')) AS occupied,
       count(DISTINCT id) FILTER (WHERE class = 'grey') AS grey
FROM (SELECT l.date, l.class, s.id FROM $1 l JOIN sites s ON ST_Covers(l.geom, s.geom)) x
GROUP BY date ORDER BY date;
SQL
}
best_ms() { # $1 = table; prints the best time of 3 and writes counts to $WORK/$1.csv
	local best=""
	for _ in 1 2 3; do
		local out
		out=$("${PSQL[@]}" -A -F, -t -c '\timing on' -c "$(query "$1")")
		echo "$out" | grep -v '^Time:' | grep -v '^$' >"$WORK/$1.csv"
		local ms
		ms=$(echo "$out" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1)
		if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $ms < $best else 1)"; then best=$ms; fi
	done
	echo "$best"
}
echo "== PostGIS: timing (best of 3)"
whole=$(best_ms layers)
sub=$(best_ms layers_sub)

python3 - "$WORK" "$whole" "$sub" <<'PY'
import csv, json, sys
work, whole, sub = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
nadra = json.load(open(f"{work}/nadra.json"))
mine = {c["date"]: (c["occupied"], c["grey"]) for c in nadra["counts"]}
ok = True
for table in ("layers", "layers_sub"):
    theirs = {r[0]: (int(r[1]), int(r[2])) for r in csv.reader(open(f"{work}/{table}.csv"))}
    dates = sorted(set(mine) | set(theirs))
    diff = [d for d in dates if mine.get(d) != theirs.get(d, (0, 0))]
    print(f"counts, nadra vs PostGIS ({table}): {len(dates)} snapshots, {len(diff)} differ")
    for d in diff[:10]:
        print(f"  {d}: nadra {mine.get(d)} PostGIS {theirs.get(d)}")
    ok = ok and not diff
first, last = min(mine), max(mine)
print(f"sites in occupied ground: {mine[first][0]} of {nadra['sites']} on {first}, {mine[last][0]} on {last}")
best = min(whole, sub)
t = nadra["total_ms"]
print(f"nadra:   {t:9.1f} ms  ({nadra['build_ms']:.1f} ms index + {nadra['classify_ms']:.1f} ms classify; {nadra['sites']} sites x {nadra['snapshots']} snapshots, {nadra['cpus']} CPUs)")
print(f"PostGIS: {whole:9.1f} ms  whole multipolygons, GiST, ST_Covers")
print(f"PostGIS: {sub:9.1f} ms  ST_Subdivide(256), GiST, ST_Covers")
print(f"ratio:   nadra is {best / t:.1f}x faster than the faster PostGIS variant (goal: 10x)")
print("result:  " + ("identical counts" if ok else "COUNTS DIFFER"))
sys.exit(0 if ok else 1)
PY

#!/usr/bin/env bash
# .ci/postgres.sh start|stop: a throwaway PostgreSQL 15 + PostGIS 3 cluster
# for the tests, on a free TCP port of 127.0.0.1, with trust
# authentication and fsync off (its data is thrown away).
#
#   eval "$(bash .ci/postgres.sh start)"   # prints export NADRA_TEST_POSTGRES=postgres://…
#   go test ./...                          # the PostgreSQL tests run too
#   bash .ci/postgres.sh stop
#
# It installs PostgreSQL 15 and PostGIS 3 from Debian when they are missing
# (as root). As root the cluster runs as the postgres user; otherwise as
# you. Each start makes its own directory (several clusters may run at
# once, one per checkout) and exports it as NADRA_PG_DIR, which stop reads;
# NADRA_PG_DIR set before start names the directory to use instead.
set -euo pipefail
PGBIN=/usr/lib/postgresql/15/bin
DIR=${NADRA_PG_DIR:-}

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
start)
	if [ -z "$DIR" ]; then
		DIR=$(mktemp -d /tmp/nadra-pgtest.XXXXXX)
	fi
	if [ ! -x "$PGBIN/initdb" ] || [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then
		if [ "$(id -u)" != 0 ]; then
			echo "postgres.sh: PostgreSQL 15 and PostGIS 3 are not installed; as root: apt-get install postgresql-15 postgresql-15-postgis-3" >&2
			exit 1
		fi
		echo "postgres.sh: installing PostgreSQL 15 and PostGIS 3 from Debian" >&2
		for i in $(seq 1 30); do
			if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 postgresql-15-postgis-3 >/dev/null; then
				break
			fi
			[ "$i" = 30 ] && { echo "postgres.sh: apt-get failed" >&2; exit 1; }
			echo "postgres.sh: apt-get: dpkg lock busy or mirror unreachable; retry $i in 10 s" >&2
			sleep 10
		done
	fi
	if [ -f "$DIR/data/postmaster.pid" ]; then
		as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
	fi
	rm -rf "$DIR"
	mkdir -p "$DIR"
	if [ "$(id -u)" = 0 ]; then chown postgres "$DIR"; fi
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	as_pg "$PGBIN/initdb" -D "$DIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
	as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w -t 120 \
		-o "-p $port -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
		start >/dev/null
	echo "export NADRA_PG_DIR=$DIR NADRA_TEST_POSTGRES=postgres://postgres@127.0.0.1:$port/postgres"
	;;
stop)
	if [ -z "$DIR" ]; then
		echo "postgres.sh: NADRA_PG_DIR is not set: run stop in the shell that ran eval \"\$(bash .ci/postgres.sh start)\"" >&2
		exit 1
	fi
	if [ -f "$DIR/data/postmaster.pid" ]; then
		as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null || true
	fi
	rm -rf "$DIR"
	;;
*)
	echo "usage: bash .ci/postgres.sh start|stop" >&2
	exit 2
	;;
esac

#!/usr/bin/env bash
# Times the ledger at scale (issue 10): durable appends of N signed entries
# to a real SQLite file in batched commits, an inclusion proof at N
# entries, and `ledger verify` of the N-entry export; and checks the root
# against transparency-dev/merkle. Goals on 2 cores: >= 20,000 appends/s,
# a proof under 1 ms, verify under 10 s at 1,000,000 entries.
#
#   bench/ledger.sh                 # 1,000,000 entries
#   N=100000 bench/ledger.sh
#
# Wall-clock times depend on the machine's load: run it on a quiet machine.
# Timing is never part of the tests. Needs about 2 GB of disk and 2 GB of
# memory at 1,000,000 entries.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000000}
BATCH=${BATCH:-10000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/ledgerbench" ./bench/ledger
"$tmp/ledgerbench" -n "$N" -batch "$BATCH" -dir "$tmp"

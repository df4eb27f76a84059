#!/usr/bin/env bash
# Times nadra and the independent numpy reference (bench/reference_numpy.py)
# on the same model: 100,000 paths of the default deal (the signed terms,
# latest control snapshot), in one run. Prints both sets of means with
# their standard errors, how many standard errors apart they are, the two
# compute times and their ratio.
#
#   bench/simulate.sh            # 100,000 paths
#   PATHS=20000 bench/simulate.sh
#
# Needs Go and a python3 with numpy (Debian: apt-get install python3-numpy).
# Times are wall-clock and depend on the machine's load: run it on a quiet
# machine. Timing is never part of the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
PATHS=${PATHS:-100000}
SEED=${SEED:-1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export NADRA_DB="$tmp/nadra.db"

PY=""
for p in python3 /usr/bin/python3; do
	if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import numpy' 2>/dev/null; then
		PY=$p
		break
	fi
done
if [ -z "$PY" ]; then
	echo "bench/simulate.sh: no python3 with numpy; install python3-numpy" >&2
	exit 1
fi

go build -o "$tmp/nadra" ./cmd/nadra
# Seed the database and write the compiled model for the reference.
"$tmp/nadra" simulate --dump-inputs "$tmp/inputs.json" 2>/dev/null

now() { date +%s.%N; }
t0=$(now)
"$tmp/nadra" simulate --paths "$PATHS" --seed "$SEED" --tornado-paths 0 --json >"$tmp/go.json"
t1=$(now)
"$PY" bench/reference_numpy.py "$tmp/inputs.json" --paths "$PATHS" --seed "$SEED" >"$tmp/np.json"
t2=$(now)

"$PY" - "$tmp/go.json" "$tmp/np.json" "$t0" "$t1" "$t2" "$PATHS" "$PY" <<'PYEOF'
import json, math, sys
go = json.load(open(sys.argv[1]))
np_ = json.load(open(sys.argv[2]))
t0, t1, t2 = map(float, sys.argv[3:6])
paths, py = int(sys.argv[6]), sys.argv[7]
gm = go["terms"][0]["metrics"]
nm = np_["metrics"]
print(f"Deal {go['terms'][0]['id']}, {paths:,} paths, seed {go['seed']}, {go['control_status']}")
print(f"{'metric':34} {'nadra (Go) mean ± SE':>28} {'numpy mean ± SE':>28} {'z':>6}")
worst = 0.0
for k in ["fund_receipts_pv", "fund_receipts_sum", "us_npv", "ukraine_npv", "us_distributions_pv",
          "ukraine_distributions_pv", "ukraine_contributions_pv", "state_receipts_pv", "us_recovery",
          "us_years_to_first_distribution", "projects_built"]:
    g, n = gm[k], nm[k]
    se = math.hypot(g["se"] or 0, n["se"] or 0)
    z = (g["mean"] - n["mean"]) / se if se > 0 else 0.0
    worst = max(worst, abs(z))
    print(f"{k:34} {g['mean']:>16.6g} ± {g['se']:<9.3g} {n['mean']:>16.6g} ± {n['se']:<9.3g} {z:>6.2f}")
print(f"largest difference: {worst:.2f} standard errors ({'agree' if worst < 4 else 'DISAGREE'} within Monte Carlo error at 4 SE)")
print()
print(f"nadra (Go):  {go['seconds']:.3f} s in process, {t1 - t0:.3f} s for the whole command")
print(f"numpy ({py}): {np_['seconds']:.3f} s in process, {t2 - t1:.3f} s for the whole command")
print(f"ratio numpy / nadra: {np_['seconds'] / go['seconds']:.1f}x in process, {(t2 - t1) / (t1 - t0):.1f}x whole command")
PYEOF

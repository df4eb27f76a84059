#!/usr/bin/env bash
# Independent checkers on nadra, run by .ci/run:
#  - Redocly CLI, recommended rules, on both OpenAPI documents (the JSON
#    API's and the OGC API's): 0 errors, or this fails;
#  - Lighthouse (accessibility, best practices, SEO) on every page of the
#    dashboard, one run each in one headless Chromium: accessibility 100 on
#    every page, or this fails.
# Versions are pinned in package.json and package-lock.json (npm ci).
# Usage: bash tools/lint/check.sh [path to a built nadra binary]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1
npm ci --no-audit --no-fund --loglevel=error

tmp="$(mktemp -d)"
bin="${1:-}"
if [ -z "$bin" ]; then
	bin="$tmp/nadra"
	(cd "$root" && go build -o "$bin" ./cmd/nadra)
fi
"$bin" serve --addr 127.0.0.1:0 --db "$tmp/nadra.db" >"$tmp/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
base=""
for _ in $(seq 1 120); do
	base="$(sed -n 's|^nadra: serving on \(http://[^/]*\)/.*|\1|p' "$tmp/serve.log" | head -1)"
	[ -n "$base" ] && curl -fsS "$base/healthz" >/dev/null 2>&1 && break
	kill -0 $pid 2>/dev/null || { cat "$tmp/serve.log" >&2; exit 1; }
	sleep 0.5
done
[ -n "$base" ] || { echo "nadra serve did not start" >&2; cat "$tmp/serve.log" >&2; exit 1; }

curl -fsS "$base/api/v1/openapi.json" -o "$tmp/openapi.json"
curl -fsS "$base/ogc/api" -o "$tmp/ogc-openapi.json"
echo "Redocly CLI $(npx redocly --version), recommended rules:"
npx redocly lint --format=summary "$tmp/openapi.json" "$tmp/ogc-openapi.json"

pages=(/map /deposits /deposits/shevchenkivske /timeline /claims /scenarios /supply /deal /flows /api)
urls=()
for p in "${pages[@]}"; do urls+=("$base$p"); done
echo "Lighthouse $(node -p 'require("lighthouse/package.json").version'):"
CHROME_PATH="${CHROME_PATH:-$(command -v chromium)}" node lighthouse.mjs "${urls[@]}"

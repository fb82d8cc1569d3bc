#!/usr/bin/env bash
# Seeds a marketplace into a PostgreSQL database and runs every load
# scenario against it at two concurrencies, printing the figures that
# BENCHMARKS.md reports. Takes about 20 minutes at scale 1 on 2 cores.
#
#   bash scripts/bench.sh                    scale 1, c=32 and c=128, 30 s each
#   SCALE=0.1 DURATION=10s bash scripts/bench.sh
#   BENCH_DB=bench KEEP=1 bash scripts/bench.sh   keep (and reuse, if seeded) the database
#
# Needs PostgreSQL on 127.0.0.1:5432 with trust auth for user postgres (as on
# the development machine; scripts/test.sh shows how to start one).
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${SCALE:-1}
DURATION=${DURATION:-30s}
CONCURRENCY=${CONCURRENCY:-"32 128"}
DB=${BENCH_DB:-flexwork_bench_$$}
URL="postgres://postgres@127.0.0.1:5432/$DB?sslmode=disable"
WORK=$(mktemp -d)
BIN=$WORK/flexwork
trap 'rm -rf "$WORK"' EXIT
go build -o "$BIN" ./cmd/flexwork
psql() { command psql -h 127.0.0.1 -U postgres -qAt "$@"; }
if [ -z "$(psql -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" ]; then
  psql -c "CREATE DATABASE $DB"
  "$BIN" bench seed --scale "$SCALE" --database_url "$URL" 2>/dev/null
fi
[ "${KEEP:-}" = 1 ] || trap 'rm -rf "$WORK"; psql -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"' EXIT
# Read-only scenarios first: apply, mixed and accept-race write.
for c in $CONCURRENCY; do
  for s in floor shift candidates mixed apply accept-race; do
    "$BIN" bench run "$s" --concurrency "$c" --duration "$DURATION" --database_url "$URL" 2>/dev/null | grep -v '^server RSS\|sampled workers'
  done
done

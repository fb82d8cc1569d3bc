#!/usr/bin/env bash
# The feed through GraphQL and through the raw-SQL floor, measured from
# outside by wrk with the same request bodies (scripts/wrk-feed.lua), in
# alternating rounds; prints each round's throughput and their ratio.
#
#   BENCH_DB=bench bash scripts/bench-wrk.sh
#   BENCH_DB=bench ROUNDS=3 CONCURRENCY="32 128" DURATION=20s bash scripts/bench-wrk.sh
#   SETTLE=60: seconds to wait after the warm-up, for the server's first sweeps
#
# BENCH_DB is a seeded database (BENCH_DB=bench KEEP=1 bash scripts/bench.sh
# seeds one) on PostgreSQL at 127.0.0.1:5432, trust auth for postgres.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${BENCH_DB:?BENCH_DB must name a seeded database}
ROUNDS=${ROUNDS:-3}
CONCURRENCY=${CONCURRENCY:-"32 128"}
DURATION=${DURATION:-20s}
URL="postgres://postgres@127.0.0.1:5432/$DB?sslmode=disable"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
WORK=$(mktemp -d)
BIN=$WORK/flexwork
go build -o "$BIN" ./cmd/flexwork
"$BIN" bench requests --n 4000 --database_url "$URL" > "$WORK/feed.req" 2>/dev/null
# The tokens in feed.req are signed with the bench's key (bench.Secret).
FLEXWORK_ENV=prod FLEXWORK_PUBLIC_URL=http://127.0.0.1 FLEXWORK_JWT_SECRET=bench-signing-key-0123456789abcdef-0123456789 \
  FLEXWORK_DATA_DIR="$WORK" DATABASE_URL="$URL" FLEXWORK_ADDR=127.0.0.1:18080 "$BIN" serve > "$WORK/serve.log" 2>&1 &
SERVER=$!
DATABASE_URL="$URL" FLEXWORK_ADDR=127.0.0.1:18081 "$BIN" bench floor > "$WORK/floor.log" 2>&1 &
FLOOR=$!
trap 'kill $SERVER $FLOOR 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
for port in 18080 18081; do
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
done
run() { # port concurrency duration → "req/s p50 p99 non2xx"
  FEED_REQUESTS="$WORK/feed.req" wrk -t2 -c"$2" -d"$3" -s scripts/wrk-feed.lua "http://127.0.0.1:$1/graphql" |
    awk '/Requests\/sec/ {rps=$2} /Non-2xx/ {bad=$5} /^p50/ {p50=$2; p99=$5} END {printf "%s %s %s %s\n", rps, p50, p99, bad+0}'
}
run 18080 8 5s >/dev/null; run 18081 8 5s >/dev/null # warm-up: connections, caches, the places' reach
# A server just started runs its first sweeps (shift states, rights scores,
# River's jobs) for the better part of a minute, on the database both sides
# share: a first round measured then is slow on both sides, the floor's
# more (it runs second), and its ratio too high. Measure once they are done.
sleep "${SETTLE:-60}"
printf "%-4s %-5s %12s %9s %9s %8s   %12s %9s %9s %8s   %s\n" c round "GraphQL r/s" "p50 ms" "p99 ms" "non-2xx" "floor r/s" "p50 ms" "p99 ms" "non-2xx" ratio
for c in $CONCURRENCY; do
  for round in $(seq "$ROUNDS"); do
    read -r g g50 g99 gbad < <(run 18080 "$c" "$DURATION")
    read -r f f50 f99 fbad < <(run 18081 "$c" "$DURATION")
    printf "%-4s %-5s %12s %9s %9s %8s   %12s %9s %9s %8s   %.2f\n" "$c" "$round" "$g" "$g50" "$g99" "$gbad" "$f" "$f50" "$f99" "$fbad" \
      "$(echo "$g / $f" | bc -l)"
  done
done

#!/usr/bin/env bash
# The feed through GraphQL and through the raw-SQL floor, measured from
# outside by wrk with the same request bodies (scripts/wrk-feed.lua), in
# alternating rounds; prints each round's throughput and their ratio.
#
#   BENCH_DB=bench bash scripts/bench-wrk.sh
#   BENCH_DB=bench ROUNDS=3 CONCURRENCY="32 128" DURATION=20s bash scripts/bench-wrk.sh
#   SETTLE=60: seconds to wait after the warm-up, for the server's first sweeps
#   WARMUP=20s: each side's warm-up at c=32, long enough to answer every
#     request of the file once (each place's reach is learnt on its first page)
#
# Each round also prints what a request cost in CPU, from /proc: the side's
# own process, the rest of the box (PostgreSQL's backends, mostly, and the
# idle other side) and wrk. Where they share the cores, the ratio of the
# throughputs is about that of the sums.
#
# A round gives each side DURATION in SLICES slices (default 4), in the
# order GraphQL, floor, floor, GraphQL, GraphQL, floor, …: whatever else
# the box runs meanwhile (a neighbour, the kernel's own threads) then falls
# on both sides alike, where two back-to-back runs of 20 s had one side
# meet it and not the other. SLICES=1 measures as before. A round's
# throughput is its slices' requests over their time; its p50 is the median
# of its slices' p50s and its p99 their largest.
#
# BENCH_DB is a seeded database (BENCH_DB=bench KEEP=1 bash scripts/bench.sh
# seeds one) on PostgreSQL at 127.0.0.1:5432, trust auth for postgres.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${BENCH_DB:?BENCH_DB must name a seeded database}
ROUNDS=${ROUNDS:-3}
CONCURRENCY=${CONCURRENCY:-"32 128"}
DURATION=${DURATION:-20s}
SLICES=${SLICES:-4}
SLICE=$(( ${DURATION%s} / SLICES ))s # DURATION in seconds
[ "$SLICE" != 0s ] || { echo "DURATION ($DURATION) must give each of the $SLICES slices a second or more" >&2; exit 2; }
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
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # a process's user + system time, in 1/100 s
busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; } # every core's busy time, in 1/100 s
slice() { # port pid concurrency duration → "requests seconds p50 p99 failed side-ticks rest-ticks wrk-ticks"
  # failed: non-2xx answers and socket errors (a request past wrk's 2 s timeout)
  local s0 a0 s1 a1 w
  s0=$(ticks "$2"); a0=$(busy)
  # wrk's own time is what its shell waited for (cutime + cstime).
  w=$(FEED_REQUESTS="$WORK/feed.req" sh -c 'wrk -t2 -c"$1" -d"$2" -s scripts/wrk-feed.lua "$3" > "$4"; awk "{print \$16 + \$17}" /proc/$$/stat' \
    sh "$3" "$4" "http://127.0.0.1:$1/graphql" "$WORK/wrk.out")
  s1=$(ticks "$2"); a1=$(busy)
  awk -v s=$((s1 - s0)) -v r=$((a1 - a0 - (s1 - s0) - w)) -v w="$w" '/requests in/ {n=$1; t=$4; sub(/s,?$/, "", t)}
    /Non-2xx/ {bad+=$5} /Socket errors/ {bad+=$4+$6+$8+$10} /^p50/ {p50=$2; p99=$5} END {print n, t, p50, p99, bad+0, s, r, w}' "$WORK/wrk.out"
}
# total: the slices of one side (lines of slice) → "req/s p50 p99 failed cpu-ms/req: side rest wrk"
total() {
  sort -k3,3n | awk '{n+=$1; t+=$2; p50[NR]=$3; if ($4>p99) p99=$4; bad+=$5; s+=$6; r+=$7; w+=$8}
    END {printf "%.2f %s %s %d %.2f %.2f %.2f\n", n/t, p50[int((NR+1)/2)], p99, bad, s*10/n, r*10/n, w*10/n}'
}
run() { # port pid concurrency duration → one run of slice, totalled
  slice "$@" | total
}
# Warm-up: connections, caches, and each place's reach (learnt on its first page).
run 18080 $SERVER 32 "${WARMUP:-20s}" >/dev/null; run 18081 $FLOOR 32 "${WARMUP:-20s}" >/dev/null
# A server just started runs its first sweeps (shift states, rights scores,
# River's jobs) for the better part of a minute, on the database both sides
# share: a first round measured then is slow on both sides, the floor's
# more (it runs second), and its ratio too high. Measure once they are done.
sleep "${SETTLE:-60}"
# The reaches learnt in the warm-up have expired in the wait (market's
# reachTTL is a minute): learn them again, as a feed in use keeps them.
run 18080 $SERVER 32 10s >/dev/null; run 18081 $FLOOR 32 10s >/dev/null
printf "%-4s %-5s %12s %9s %9s %8s %16s   %12s %9s %9s %8s %16s   %s\n" c round "GraphQL r/s" "p50 ms" "p99 ms" "failed" "CPU ms own/rest/wrk" \
  "floor r/s" "p50 ms" "p99 ms" "failed" "CPU ms own/rest/wrk" ratio
for c in $CONCURRENCY; do
  for round in $(seq "$ROUNDS"); do
    : > "$WORK/g.slices"; : > "$WORK/f.slices"
    for k in $(seq "$SLICES"); do
      if [ $((k % 2)) = 1 ]; then order="g f"; else order="f g"; fi
      for side in $order; do
        if [ "$side" = g ]; then port=18080 pid=$SERVER; else port=18081 pid=$FLOOR; fi
        slice "$port" "$pid" "$c" "$SLICE" >> "$WORK/$side.slices"
      done
    done
    read -r g g50 g99 gbad gs gp gw < <(total < "$WORK/g.slices")
    read -r f f50 f99 fbad fs fp fw < <(total < "$WORK/f.slices")
    printf "%-4s %-5s %12s %9s %9s %8s %16s   %12s %9s %9s %8s %16s   %.2f\n" "$c" "$round" "$g" "$g50" "$g99" "$gbad" "$gs/$gp/$gw" \
      "$f" "$f50" "$f99" "$fbad" "$fs/$fp/$fw" "$(echo "$g / $f" | bc -l)"
  done
done

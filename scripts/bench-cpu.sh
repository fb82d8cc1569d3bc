#!/usr/bin/env bash
# Where a load run's CPU goes: starts `flexwork bench run SCENARIO` and, over a
# window inside its measured run, reads from /proc how many cores the load
# client, the server it started and PostgreSQL each took. On a box whose
# cores they share this says which of the three a figure is bound by.
#
#   BENCH_DB=bench bash scripts/bench-cpu.sh candidates 32 40s
#   FLEXWORK=/tmp/fw.old DELAY=50 WINDOW=15 BENCH_DB=bench bash scripts/bench-cpu.sh feed 32 40s
#
# DELAY is seconds from the start to the window (the server takes ~30 s to
# start on a scale-1 database), WINDOW its length; keep both inside the run.
set -euo pipefail
cd "$(dirname "$0")/.."
SCENARIO=${1:-candidates} CONCURRENCY=${2:-32} DURATION=${3:-40s}
DELAY=${DELAY:-50} WINDOW=${WINDOW:-15}
DB_URL="postgres://postgres@127.0.0.1:5432/${BENCH_DB:?set BENCH_DB to a seeded database}?sslmode=disable"
WORK=$(mktemp -d)
client=
trap '[ -z "$client" ] || kill "$client" 2>/dev/null; rm -rf "$WORK"' EXIT
BIN=${FLEXWORK:-}
if [ -z "$BIN" ]; then
  BIN=$WORK/flexwork
  go build -o "$BIN" ./cmd/flexwork
fi

# ticks PID...: the CPU ticks (user + system) the processes have used.
ticks() {
  local total=0 p
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] || continue
    # comm may hold spaces: the fields after it start past the last ')'.
    local stat f; stat=$(<"/proc/$p/stat")
    read -ra f <<< "${stat##*) }"
    total=$((total + f[11] + f[12])) # utime, stime: stat's fields 14 and 15
  done
  echo "$total"
}
children() { pgrep -P "$1" || true; }
postgres_pids() { pgrep -x postgres || true; }

"$BIN" bench run "$SCENARIO" --concurrency "$CONCURRENCY" --duration "$DURATION" --database_url "$DB_URL" &
client=$!
sleep "$DELAY"
server=$(children "$client")
pg=$(postgres_pids)
c0=$(ticks $client) s0=$(ticks $server) p0=$(ticks $pg)
sleep "$WINDOW"
c1=$(ticks $client) s1=$(ticks $server) p1=$(ticks $pg)
wait "$client"
client=
hz=$(getconf CLK_TCK)
cores() { awk -v t="$1" -v hz="$hz" -v w="$WINDOW" 'BEGIN { printf "%.2f", t / hz / w }'; }
echo "cores over ${WINDOW}s from ${DELAY}s: server $(cores $((s1 - s0)))  postgres $(cores $((p1 - p0)))  client $(cores $((c1 - c0)))"

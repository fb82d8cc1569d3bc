#!/usr/bin/env bash
# Runs every flexwork test against real PostgreSQL, Redis and an S3 server,
# and the apps' own tooling (Node: Apollo Client, graphql-ws, graphql-http).
#
# Uses the services when they already run on this machine (PostgreSQL on
# 127.0.0.1:5432 with trust auth, Redis on 127.0.0.1:6379); otherwise starts
# throwaway ones — installing PostgreSQL and Redis from Debian's packages and
# building the S3 server (versitygw) from the Go module proxy if needed — and
# stops them afterwards. Each run gets fresh databases, dropped at the end.
#
#   bash scripts/test.sh            everything: vet, gofmt, tests with -race
#   bash scripts/test.sh ./market/  only these packages (same set-up)
#   FLEXWORK_TEST_FRESH=1 bash scripts/test.sh   ignore running services, start throwaway ones
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUN_ID="$(date +%s)_$$"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/flexwork-test.XXXXXX")
CACHE="$ROOT/.cache"
mkdir -p "$CACHE/bin"
CLEANUP=()
cleanup() {
  local status=$?
  for ((i=${#CLEANUP[@]}-1; i>=0; i--)); do eval "${CLEANUP[i]}" >/dev/null 2>&1 || true; done
  rm -rf "$WORK"
  exit $status
}
trap cleanup EXIT INT TERM
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
  || echo $((20000 + RANDOM % 20000)); }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

apt_install() {
  command -v apt-get >/dev/null || { echo "cannot install $*: no apt-get on this machine" >&2; return 1; }
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  say "installing $* from Debian's packages"
  $sudo apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

# --- PostgreSQL ---------------------------------------------------------------
postgres_url() { echo "postgres://postgres@127.0.0.1:$1/postgres?sslmode=disable"; }
pg_works() { PGCONNECT_TIMEOUT=3 psql "$(postgres_url "$1")" -Atqc 'select 1' >/dev/null 2>&1; }

start_postgres() {
  if [ -z "${FLEXWORK_TEST_FRESH:-}" ] && port_open 5432 && command -v psql >/dev/null && pg_works 5432; then
    PG_PORT=5432; say "PostgreSQL: using the one on 127.0.0.1:5432"; return
  fi
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
  if [ -z "$bindir" ] || ! command -v psql >/dev/null; then
    apt_install postgresql postgresql-client
    bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
  fi
  PG_PORT=$(free_port)
  local data="$WORK/pg" run=(bash -c)
  mkdir -p "$data"
  if [ "$(id -u)" -eq 0 ]; then # initdb refuses to run as root
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chmod a+x "$WORK"; chown postgres "$data"; run=(su postgres -s /bin/bash -c)
  fi
  say "PostgreSQL: starting a throwaway server on 127.0.0.1:$PG_PORT"
  "${run[@]}" "$bindir/initdb -D $data -A trust -U postgres >/dev/null"
  "${run[@]}" "$bindir/pg_ctl -D $data -l $data/log -o '-p $PG_PORT -k $data -c fsync=off -c listen_addresses=127.0.0.1' -w start >/dev/null"
  CLEANUP+=("${run[*]@Q} '$bindir/pg_ctl -D $data -m immediate stop'")
  pg_works "$PG_PORT" || { cat "$data/log" >&2; echo "PostgreSQL did not start" >&2; exit 1; }
}

# --- Redis ---------------------------------------------------------------------
start_redis() {
  if [ -z "${FLEXWORK_TEST_FRESH:-}" ] && port_open 6379 && command -v redis-cli >/dev/null && [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]; then
    REDIS_PORT=6379; say "Redis: using the one on 127.0.0.1:6379"; return
  fi
  command -v redis-server >/dev/null || apt_install redis-server
  REDIS_PORT=$(free_port)
  say "Redis: starting a throwaway server on 127.0.0.1:$REDIS_PORT"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$WORK/redis.pid" --logfile "$WORK/redis.log" --dir "$WORK" >/dev/null
  CLEANUP+=("kill \$(cat '$WORK/redis.pid')")
  for _ in $(seq 50); do [ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ] && return; sleep 0.1; done
  echo "Redis did not start" >&2; exit 1
}

# --- S3 (versitygw) --------------------------------------------------------------
start_s3() {
  local gw="$CACHE/bin/versitygw"
  if [ ! -x "$gw" ]; then
    say "S3: building versitygw v1.8.0 from the Go module proxy (once; about a minute)"
    GOBIN="$CACHE/bin" GOFLAGS=-mod=mod go install github.com/versity/versitygw/cmd/versitygw@v1.8.0
  fi
  mkdir -p "$WORK/s3"
  # A free port can be taken, between free_port and versitygw's bind, by an
  # outgoing connection of another program on the box (it is an ephemeral
  # port): when versitygw exits at once, try another.
  local attempt pid
  for attempt in 1 2 3 4 5; do
    S3_PORT=$(free_port)
    say "S3: starting versitygw on 127.0.0.1:$S3_PORT"
    ROOT_ACCESS_KEY=flexwork ROOT_SECRET_KEY=flexwork-secret "$gw" --port "127.0.0.1:$S3_PORT" posix "$WORK/s3" \
      >"$WORK/s3.log" 2>&1 &
    pid=$!
    CLEANUP+=("kill $pid")
    for _ in $(seq 100); do
      port_open "$S3_PORT" && return
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    cat "$WORK/s3.log" >&2
  done
  echo "versitygw did not start" >&2; exit 1
}

# --- Node (the apps' tooling: Apollo's generator and client, graphql-ws, graphql-http) --
start_node() {
  command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
  say "npm ci in mobile-schema/apollo (versions pinned by its package-lock.json)"
  (cd mobile-schema/apollo && npm ci --no-audit --no-fund --silent)
}

start_postgres
start_redis
start_s3
start_node

export TEST_POSTGRES_URL; TEST_POSTGRES_URL=$(postgres_url "$PG_PORT")
export FLEXWORK_TEST_REQUIRE_POSTGRES=1 FLEXWORK_TEST_REQUIRE_SERVICES=1
export FLEXWORK_TEST_DB_PREFIX="flexwork_t${RUN_ID}"
export TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export TEST_S3_ENDPOINT="127.0.0.1:$S3_PORT" TEST_S3_ACCESS_KEY=flexwork TEST_S3_SECRET_KEY=flexwork-secret
# Drop whatever databases this run leaves behind, even after a crash.
CLEANUP+=("psql '$TEST_POSTGRES_URL' -Atqc \"select 'DROP DATABASE IF EXISTS ' || datname || ' WITH (FORCE);' from pg_database where datname like '${FLEXWORK_TEST_DB_PREFIX}%'\" | psql '$TEST_POSTGRES_URL' -q")

PKGS=("$@"); [ ${#PKGS[@]} -gt 0 ] || PKGS=(./...)
say "go vet"
go vet "${PKGS[@]}"
say "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.cache/*'))
[ -z "$unformatted" ] || { echo "not gofmt-clean:" >&2; echo "$unformatted" >&2; exit 1; }
say "go test -race ${PKGS[*]}"
go test -race -count=1 -timeout 30m "${PKGS[@]}"
say "all tests passed"

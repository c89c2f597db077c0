#!/usr/bin/env bash
# The local database for `npm run local`: FerretDB on a PostgreSQL cluster kept under STATE/postgres
# (created on first use), or on SQLite under STATE/ferretdb when FERRETDB_BACKEND=sqlite, when
# PostgreSQL is not installed, or when that SQLite store already holds data from an earlier run.
# Runs in the foreground until killed; stopping it stops FerretDB and PostgreSQL.
# Usage: bash scripts/local-database.sh STATE_DIR PORT
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
state="$(cd "$1" && pwd)"
port="$2"
ferretdb=${FERRETDB_BIN:-.tools/bin/ferretdb}
log() { printf '[local-database] %s\n' "$*" >&2; }

pg_bin="${PG_BIN_DIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n | tail -n 1)}"
backend=${FERRETDB_BACKEND:-postgresql}
if [ "$backend" = postgresql ] && { [ -z "$pg_bin" ] || [ ! -x "$pg_bin/postgres" ]; }; then
  log "PostgreSQL is not installed: using SQLite"; backend=sqlite
fi
if [ "$backend" = postgresql ] && [ ! -d "$state/postgres" ] && ls "$state/ferretdb/"*.sqlite >/dev/null 2>&1; then
  log "keeping the SQLite data of an earlier run (move $state/ferretdb away to switch to PostgreSQL)"; backend=sqlite
fi

as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  as_owner=(runuser -u postgres --)
  # PostgreSQL refuses to run as root, so its owner must be able to reach its data folder: let
  # others pass through (not list) the state folder, which mktemp and umask may have closed.
  chmod o+x "$state"
fi
pgdata="$state/postgres"
stop_all() {
  [ -n "${ferret_pid:-}" ] && kill "$ferret_pid" 2>/dev/null || true
  if [ "$backend" = postgresql ]; then "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$pgdata" -m fast stop >/dev/null 2>&1 || true; fi
}
trap stop_all EXIT
trap 'exit 0' TERM INT

if [ "$backend" = postgresql ]; then
  # PostgreSQL listens on a Unix socket in its data folder only, never on a TCP port: nothing
  # else on the machine can take its port, and nothing outside this folder can reach it. The
  # number only names the socket file.
  pg_port=$((port + 1))
  pg_listen="''" pg_host="$pgdata"
  if [ $(( ${#pgdata} + 20 )) -gt 107 ]; then  # (run-local.sh checks that port in this case)
    # A socket path this long is over the system's limit: listen on the next port instead.
    pg_listen=127.0.0.1 pg_host=127.0.0.1
  fi
  if [ ! -f "$pgdata/PG_VERSION" ]; then
    mkdir -p "$pgdata"
    [ "$(id -u)" -eq 0 ] && chown postgres "$pgdata"
    "${as_owner[@]}" "$pg_bin/initdb" -D "$pgdata" -U postgres -A trust -E UTF8 --no-locale >/dev/null
  fi
  "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$pgdata" -w -l "$pgdata/server.log" \
    -o "-p $pg_port -k $pgdata -c listen_addresses=$pg_listen" start >/dev/null
  "${as_owner[@]}" "$pg_bin/psql" -h "$pg_host" -p "$pg_port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
    -f "$PWD/scripts/sql/ferretdb-gin-companions.sql"
  "$ferretdb" --handler=postgresql --postgresql-url="postgres://postgres@/postgres?host=$pg_host&port=$pg_port" \
    --state-dir="$state/ferretdb" --listen-addr="127.0.0.1:$port" --debug-addr=- --telemetry=disable --log-level=warn &
else
  "$ferretdb" --handler=sqlite --sqlite-url="file:$state/ferretdb/" --state-dir="$state/ferretdb" \
    --listen-addr="127.0.0.1:$port" --debug-addr=- --telemetry=disable --log-level=warn &
fi
ferret_pid=$!
log "FerretDB ($backend) on 127.0.0.1:$port"
wait "$ferret_pid"

#!/usr/bin/env bash
# `npm run local`: everything needed to run Komek on this machine, then the bot itself.
# Checks the settings first (nothing is installed for a run that cannot start), installs
# redis-server and FerretDB if missing, installs node modules, builds, starts Redis and FerretDB
# with their data under .tmp/local (kept between runs), keeps a generated DATA_KEY there too
# (without it the stored personal data could not be read again), and starts the bot.
# SIGTERM or SIGINT (Ctrl+C) stops the bot first, then Redis and FerretDB, so the next start
# finds its ports free. Every other setting has a local default (see README).
# package.json runs this with `exec`: npm forwards SIGTERM to its direct child only, and an `sh`
# in between would keep it from reaching this script (the bot and servers would be left running).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

fail() {
  echo "npm run local: $*" >&2
  exit 1
}

state=${LOCAL_STATE_DIR:-.tmp/local}
case $state in /*) ;; *) state=$PWD/$state ;; esac
redis_port=${LOCAL_REDIS_PORT:-6390}
ferretdb_port=${LOCAL_FERRETDB_PORT:-27027}
http_port=${HTTP_PORT:-8080}
export HTTP_PORT=$http_port

# ---------------------------------------------------------------------------------------------
# 1. Settings, before anything is installed or started.

# No token: the playground, the same bot on a Bot API built into Komek, with a chat page on
# 127.0.0.1 (docs/playground.md). With a token: Telegram itself.
playground_port=${PLAYGROUND_PORT:-8090}
if [ -z "${BOT_TOKEN:-}" ]; then
  entry=dist/src/playground-main.js
  mode="Mode: playground (no BOT_TOKEN, nothing reaches Telegram). The page will be at http://127.0.0.1:$playground_port/"
elif ! [[ $BOT_TOKEN =~ ^[0-9]+:[A-Za-z0-9_-]{30,}$ ]]; then
  fail "BOT_TOKEN does not look like a token from @BotFather (digits, a colon, then 30 or more letters, digits, _ or -)"
else
  entry=dist/src/main.js
  mode="Mode: Telegram (BOT_TOKEN is set)."
fi

# A port something else holds would otherwise fail later with a stack trace.
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
check_port() {
  if port_taken "$1"; then
    fail "port $1 ($2) is already in use on 127.0.0.1: stop what holds it (an earlier npm run local?) or set $3 to another port"
  fi
}
# The playground serves its page and Bot API on PLAYGROUND_PORT and nothing on HTTP_PORT.
if [ -n "${BOT_TOKEN:-}" ]; then
  check_port "$http_port" "the bot's health check" HTTP_PORT
else
  check_port "$playground_port" "the playground page" PLAYGROUND_PORT
fi
[ -n "${REDIS_URL:-}" ] || check_port "$redis_port" "Redis" LOCAL_REDIS_PORT
if [ -z "${MONGODB_URI:-}" ]; then
  # (PostgreSQL under it listens on a Unix socket only: scripts/local-database.sh.)
  check_port "$ferretdb_port" "FerretDB" LOCAL_FERRETDB_PORT
  # Only when the data folder's path is too long for a socket does it take the next port instead.
  if [ $(( ${#state} + 29 )) -gt 107 ]; then check_port "$((ferretdb_port + 1))" "PostgreSQL" LOCAL_FERRETDB_PORT; fi
fi
# Said once the settings are known to be usable, so a mistake is still a one-line answer.
echo "$mode"

# ---------------------------------------------------------------------------------------------
# 2. Install and build.

bash scripts/install-test-services.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then npm ci; fi
# Emit only (`--noCheck`): the JavaScript is the same as a checked build's, and it takes about
# 7 s of CPU here instead of 23 s on a first start (checked and incremental, a restart took 5 s).
# Type errors are `npm test`'s and the image build's to report, as with `npm run dev`.
# A start whose sources are older than its last build skips even that. A file deleted since
# leaves its old output in dist/, which nothing imports any more.
built=dist/.local-build
if [ ! -f "$built" ] || [ -n "$(find src scenes scripts tsconfig.json tsconfig.build.json package-lock.json -newer "$built" -print -quit)" ]; then
  rm -f "$built"
  # Stamped as the build starts, not as it ends: a file saved while it runs is then newer than
  # the stamp, and the next start builds it.
  mkdir -p dist
  touch "$built.next"
  npm run -s build -- --noCheck
  mv "$built.next" "$built"
else
  echo "The build is up to date with the sources: not built again."
fi

mkdir -p "$state/redis" "$state/ferretdb"
[ -f "$state/data-key" ] || node -e "process.stdout.write(require('crypto').randomBytes(32).toString('hex'))" > "$state/data-key"
chmod 600 "$state/data-key"

# ---------------------------------------------------------------------------------------------
# 3. Everything started from here on is stopped on exit, on SIGTERM and on SIGINT: the bot first
# (it finishes the updates in flight, which needs Redis and the database), then the servers.

pids=()
start_background() { "$@" & pids+=($!); }
# The servers get their own session, so a Ctrl+C in the terminal reaches only this script and
# the bot, and they are stopped after the bot has finished with them.
own_session=()
if command -v setsid >/dev/null 2>&1; then own_session=(setsid); fi
stop_all() {
  trap - EXIT INT TERM HUP
  local i
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill -TERM "${pids[i]}" 2>/dev/null || continue
    # Up to 25 s for a graceful stop (the bot cuts its own at 20 s), then no more waiting.
    for _ in $(seq 250); do kill -0 "${pids[i]}" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "${pids[i]}" 2>/dev/null || true
    wait "${pids[i]}" 2>/dev/null || true
  done
}
trap 'stop_all' EXIT
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap 'stop_all; exit 129' HUP

wait_for_port() {
  local pid=$1 port=$2 name=$3 log=$4
  for _ in $(seq 300); do
    port_taken "$port" && return 0
    kill -0 "$pid" 2>/dev/null || fail "$name stopped at start-up; its log: $log"
    sleep 0.1
  done
  fail "$name did not answer on port $port within 30 s; its log: $log"
}

# ---------------------------------------------------------------------------------------------
# 4. Servers, then the bot.

if [ -z "${REDIS_URL:-}" ]; then
  start_background "${own_session[@]}" redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$state/redis" \
    --appendonly yes --save "" >"$state/redis.log" 2>&1
  wait_for_port "${pids[-1]}" "$redis_port" Redis "$state/redis.log"
  export REDIS_URL=redis://127.0.0.1:$redis_port
fi
if [ -z "${MONGODB_URI:-}" ]; then
  # FerretDB on PostgreSQL (or SQLite as a fallback): scripts/local-database.sh, docs/scaling.md.
  start_background "${own_session[@]}" bash scripts/local-database.sh "$state" "$ferretdb_port" >"$state/ferretdb.log" 2>&1
  wait_for_port "${pids[-1]}" "$ferretdb_port" FerretDB "$state/ferretdb.log"
  export MONGODB_URI=mongodb://127.0.0.1:$ferretdb_port/komek
fi
export DATA_KEY=${DATA_KEY:-$(cat "$state/data-key")}
# The playground's chats, kept beside the data, so a restart shows them as they were.
export PLAYGROUND_CHATS_FILE=${PLAYGROUND_CHATS_FILE:-$state/playground-chats.json}

echo "Komek is starting (Redis ${REDIS_URL}, database ${MONGODB_URI}). Press Ctrl+C to stop."
start_background node "$entry"
bot=${pids[-1]}
# `wait` returns as soon as a trapped signal arrives, so the traps above run at once.
status=0
wait "$bot" || status=$?
exit "$status"

#!/usr/bin/env bash
# `npm run local`: everything needed to run Komek on this machine, then the bot itself.
# Installs redis-server and FerretDB if missing, installs node modules, builds, starts Redis and
# FerretDB with their data under .tmp/local (kept between runs), keeps a generated DATA_KEY
# there too (without it the stored personal data could not be read again), and starts the bot.
# Needs BOT_TOKEN (from @BotFather); every other setting has a local default (see README).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# No token: the playground, the same bot on a built-in Bot API with a page on 127.0.0.1 (docs/playground.md).
if [ -z "${BOT_TOKEN:-}" ]; then
  entry=dist/src/playground-main.js
  echo "Mode: playground (no BOT_TOKEN, nothing reaches Telegram). The page will be at http://127.0.0.1:${PLAYGROUND_PORT:-8090}/"
else
  entry=dist/src/main.js
  echo "Mode: Telegram (BOT_TOKEN is set)."
fi

bash scripts/install-test-services.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then npm ci; fi
npm run build

state=.tmp/local
mkdir -p "$state/redis" "$state/ferretdb"
[ -f "$state/data-key" ] || node -e "process.stdout.write(require('crypto').randomBytes(32).toString('hex'))" > "$state/data-key"
chmod 600 "$state/data-key"

ferretdb=${FERRETDB_BIN:-.tools/bin/ferretdb}
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

if [ -z "${REDIS_URL:-}" ]; then
  redis-server --port 6390 --bind 127.0.0.1 --dir "$PWD/$state/redis" --appendonly yes --save "" >"$state/redis.log" 2>&1 &
  pids+=($!)
  export REDIS_URL=redis://127.0.0.1:6390
fi
if [ -z "${MONGODB_URI:-}" ]; then
  "$ferretdb" --handler=sqlite --sqlite-url="file:$PWD/$state/ferretdb/" --state-dir="$PWD/$state/ferretdb" \
    --listen-addr=127.0.0.1:27027 --debug-addr=- --telemetry=disable --log-level=warn >"$state/ferretdb.log" 2>&1 &
  pids+=($!)
  export MONGODB_URI=mongodb://127.0.0.1:27027/komek
fi
export DATA_KEY=${DATA_KEY:-$(cat "$state/data-key")}
sleep 1
echo "Komek is starting (Redis ${REDIS_URL}, database ${MONGODB_URI}). Press Ctrl+C to stop."
node "$entry"

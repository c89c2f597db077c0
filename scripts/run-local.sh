#!/usr/bin/env bash
# `npm run local`: everything needed to run Komek on this machine, then the bot itself.
# Installs redis-server and FerretDB if missing, installs node modules, builds, starts Redis and
# FerretDB with their data under .tmp/local (kept between runs), keeps a generated DATA_KEY
# there too (without it the stored personal data could not be read again), and starts the bot.
# Needs BOT_TOKEN (from @BotFather); every other setting has a local default (see README).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ -z "${BOT_TOKEN:-}" ]; then
  echo "BOT_TOKEN is required: talk to @BotFather in Telegram, then run: BOT_TOKEN=123456:ABC... npm run local" >&2
  exit 1
fi

bash scripts/install-test-services.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then npm ci; fi
npm run build

state=.tmp/local
mkdir -p "$state/redis" "$state/ferretdb"
[ -f "$state/data-key" ] || node -e "process.stdout.write(require('crypto').randomBytes(32).toString('hex'))" > "$state/data-key"
chmod 600 "$state/data-key"

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

if [ -z "${REDIS_URL:-}" ]; then
  redis-server --port 6390 --bind 127.0.0.1 --dir "$PWD/$state/redis" --appendonly yes --save "" >"$state/redis.log" 2>&1 &
  pids+=($!)
  export REDIS_URL=redis://127.0.0.1:6390
fi
if [ -z "${MONGODB_URI:-}" ]; then
  # FerretDB on PostgreSQL (or SQLite as a fallback): scripts/local-database.sh, docs/scaling.md.
  bash scripts/local-database.sh "$state" 27027 >"$state/ferretdb.log" 2>&1 &
  pids+=($!)
  export MONGODB_URI=mongodb://127.0.0.1:27027/komek
fi
export DATA_KEY=${DATA_KEY:-$(cat "$state/data-key")}
sleep 1
echo "Komek is starting (Redis ${REDIS_URL}, database ${MONGODB_URI}). Press Ctrl+C to stop."
node dist/src/main.js

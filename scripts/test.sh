#!/usr/bin/env bash
# `npm test`: everything the tests need, then the tests. On a fresh clone this installs
# redis-server and builds FerretDB (once), installs node modules if missing, type-checks,
# and runs vitest, whose global setup starts and stops the servers.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ -z "${REDIS_URL:-}" ] || [ -z "${MONGODB_URI:-}" ]; then
  bash scripts/install-test-services.sh
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci
fi
npx tsc -p tsconfig.json --noEmit
npx vitest run "$@"

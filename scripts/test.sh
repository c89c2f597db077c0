#!/usr/bin/env bash
# `npm test`: everything the tests need, then the tests. On a fresh clone this installs
# redis-server and builds FerretDB (once), installs node modules if missing, type-checks, lints,
# and runs vitest, whose global setup starts and stops the servers (the release smoke test in
# test/release/ also builds and installs the production dependencies, cached under .tmp/).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ -z "${REDIS_URL:-}" ] || [ -z "${MONGODB_URI:-}" ]; then
  bash scripts/install-test-services.sh
fi
bash scripts/install-chromium.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci
fi
npx tsc -p tsconfig.json --noEmit
# Type-aware lint (eslint.config.js); any error stops here, before the tests. Always the whole
# project without a cache: a changed signature can make an unchanged file wrong.
# (`npm run lint` keeps a cache for quick checks while editing.)
npx eslint --max-warnings 0 .

# vitest's own summary, one line per test layer (test/layers.ts) with its tests and time, then
# one plain "tests: N passed, N failed" line that any CI can read.
mkdir -p .tmp
status=0
npx vitest run --reporter=default --reporter=./test/support/layer-summary.ts --reporter=json --outputFile=.tmp/vitest-results.json "$@" || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(".tmp/vitest-results.json", "utf8"));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
' || true
exit "$status"

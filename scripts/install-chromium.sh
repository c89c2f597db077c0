#!/usr/bin/env bash
# The browser tests (test/playground/) drive Debian's chromium through playwright-core: install it
# with apt-get when missing, like redis-server in install-test-services.sh. Idempotent.
set -euo pipefail

log() { printf '[install-chromium] %s\n' "$*" >&2; }

if [ -x /usr/bin/chromium ]; then
  log "chromium found: /usr/bin/chromium"
  exit 0
fi
log "chromium not found, installing it with apt-get (for the browser tests)"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    log "error: not root and no sudo; install chromium yourself (apt-get install chromium)"
    exit 1
  fi
fi
$sudo apt-get update
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y chromium
[ -x /usr/bin/chromium ] || { log "error: /usr/bin/chromium still missing"; exit 1; }

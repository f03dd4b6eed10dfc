#!/usr/bin/env bash
# The whole test suite: lint, typecheck, build, unit, integration (real PostgreSQL), workflows, browser.
set -euo pipefail
cd "$(dirname "$0")/.."
# Node 24 first on PATH (installed into .tools/node if the system Node is older).
# shellcheck source=scripts/node-env.sh
source scripts/node-env.sh
echo "== format";      npm run --silent format:check
echo "== lint";        npx eslint . --max-warnings=0
echo "== typecheck";   npx tsc -p tsconfig.json --noEmit
echo "== build";       npm run build --silent
# A watchdog: a native deadlock (see dev-idp.service.ts) blocks jest's own timers, so the run
# would otherwise hang until CI gives up. The whole suite took 30–36 minutes on the 2-core machine
# before the social-assistance suites; under load it passed 45, so the watchdog stays below CI's
# 90-minute limit instead. Bringing the suite back under 30 minutes is open work.
echo "== tests"
status=0
timeout --kill-after=30s "${TEST_WATCHDOG:-80m}" node node_modules/.bin/jest --ci --forceExit "$@" || status=$?
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
  echo "tests stopped by the watchdog after ${TEST_WATCHDOG:-80m}: a test hung (attach gdb -p <jest pid> -batch -ex bt to see where)" >&2
fi
exit "$status"

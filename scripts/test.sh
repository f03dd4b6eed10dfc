#!/usr/bin/env bash
# The whole test suite: lint, typecheck, build, unit, integration (real PostgreSQL), workflows, browser.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== lint";        npx eslint . --max-warnings=0
echo "== typecheck";   npx tsc -p tsconfig.json --noEmit
echo "== build";       npm run build --silent
echo "== tests";       npx jest --ci --forceExit "$@"

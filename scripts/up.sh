#!/usr/bin/env bash
# One command for a fresh machine: install, build, create and migrate the database, seed the demo
# municipality, and start Civitas on the embedded defaults at http://localhost:3000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
# shellcheck source=scripts/node-env.sh
source scripts/node-env.sh
echo "== build"; npm run build --silent
node dist/src/cli.js db:setup
node dist/src/cli.js seed:demo
exec node dist/src/main.js

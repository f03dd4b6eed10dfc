#!/usr/bin/env bash
# One command for a fresh machine: install, build, create and migrate the database, seed the demo
# municipality, and start Civitas on the embedded defaults at http://localhost:3000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
# shellcheck source=scripts/node-env.sh
source scripts/node-env.sh
echo "== build"; npm run build --silent
# The e-address goes through the real DIV adapter to the in-repo DIV stand-in (its own process,
# HTTPS with a throw-away test CA under var/div-stand-in), unless EADRESE_MODE is set already.
# The stand-in starts before seed:demo, so the certificates and notices the seed's cases send reach
# the residents' inboxes there (as the README tour test prepares it).
standins=()
trap 'for p in "${standins[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT INT TERM
if [ -z "${EADRESE_MODE:-}" ]; then
  mkdir -p var/div-stand-in
  ready=var/div-stand-in/ready.json
  rm -f "$ready"
  DIV_STANDIN_DATA_DIR=var/div-stand-in node dist/src/integrations/e-adrese/stand-in/main.js >"$ready" 2>var/div-stand-in/stderr.log &
  standin=$!
  standins+=("$standin")
  for _ in $(seq 1 100); do grep -q '"ready"' "$ready" 2>/dev/null && break; kill -0 "$standin" 2>/dev/null || break; sleep 0.2; done
  if ! grep -q '"ready"' "$ready" 2>/dev/null; then echo "the DIV stand-in did not start:"; cat var/div-stand-in/stderr.log; exit 1; fi
  field() { node -e "process.stdout.write(String(JSON.parse(require('fs').readFileSync('$ready','utf8'))['$1']))"; }
  export EADRESE_MODE=div EADRESE_ENDPOINT="$(field endpoint)" EADRESE_CERT_P12="$(field clientP12)" \
    EADRESE_CERT_PASSWORD="$(field p12Password)" EADRESE_SERVER_CA="$(field ca)" EADRESE_STANDIN_INBOX_URL="$(field web)"
  echo "== e-address: DIV stand-in at $EADRESE_ENDPOINT; residents' inboxes at $EADRESE_STANDIN_INBOX_URL/inbox"
fi
# Case status changes go to the services-platform (PSPP) stand-in over HTTPS (its own process, a
# throw-away test CA under var/pspp-stand-in), unless PSPP_MODE is set already.
if [ -z "${PSPP_MODE:-}" ]; then
  mkdir -p var/pspp-stand-in
  pready=var/pspp-stand-in/ready.json
  rm -f "$pready"
  PSPP_STANDIN_DATA_DIR=var/pspp-stand-in node dist/src/integrations/pspp/stand-in/main.js >"$pready" 2>var/pspp-stand-in/stderr.log &
  pspp=$!
  standins+=("$pspp")
  for _ in $(seq 1 100); do grep -q '"ready"' "$pready" 2>/dev/null && break; kill -0 "$pspp" 2>/dev/null || break; sleep 0.2; done
  if ! grep -q '"ready"' "$pready" 2>/dev/null; then echo "the PSPP stand-in did not start:"; cat var/pspp-stand-in/stderr.log; exit 1; fi
  pfield() { node -e "process.stdout.write(String(JSON.parse(require('fs').readFileSync('$pready','utf8'))['$1']))"; }
  export PSPP_MODE=http PSPP_ENDPOINT="$(pfield endpoint)" PSPP_TOKEN="$(pfield token)" PSPP_SERVER_CA="$(pfield ca)"
  echo "== service status: PSPP stand-in at $PSPP_ENDPOINT; what it received at $(pfield control)/reports"
fi
# Outgoing e-mail goes to the in-repo mail catcher (its own process on 127.0.0.1:2525; every message
# is kept as an .eml file under var/mail), unless SMTP_URL is set already.
if [ -z "${SMTP_URL:-}" ]; then
  mkdir -p var/mail
  mready=var/mail/ready.json
  rm -f "$mready"
  MAIL_CATCHER_DIR=var/mail node scripts/mail-catcher.mjs >"$mready" 2>var/mail/catcher.log &
  mailer=$!
  standins+=("$mailer")
  for _ in $(seq 1 50); do grep -q '"ready"' "$mready" 2>/dev/null && break; kill -0 "$mailer" 2>/dev/null || break; sleep 0.2; done
  if ! grep -q '"ready"' "$mready" 2>/dev/null; then echo "the mail catcher did not start:"; cat var/mail/catcher.log; exit 1; fi
  export SMTP_URL="$(node -e "process.stdout.write(JSON.parse(require('fs').readFileSync('$mready','utf8')).url)")"
  echo "== e-mail: mail catcher at $SMTP_URL; messages kept in var/mail/*.eml"
fi
node dist/src/cli.js db:setup
node dist/src/cli.js seed:demo
if [ "${#standins[@]}" -gt 0 ]; then node dist/src/main.js; else exec node dist/src/main.js; fi

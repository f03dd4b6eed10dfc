#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks: Debian packages (Chromium, fonts, poppler, NSS tools,
# PostgreSQL, OpenLDAP slapd + ldap-utils for the directory tests; no daemon is configured or started;
# xmllint and openssl for the e-address stand-in),
# Node 24 into .tools/node when the system Node is older, starts PostgreSQL if it is
# down, and installs npm dependencies. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"

need=()
for p in chromium fonts-dejavu-core poppler-utils libnss3-tools postgresql slapd ldap-utils libxml2-utils openssl; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "== installing Debian packages: ${need[*]}"
  $SUDO apt-get update -qq || true
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "== starting PostgreSQL"
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

# shellcheck source=scripts/node-env.sh
source scripts/node-env.sh

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund
fi

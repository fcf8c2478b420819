#!/usr/bin/env bash
# Installs the system packages the tests use, when missing: Debian's Chromium
# (end-to-end tests) and PostgreSQL server binaries (the server suite starts
# its own throwaway cluster). Runs before `npm test`; a no-op once installed.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || [ -n "${CHROMIUM_PATH:-}" ] || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || [ -n "${NEDENFRA_SKIP_PG:-}" ] || need+=(postgresql)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing system packages: ${need[*]}. Install them (Debian: apt-get install ${need[*]})." >&2
  exit 1
fi
echo "Installing ${need[*]} (Debian packages)…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" fonts-dejavu-core >/dev/null

#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine (idempotent; run as root in CI):
# Maven, Chromium + chromedriver for the browser tests, npm modules (js-libp2p peers, extension tests),
# and multicast on the loopback interface so mDNS tests stay on lo and never touch a real NIC.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v mvn >/dev/null || need+=(maven)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
command -v npm >/dev/null || need+=(npm)
command -v ip >/dev/null || need+=(iproute2)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
fi

for dir in e2e-tests/js extension; do
  # (Re)install when node_modules is missing or older than the lock file (a pulled dependency change).
  if [ -f "$dir/package-lock.json" ] && { [ ! -f "$dir/node_modules/.package-lock.json" ] \
       || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; }; then
    (cd "$dir" && npm ci --no-audit --no-fund)
  fi
done

# mDNS tests and the demo multicast on lo only (224.0.0.251 routed to lo, never to a real interface).
if [ "$(id -u)" = 0 ]; then
  ip link set lo multicast on || true
  # In CI also route all multicast to lo, so nothing a test sends can leave the machine.
  if [ "${CI:-}" = true ]; then ip route replace 224.0.0.0/4 dev lo 2>/dev/null || true; fi
fi

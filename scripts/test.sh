#!/usr/bin/env bash
# Runs the whole test suite: unit, integration, js-libp2p interop and headless-Chromium browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
# Every node the tests start multicasts mDNS on loopback only, never on a real interface of this machine.
export OMNIPEER_MDNS_INTERFACE=lo
exec mvn -B verify "$@"

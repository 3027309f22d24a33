#!/usr/bin/env bash
# Runs the whole test suite: unit, integration, js-libp2p interop and headless-Chromium browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
exec mvn -B verify "$@"

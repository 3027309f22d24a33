#!/usr/bin/env bash
# Installs the system packages and npm modules the test suite needs (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v mvn >/dev/null || need+=(maven)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -q && apt-get install -y -q "${need[@]}"
fi

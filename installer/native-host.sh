#!/usr/bin/env bash
# Registers (or removes) the Omnipeer native-messaging host io.omnipeer.native for the current user's
# Chromium-family browsers and Firefox, pointing at this checkout's ./omnipeer launcher. Rerun after
# moving or updating the checkout: the paths are rewritten. The work is done by
# `omnipeer install-browser-host` (io.omnipeer.bridge.NativeHostRegistration); this is the installer's entry.
#
#   installer/native-host.sh install [--launcher PATH] [--extension-id ID]...
#   installer/native-host.sh uninstall
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cmd=${1:-}; shift || true
case "$cmd" in
  install) exec "$root/omnipeer" install-browser-host "$@" ;;
  uninstall) exec "$root/omnipeer" install-browser-host --remove ;;
  *) echo "usage: $0 install [--launcher PATH] [--extension-id ID]... | uninstall" >&2; exit 2 ;;
esac

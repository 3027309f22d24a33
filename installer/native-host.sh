#!/usr/bin/env bash
# Registers (or removes) the Omnipeer native-messaging host for the browsers of the current user:
# one host manifest per browser, its "path" pointing at this checkout's ./omnipeer launcher.
# Rerun after moving or updating the checkout: the paths are rewritten.
#
#   installer/native-host.sh install [--launcher PATH]
#   installer/native-host.sh uninstall
#
# Chromium/Chrome read ~/.config/<browser>/NativeMessagingHosts/<name>.json (allowed_origins: the
# extension's pinned ID); Firefox reads ~/.mozilla/native-messaging-hosts/<name>.json
# (allowed_extensions: the gecko id). Spec: developer.chrome.com "Native messaging", MDN "Native manifests".
set -euo pipefail

name=io.omnipeer.native
chrome_origin="chrome-extension://jopiccfpgfjnbicfhligcgiihkbephfk/"
gecko_id="omnipeer@omnipeer.io"
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
launcher="$root/omnipeer"
config="${XDG_CONFIG_HOME:-$HOME/.config}"
chromium_dirs=("$config/chromium" "$config/google-chrome" "$config/google-chrome-beta" "$config/BraveSoftware/Brave-Browser")
firefox_dir="$HOME/.mozilla/native-messaging-hosts"

usage() { echo "usage: $0 install [--launcher PATH] | uninstall" >&2; exit 2; }

json_escape() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'; }

write_manifest() { # file, allowed-key, allowed-value
  local file=$1 key=$2 value=$3 tmp
  mkdir -p "$(dirname "$file")"
  tmp="$(mktemp "$file.XXXXXX")"
  cat > "$tmp" <<JSON
{
  "name": "$name",
  "description": "Omnipeer: relay between the browser extension and the local Omnipeer daemon",
  "path": "$(json_escape "$launcher")",
  "type": "stdio",
  "$key": ["$(json_escape "$value")"]
}
JSON
  chmod 0644 "$tmp"
  mv -f "$tmp" "$file"
  echo "wrote $file"
}

cmd=${1:-}; shift || true
case "$cmd" in
  install)
    while [ $# -gt 0 ]; do
      case "$1" in
        --launcher) launcher=$(readlink -f "$2"); shift 2 ;;
        *) usage ;;
      esac
    done
    [ -x "$launcher" ] || { echo "launcher $launcher is not executable" >&2; exit 1; }
    # Chromium-family browsers: register for every profile root, present or not yet created,
    # so a browser installed later finds the host too.
    for dir in "${chromium_dirs[@]}"; do
      write_manifest "$dir/NativeMessagingHosts/$name.json" allowed_origins "$chrome_origin"
    done
    write_manifest "$firefox_dir/$name.json" allowed_extensions "$gecko_id"
    ;;
  uninstall)
    for dir in "${chromium_dirs[@]}"; do
      rm -fv "$dir/NativeMessagingHosts/$name.json"
    done
    rm -fv "$firefox_dir/$name.json"
    ;;
  *) usage ;;
esac

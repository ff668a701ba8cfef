#!/usr/bin/env bash
# tools/node-engine.sh VERSION: installs Node VERSION (the npm package `node`) into .tools/node-VERSION once
# and prints the path of its `node` binary. The engines test runs every helper CLI on each supported Node.
set -euo pipefail
version="$1"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/.tools/node-$version"
mkdir -p "$root/.tools"
exec 9>"$dir.lock"
flock 9
if [ ! -x "$dir/node_modules/node/bin/node" ]; then
  rm -rf "$dir" && mkdir -p "$dir"
  (cd "$dir" && npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error --prefix "$dir" "node@$version" >&2)
fi
echo "$dir/node_modules/node/bin/node"

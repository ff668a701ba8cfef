#!/usr/bin/env bash
# tools/node-engine.sh [VERSION]: installs Node VERSION (the npm package `node`) into .tools/node-VERSION once
# and prints the path of its `node` binary. Without VERSION: the oldest Node the helpers support (their
# engines say >=22.12), on which repo-checks runs every helper's CLI; this line is the one place it is named.
set -euo pipefail
version="${1:-22.12.0}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/.tools/node-$version"
mkdir -p "$root/.tools"
exec 9>"$dir.lock"
flock 9
if [ ! -x "$dir/node_modules/node/bin/node" ]; then
  rm -rf "$dir" && mkdir -p "$dir"
  # A hung registry request fails after 60 s and is retried (npm's default waits 5 minutes per request).
  (cd "$dir" && npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
     --fetch-timeout=60000 --fetch-retries=4 --prefix "$dir" "node@$version" >&2 </dev/null)
fi
echo "$dir/node_modules/node/bin/node"

#!/usr/bin/env bash
# Makes (or reuses) .tools/wheelhouse: the wheels of tools/python/requirements.txt (hashes checked), so that
# workflows executed locally (job-runner tests, rehearsals) install build backends and tools with
# PIP_NO_INDEX=1 PIP_FIND_LINKS=<wheelhouse>, never from a public index. Prints the directory.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$("$here/setup.sh")"
house="${PYPI_WORKFLOWS_WHEELHOUSE:-$root/.tools/wheelhouse}"
sum="$(sha256sum "$here/requirements.txt" | cut -c1-16)"
mkdir -p "$(dirname "$house")"
exec 9>"$house.lock"
flock 9
if [ ! -f "$house/.stamp-$sum" ]; then
  rm -rf "$house" && mkdir -p "$house"
  "$venv/bin/python" -m pip download --quiet --no-input --require-hashes --only-binary=:all: \
    -r "$here/requirements.txt" -d "$house" >&2
  touch "$house/.stamp-$sum"
fi
echo "$house"

#!/usr/bin/env bash
# Makes (or reuses) the project's Python tools venv from tools/python/requirements.txt (exact versions,
# hashes required) and prints its directory. Safe to call from several processes at once (flock).
# PYPI_WORKFLOWS_TOOLS_VENV overrides the location (default: .tools/python in the repository).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${PYPI_WORKFLOWS_TOOLS_VENV:-$root/.tools/python}"
req="$here/requirements.txt"
sum="$(sha256sum "$req" | cut -c1-16)"
mkdir -p "$(dirname "$venv")"
exec 9>"$venv.lock"
flock 9
if [ ! -f "$venv/.stamp-$sum" ]; then
  # Resolve the real interpreter once (a pyenv shim costs ~0.3 s per call).
  py="${PYPI_WORKFLOWS_PYTHON:-$(python3 -c 'import sys; print(sys.executable)')}"
  echo "tools/python/setup.sh: creating $venv with $py" >&2
  rm -rf "$venv"
  "$py" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --no-input --require-hashes --only-binary=:all: -r "$req" >&2
  touch "$venv/.stamp-$sum"
fi
echo "$venv"

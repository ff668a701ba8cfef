#!/usr/bin/env bash
# Re-pins tools/python/requirements.txt from requirements.in (names, versions and hashes only).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$("$here/setup.sh")"
"$venv/bin/uv" pip compile --generate-hashes --python-version 3.10 --no-header --no-annotate \
  "$here/requirements.in" -o "$here/requirements.txt"

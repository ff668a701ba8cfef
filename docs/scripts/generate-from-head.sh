#!/usr/bin/env bash
# docs/scripts/generate-from-head.sh: regenerate the docs' generated pages from the COMMITTED tree (HEAD),
# the way CI sees it: a fresh clone, its helpers built, then generate.mjs; the pages are copied back here.
# Use it when the work tree holds other people's uncommitted work (whose pages must not be committed yet).
# Run inside the pinned toolchain: ./dev bash docs/scripts/generate-from-head.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
clone="$(mktemp -d)/repo"
trap 'rm -rf "$(dirname "$clone")"' EXIT
git clone -q "$root" "$clone"
cd "$clone"
# Not frozen: HEAD's lockfile may trail a package just committed (the lead commits pnpm-lock.yaml).
pnpm install --offline --no-frozen-lockfile --reporter=silent >&2 || pnpm install --no-frozen-lockfile --reporter=silent >&2
pnpm turbo run build --filter='@pypi-workflows/docs^...' --output-logs=errors-only >&2
node docs/scripts/generate.mjs
rm -rf "$root/docs/reference"
cp -R docs/reference "$root/docs/reference"
cp docs/troubleshooting.md "$root/docs/troubleshooting.md"
echo "docs: generated pages copied from a clone of $(git rev-parse --short HEAD)" >&2

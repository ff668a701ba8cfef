#!/usr/bin/env bash
# tools/browser/setup.sh: make sure Debian's Chromium is at /usr/bin/chromium for the docs' browser tests.
# Browsers cannot be downloaded by playwright here; the distribution's package is the one source.
# Idempotent: does nothing when /usr/bin/chromium exists. Needs root (or passwordless apt) otherwise.
set -euo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"

if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "tools/browser/setup.sh: $CHROMIUM is missing and this is not root." >&2
  echo "  Install it as root: apt-get update && apt-get install -y chromium" >&2
  echo "  (or set CHROMIUM_PATH to an installed Chromium/Chrome binary)" >&2
  exit 2
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "tools/browser/setup.sh: $CHROMIUM is missing and there is no apt-get (not Debian/Ubuntu)." >&2
  echo "  Install Chromium with your system's package manager, or set CHROMIUM_PATH." >&2
  exit 2
fi
echo "tools/browser/setup.sh: installing chromium with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends chromium >&2
if [ ! -x "$CHROMIUM" ]; then
  echo "tools/browser/setup.sh: apt-get installed chromium but $CHROMIUM is still missing" >&2
  exit 2
fi
"$CHROMIUM" --version >&2 || true

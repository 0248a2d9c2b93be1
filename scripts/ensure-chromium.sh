#!/usr/bin/env bash
# Makes sure Debian's chromium is installed for the browser tests (npm cannot download browsers here).
# Prints its path; fails loudly when it cannot be installed.
set -euo pipefail
bin=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$bin" ]; then
  echo "chromium missing: installing it with apt-get" >&2
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get install -y chromium >&2 || { $SUDO apt-get update >&2 && $SUDO apt-get install -y chromium >&2; } || {
    echo "FAIL: could not install chromium (apt-get install -y chromium); the browser tests cannot run" >&2
    exit 1
  }
fi
[ -x "$bin" ] || { echo "FAIL: $bin not found after installing chromium" >&2; exit 1; }
echo "$bin"

#!/usr/bin/env bash
# Makes sure LibreOffice Writer (headless, no GUI) is installed for the editable WGAD draft check
# (internal/dossier TestWGADODTOpensInLibreOffice). Prints the soffice path; fails loudly when it cannot be
# installed.
set -euo pipefail
bin=$(command -v soffice || true)
if [ -z "$bin" ]; then
  echo "soffice missing: installing libreoffice-writer-nogui with apt-get" >&2
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get install -y --no-install-recommends libreoffice-writer-nogui >&2 ||
    { $SUDO apt-get update >&2 && $SUDO apt-get install -y --no-install-recommends libreoffice-writer-nogui >&2; } || {
    echo "FAIL: could not install libreoffice-writer-nogui; the editable WGAD draft cannot be checked" >&2
    exit 1
  }
  bin=$(command -v soffice || true)
fi
[ -n "$bin" ] && [ -x "$bin" ] || { echo "FAIL: soffice not found after installing libreoffice-writer-nogui" >&2; exit 1; }
echo "$bin"

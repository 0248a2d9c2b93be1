#!/usr/bin/env bash
# Makes sure the fonts of the PDF dossiers are installed (Latin: fonts-dejavu-core;
# Chinese: fonts-droid-fallback) and, for the tests, poppler-utils (pdftotext, pdftoppm,
# pdfinfo), with apt-get when missing (sudo when not root). Fails loudly when it cannot.
#   scripts/ensure-fonts.sh            fonts and poppler-utils (make test)
#   scripts/ensure-fonts.sh --fonts    fonts only (make run)
set -euo pipefail
pkgs=(fonts-dejavu-core fonts-droid-fallback)
[ "${1:-}" = "--fonts" ] || pkgs+=(poppler-utils)
missing=()
for p in "${pkgs[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "missing: ${missing[*]}: installing with apt-get" >&2
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get install -y "${missing[@]}" >&2 || { $SUDO apt-get update >&2 && $SUDO apt-get install -y "${missing[@]}" >&2; } || {
    echo "FAIL: could not install ${missing[*]} (apt-get install -y ${missing[*]}); PDF dossiers need the fonts, their tests need poppler-utils" >&2
    exit 1
  }
fi
for f in /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf; do
  [ -f "$f" ] || { echo "FAIL: $f not found after installing the fonts" >&2; exit 1; }
done
if [ "${1:-}" != "--fonts" ]; then
  for t in pdftotext pdftoppm pdfinfo; do
    command -v "$t" >/dev/null || { echo "FAIL: $t not found after installing poppler-utils" >&2; exit 1; }
  done
fi
echo "PDF fonts and tools present"

#!/usr/bin/env bash
# Rebuilds the script fonts shipped with the web client (src/fonts/*.woff2): Noto Sans Arabic (Uyghur) and Noto
# Serif Tibetan, from Debian's fonts-noto-core, subset with fontTools to the Arabic and Tibetan blocks (all
# OpenType layout features kept, so the browser can join Arabic letters and stack Tibetan ones). Licence: SIL Open
# Font License 1.1 (src/fonts/OFL.txt). Needs: apt-get install fonts-noto-core python3-fonttools python3-brotli
set -euo pipefail
cd "$(dirname "$0")/../src/fonts"
noto=/usr/share/fonts/truetype/noto
subset() { /usr/bin/python3 -m fontTools.subset "$1" --unicodes="$2" --layout-features='*' --flavor=woff2 \
  --no-hinting --desubroutinize --output-file="$3"; }
subset "$noto/NotoSansArabic-Regular.ttf" 'U+0600-06FF,U+200C-200F,U+25CC' habeas-arabic-Regular.woff2
subset "$noto/NotoSerifTibetan-Regular.ttf" 'U+0F00-0FFF,U+200C-200D,U+25CC' habeas-tibetan-Regular.woff2
ls -l ./*.woff2

#!/usr/bin/env bash
# Builds the SPA (web/) into internal/webui/dist/app, which the Go binary embeds, writes a brotli (.br) and a
# gzip (.gz) copy next to each compressible file (served by Accept-Encoding), then checks the size budget.
# Installs dependencies (npm ci, npm registry only) when node_modules is missing or package-lock.json changed.
set -euo pipefail
cd "$(dirname "$0")/../web"

stamp=node_modules/.package-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -d node_modules ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "web: npm ci"
  npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi

npm run --silent build   # tsc, vite build, then scripts/compress.mjs
node scripts/sizes.mjs

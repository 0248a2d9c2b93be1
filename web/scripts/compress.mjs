// Precompresses the built SPA for the server (internal/webui), which sends the variant a browser accepts:
// next to every compressible file X it writes X.br (brotli, quality 11) and X.gz (gzip, level 9), each kept
// only when smaller than X, and checks that each one decompresses to X. Already-compressed formats (images,
// woff2 fonts) are left alone. Usage (from web/): node scripts/compress.mjs [dir]
import { readFileSync, readdirSync, writeFileSync, rmSync, statSync } from 'node:fs';
import { brotliCompressSync, brotliDecompressSync, gzipSync, gunzipSync, constants } from 'node:zlib';
import { join, extname } from 'node:path';

const dir = process.argv[2] ?? '../internal/webui/dist/app';
const compressible = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json', '.webmanifest', '.txt', '.xml', '.map', '.ico', '.ttf', '.otf']);

const files = [];
const walk = (d) => {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) walk(p);
    else files.push(p);
  }
};
walk(dir);

let n = 0;
let raw = 0;
let br = 0;
for (const f of files) {
  if (f.endsWith('.br') || f.endsWith('.gz') || !compressible.has(extname(f))) continue;
  const data = readFileSync(f);
  const variants = [
    ['.br', brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
        [constants.BROTLI_PARAM_MODE]: extname(f) === '.ttf' || extname(f) === '.otf' ? constants.BROTLI_MODE_FONT : constants.BROTLI_MODE_TEXT,
      },
    }), brotliDecompressSync],
    ['.gz', gzipSync(data, { level: 9 }), gunzipSync],
  ];
  for (const [ext, packed, unpack] of variants) {
    rmSync(f + ext, { force: true });
    if (packed.length >= data.length) continue;
    if (!unpack(packed).equals(data)) {
      console.error(`web: ${f}${ext} does not decompress to ${f}`);
      process.exit(1);
    }
    writeFileSync(f + ext, packed);
    if (ext === '.br') br += packed.length;
  }
  raw += statSync(f).size;
  n++;
}
const kb = (x) => (x / 1024).toFixed(1) + ' KB';
console.log(`web: precompressed ${n} files: ${kb(raw)} -> ${kb(br)} brotli (plus gzip)`);

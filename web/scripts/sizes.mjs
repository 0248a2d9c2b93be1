// Prints the built sizes as sent on the wire and fails when what a browser must fetch before the sign-in form
// is usable is over the budget. The server sends the precompressed variants (scripts/compress.mjs): brotli to
// browsers that accept it (every current one), so the budget counts brotli bytes (the identity size when a
// file has no .br). The sign-in page's critical set: index.html, the scripts and stylesheets it references,
// the sign-in chunks (SignInPage, SignInFlow) and every chunk those import statically.
// Also fails on an inline script in index.html (the CSP, script-src 'self', would block it).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const dir = '../internal/webui/dist/app';
// Measured 179.1 KB on 2026-12-07 (docs/benchmarks.md, "Issue 24: transfer size"), plus ~10%. Lower it as the
// sign-in path shrinks: at 400 kbit/s every 50 KB is a second.
const budget = 197 * 1024;
const kb = (n) => (n / 1024).toFixed(1) + ' KB';
const size = (f) => statSync(join(dir, f)).size;
const wire = (f) => (existsSync(join(dir, f + '.br')) ? size(f + '.br') : size(f));
const gz = (f) => (existsSync(join(dir, f + '.gz')) ? size(f + '.gz') : gzipSync(readFileSync(join(dir, f)), { level: 9 }).length);

const html = readFileSync(join(dir, 'index.html'), 'utf8');
if (/<script(?![^>]*\bsrc=)[^>]*>/i.test(html)) {
  console.error("index.html has an inline script: the CSP (script-src 'self') would block it");
  process.exit(1);
}
const assets = readdirSync(join(dir, 'assets')).filter((f) => !f.endsWith('.br') && !f.endsWith('.gz'));
const referenced = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
const signIn = assets.filter((f) => /^(SignInPage|SignInFlow)-[\w-]+\.(js|css)$/.test(f)).map((f) => 'assets/' + f);
if (!signIn.some((f) => /\/SignInPage-[\w-]+\.js$/.test(f))) {
  console.error('web: sizes.mjs: no SignInPage chunk in assets/ (renamed?): the critical set would be incomplete');
  process.exit(1);
}
// Close over static imports (`from"./x.js"`, `import"./x.js"`); dynamic import() calls are not followed.
const critical = new Set(['index.html']);
const queue = [...referenced, ...signIn];
while (queue.length) {
  const f = queue.shift();
  if (critical.has(f)) continue;
  critical.add(f);
  if (!f.endsWith('.js')) continue;
  const src = readFileSync(join(dir, f), 'utf8');
  for (const m of src.matchAll(/(?:\bfrom|\bimport)\s*["']\.\/([\w.-]+\.js)["']/g)) queue.push('assets/' + m[1]);
}
const sum = (files, f) => files.reduce((n, x) => n + f(x), 0);
const crit = [...critical];
const total = sum(crit, wire);
const allJs = assets.filter((f) => f.endsWith('.js')).map((f) => 'assets/' + f);
const lazy = allJs.filter((f) => !critical.has(f));
console.log(`web: sign-in page on the wire ${kb(total)} brotli (${crit.length} files; gzip ${kb(sum(crit, gz))}; ` +
  `uncompressed ${kb(sum(crit, size))}; budget ${kb(budget)})`);
for (const f of crit) console.log(`web:   ${f} ${kb(wire(f))}`);
console.log(`web: other chunks ${kb(sum(lazy, wire))} brotli (${lazy.length} files, loaded on demand)`);
if (total > budget) {
  console.error(`web: the sign-in page's critical assets are over budget on the wire (${kb(total)} > ${kb(budget)})`);
  process.exit(1);
}

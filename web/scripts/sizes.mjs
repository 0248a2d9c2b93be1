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
// Measured 143.8 KB on 2026-12-07 (docs/benchmarks.md, "Issue 24: transfer size"), plus ~10%. Lower it as the
// sign-in path shrinks: at 400 kbit/s every 50 KB is a second.
const budget = 158 * 1024;
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
// index.html names the boot script and preloads the rest of the sign-in path (vite.config.ts, preloadSignIn).
const referenced = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
const signIn = assets.filter((f) => /^(SignInPage|SignInFlow)-[\w-]+\.(js|css)$/.test(f)).map((f) => 'assets/' + f);
if (!signIn.some((f) => /\/SignInPage-[\w-]+\.js$/.test(f))) {
  console.error('web: sizes.mjs: no SignInPage chunk in assets/ (renamed?): the critical set would be incomplete');
  process.exit(1);
}
// boot.ts fetches the active language's resources: count the larger of the two.
const langs = assets.filter((f) => /^(en|zh-Hans)-[\w-]+\.js$/.test(f)).map((f) => 'assets/' + f);
if (langs.length !== 2) {
  console.error(`web: sizes.mjs: expected a chunk per language (en, zh-Hans), found ${langs.join(', ') || 'none'}`);
  process.exit(1);
}
langs.sort((a, b) => wire(b) - wire(a));
// Close over static imports (`from"./x.js"`, `import"./x.js"`); dynamic import() calls are not followed.
const critical = new Set(['index.html']);
const queue = [...referenced, ...signIn, langs[0]];
while (queue.length) {
  const f = queue.shift();
  if (critical.has(f)) continue;
  critical.add(f);
  if (!f.endsWith('.js')) continue;
  const src = readFileSync(join(dir, f), 'utf8');
  for (const m of src.matchAll(/(?:\bfrom|\bimport)\s*["']\.\/([\w.-]+\.js)["']/g)) queue.push('assets/' + m[1]);
}
const preloaded = referenced.filter((f) => f.endsWith('.js'));
const missing = [...critical].filter((f) => f.endsWith('.js') && !preloaded.includes(f) && f !== langs[0]);
if (missing.length) {
  console.error(`web: the sign-in path loads scripts index.html does not preload (one round trip each): ${missing.join(', ')}`);
  process.exit(1);
}

// Mantine's styles are split (src/styles/sign-in.css, signed-in.css): every Mantine class (m_ and 8 hex digits)
// a sign-in script uses must have its rule (or keyframes) in the sign-in stylesheets, and every class any
// script uses must be in some stylesheet; else a component would show unstyled.
const classes = (files) => new Set(files.flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/\b(m_[0-9a-f]{8})\b/g)].map((m) => m[1])));
const defined = (files) => new Set(files.flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/(?:\.|@keyframes\s+)(m_[0-9a-f]{8})\b/g)].map((m) => m[1])));
const unstyled = (js, css) => {
  const d = defined(css);
  return [...classes(js)].filter((c) => !d.has(c));
};
const critJs = [...critical].filter((f) => f.endsWith('.js'));
const critCss = [...critical].filter((f) => f.endsWith('.css'));
const allCss = assets.filter((f) => f.endsWith('.css')).map((f) => 'assets/' + f);
const missingSignIn = unstyled(critJs, critCss);
const missingAll = unstyled(assets.filter((f) => f.endsWith('.js')).map((f) => 'assets/' + f), allCss);
if (missingSignIn.length || missingAll.length) {
  console.error('web: Mantine classes without their stylesheet (add the component\'s file to src/styles/sign-in.css or ' +
    `signed-in.css): sign-in path ${missingSignIn.join(' ') || 'none'}; anywhere ${missingAll.join(' ') || 'none'}`);
  process.exit(1);
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

// Prints the built sizes and fails when the initial JavaScript (the entry plus what index.html
// preloads) is over the budget of 250 KB gzipped.
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const dir = '../internal/webui/dist/app';
const budget = 250 * 1024;
const gz = (f) => gzipSync(readFileSync(join(dir, f)), { level: 9 }).length;
const kb = (n) => (n / 1024).toFixed(1) + ' KB';

const html = readFileSync(join(dir, 'index.html'), 'utf8');
if (/<script(?![^>]*\bsrc=)[^>]*>/i.test(html)) {
  console.error('index.html has an inline script: the CSP (script-src \'self\') would block it');
  process.exit(1);
}
const initial = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
const css = [...html.matchAll(/href="\/?(assets\/[^"]+\.css)"/g)].map((m) => m[1]);
const all = readdirSync(join(dir, 'assets')).filter((f) => f.endsWith('.js'));
const sum = (files) => files.reduce((n, f) => n + gz(f), 0);
const initialJs = sum(initial);
const lazyJs = sum(all.map((f) => 'assets/' + f).filter((f) => !initial.includes(f)));
console.log(`web: initial JS ${kb(initialJs)} gzipped (${initial.length} files; budget ${kb(budget)})`);
console.log(`web: CSS ${kb(sum(css))} gzipped; lazy route chunks ${kb(lazyJs)} gzipped (${all.length - initial.length} files)`);
if (initialJs > budget) {
  console.error('web: initial JavaScript over budget');
  process.exit(1);
}

import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import en from './en.json';
import zh from './zh-Hans.json';

type Tree = { [k: string]: string | Tree };

/** Flattened keys, with i18next plural suffixes folded (Chinese has only `_other`). */
function keys(t: Tree, prefix = ''): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(t)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.add(path.replace(/_(zero|one|two|few|many|other)$/, ''));
    else for (const x of keys(v, path)) out.add(x);
  }
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(f) && !/\.test\./.test(f) ? [p] : [];
  });
}

describe('translations', () => {
  const enKeys = keys(en as Tree);
  const zhKeys = keys(zh as Tree);

  it('every English key has a Chinese translation', () => {
    expect([...enKeys].filter((k) => !zhKeys.has(k))).toEqual([]);
  });

  it('every Chinese key exists in English', () => {
    expect([...zhKeys].filter((k) => !enKeys.has(k))).toEqual([]);
  });

  it('every literal key used in the source exists', () => {
    const used = new Set<string>();
    for (const f of sources(join(__dirname, '..'))) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((k) => !enKeys.has(k))).toEqual([]);
  });

  // Keys the scan below cannot see: none today. A key looked up from a value the source does not spell (a
  // key stored in data, say) goes here, with where it is used.
  const builtElsewhere: string[] = [];

  it('every English key is used by the source (a literal, or the fixed start of a built key)', () => {
    const text = sources(join(__dirname, '..'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    // Any quoted dotted name ('deadlines.list.title', also in arrays and objects), and the fixed start of a
    // template literal (`vocab.${kind}.${value}` -> "vocab.", `deadlines.list.due_${d}` -> "deadlines.list.due_").
    const literals = new Set([...text.matchAll(/['"`]([a-zA-Z][a-zA-Z0-9_]*(?:\.[a-zA-Z0-9_]+)+)['"`]/g)].map((m) => m[1]!));
    const prefixes = [...new Set([...text.matchAll(/`([a-zA-Z][a-zA-Z0-9_]*\.[a-zA-Z0-9_.]*)\$\{/g)].map((m) => m[1]!))];
    expect(prefixes.length).toBeGreaterThan(5);
    const unused = [...enKeys].filter((k) => !literals.has(k) && !prefixes.some((p) => k.startsWith(p)) && !builtElsewhere.includes(k));
    expect(unused).toEqual([]);
  });

  it('no Chinese value is left in English', () => {
    const flat = (t: Tree, p = ''): Array<[string, string]> =>
      Object.entries(t).flatMap(([k, v]) => (typeof v === 'string' ? [[`${p}${k}`, v] as [string, string]] : flat(v, `${p}${k}.`)));
    const untranslated = flat(zh as Tree).filter(([k, v]) => /^[A-Za-z ,.()'-]{4,}$/.test(v) && !k.startsWith('vocab.source'));
    expect(untranslated).toEqual([]);
  });
});

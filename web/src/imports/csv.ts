import { HttpError, type Schemas } from '../api/client';

export type Rejected = Schemas['ImportRejected'];

/** One CSV record with the line of the file where it starts (1 = the header), as the server counts lines. */
export type CsvRecord = { line: number; cells: string[] };

/**
 * Parses CSV text (RFC 4180: quoted cells may hold commas, quotes and line breaks; CRLF or LF) into
 * records, each with the file line where it starts. A byte-order mark at the start is dropped. Lenient
 * like a spreadsheet: a stray quote inside an unquoted cell is kept as text.
 */
export function parseCsv(text: string, maxRecords = Infinity): CsvRecord[] {
  const out: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n && out.length < maxRecords) {
    const start = line;
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    let atCellStart = true;
    for (; i < n; i++) {
      const c = text[i]!;
      if (quoted) {
        if (c === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i++;
          } else quoted = false;
        } else if (c === '\r' && text[i + 1] === '\n') {
          continue;
        } else {
          if (c === '\n') line++;
          cell += c;
        }
        continue;
      }
      if (c === '"' && atCellStart) {
        quoted = true;
        atCellStart = false;
        continue;
      }
      if (c === ',') {
        cells.push(cell);
        cell = '';
        atCellStart = true;
        continue;
      }
      if (c === '\r' && text[i + 1] === '\n') continue;
      if (c === '\n') {
        i++;
        break;
      }
      cell += c;
      atCellStart = false;
    }
    cells.push(cell);
    line++;
    // Blank lines are skipped, as the server's reader does.
    if (!(cells.length === 1 && cells[0] === '')) out.push({ line: start, cells });
  }
  return out;
}

/** One CSV line (no line break) with the cells quoted where needed. */
export function csvLine(cells: readonly string[]): string {
  return cells.map((c) => (/[",\r\n]/.test(c) || /^\s|\s$/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
}

/** A cell a spreadsheet would read as a formula: starting with tab, CR or LF, or (after any spaces) with
 * = + - @ | or their full-width or small forms, or the minus sign (as the server's export guards them). */
const formulaStart = /^[\t\r\n]|^\s*[=+\-@|\uFF1D\uFF0B\uFF0D\uFF20\uFF5C\uFE66\uFE62\uFE63\uFE6B\u2212]/u;

/**
 * A cell of the uploaded file as written back to the rejected lines file: with a ' before a formula
 * start, so that a spreadsheet shows it as text (spreadsheet formula injection). The import removes
 * that ' again, so the cell imports as before; a cell already starting with ' is left as it is.
 */
export function formulaSafeCell(c: string): string {
  return !c.startsWith("'") && formulaStart.test(c) ? `'${c}` : c;
}

/** The column added to the rejected lines file, holding the messages. */
export const errorsColumn = 'import_errors';

/** "column: message; column: message" of one rejected line, columns in order. */
export function messages(r: Rejected): string {
  return Object.keys(r.fields)
    .sort()
    .map((k) => `${k}: ${r.fields[k]}`)
    .join('; ');
}

/**
 * The rejected lines of an uploaded file as a CSV: the file's header plus an `import_errors` column, then
 * each rejected record as it was in the file with its messages (in file order), cells that a spreadsheet
 * would read as a formula guarded (formulaSafeCell). A rejection whose line is
 * not a record of the file (a broken quote, say) gets a row of its own with empty cells. Starts with a
 * byte-order mark so spreadsheets read it as UTF-8 (the import skips it). Corrected, the file can be
 * imported again (map or ignore the extra column).
 */
export function rejectsCsv(text: string, rejected: readonly Rejected[]): string {
  const records = parseCsv(text);
  const header = records[0]?.cells ?? [];
  const byLine = new Map(records.map((r) => [r.line, r]));
  const rows = [csvLine([...header, errorsColumn])];
  for (const r of [...rejected].sort((a, b) => a.line - b.line)) {
    const rec = byLine.get(r.line);
    const cells = rec ? [...rec.cells] : [];
    while (cells.length < header.length) cells.push('');
    rows.push(csvLine([...cells.slice(0, Math.max(header.length, cells.length)).map(formulaSafeCell), `line ${r.line}: ${messages(r)}`]));
  }
  return '\ufeff' + rows.join('\r\n') + '\r\n';
}

/** The header and the first data record of a CSV file, read from its first MiB only (files may be huge). */
export async function readHead(file: Blob): Promise<{ header: string[]; sample: string[] }> {
  const recs = parseCsv(await file.slice(0, 1 << 20).text(), 2);
  return { header: (recs[0]?.cells ?? []).map((h) => h.trim()), sample: recs[1]?.cells ?? [] };
}

/**
 * The fields an import column may be mapped to. The API has no route listing them: these are the columns
 * of the CSV export (internal/cases/csv.go csvColumns) plus died_at, case.sentence and other_names.<kind>
 * for each name kind (issue 20 contract).
 */
export const importFields: readonly string[] = [
  'id',
  'name',
  'other_names',
  'sex',
  'born_at',
  'died_at',
  'ethnic_group',
  'nationality',
  'religion',
  'occupation_category',
  'occupation',
  'home_province',
  'home_place',
  'issue',
  'detention_status',
  'detention_place',
  'facility_type',
  'health_concerns',
  'cross_references',
  'summary',
  'source',
  'source_reliability',
  'information_credibility',
  'family_contacts',
  'home_address',
  'confidential_notes',
  'case.sentence',
];

/** Headers commonly used for a field (lower case, without separators), in English and Chinese. */
const aliases: Record<string, string> = {
  fullname: 'name',
  姓名: 'name',
  名字: 'name',
  gender: 'sex',
  性别: 'sex',
  birth: 'born_at',
  born: 'born_at',
  dateofbirth: 'born_at',
  birthdate: 'born_at',
  dob: 'born_at',
  出生日期: 'born_at',
  出生: 'born_at',
  died: 'died_at',
  death: 'died_at',
  dateofdeath: 'died_at',
  deathdate: 'died_at',
  去世: 'died_at',
  死亡日期: 'died_at',
  ethnicity: 'ethnic_group',
  民族: 'ethnic_group',
  province: 'home_province',
  省份: 'home_province',
  status: 'detention_status',
  状态: 'detention_status',
  sentence: 'case.sentence',
  刑期: 'case.sentence',
  判决: 'case.sentence',
  pinyin: 'other_names.pinyin',
  拼音: 'other_names.pinyin',
  traditional: 'other_names.traditional',
  繁体: 'other_names.traditional',
};

/** A first guess of the field of each column: the field of the same name, a common alias, else ignored ("-"). */
export function guessMapping(header: readonly string[], fields: readonly string[]): Record<string, string> {
  const norm = (s: string) => s.toLowerCase().replace(/[\s_\-.·:()]/g, '');
  const byNorm = new Map(fields.map((f) => [norm(f), f]));
  const used = new Set<string>();
  const out: Record<string, string> = {};
  for (const h of header) {
    const k = norm(h);
    const f = fields.includes(h) ? h : (byNorm.get(k) ?? aliases[k]);
    if (f && fields.includes(f) && !used.has(f)) {
      out[h] = f;
      used.add(f);
    } else out[h] = '-';
  }
  return out;
}

/** The rejected lines of a 400 import_failed answer (fields keyed "line N: column"); null for other errors. */
export function rejectedFromError(err: unknown): Rejected[] | null {
  if (!(err instanceof HttpError) || err.body?.code !== 'import_failed' || !err.body.fields) return null;
  const byLine = new Map<number, Record<string, string>>();
  for (const [k, msg] of Object.entries(err.body.fields)) {
    const m = /^line (\d+)(?:: (.*))?$/.exec(k);
    if (!m) continue;
    const line = Number(m[1]);
    const fields = byLine.get(line) ?? {};
    fields[m[2] ?? '(line)'] = msg;
    byLine.set(line, fields);
  }
  return [...byLine.entries()].sort((a, b) => a[0] - b[0]).map(([line, fields]) => ({ line, fields }));
}

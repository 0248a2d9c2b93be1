import { describe, expect, it } from 'vitest';
import { HttpError } from '../api/client';
import { csvLine, formulaSafeCell, guessMapping, importFields, parseCsv, readHead, rejectedFromError, rejectsCsv } from './csv';

const file = [
  '\ufeffname,born_at,notes',
  '刘晓波,1955-12-28,"a ""quoted"" note"',
  '',
  '伊力哈木·土赫提,1954-02-29,"two',
  'lines, with a comma"',
  'Gao Zhisheng,19812,',
].join('\r\n');

describe('parseCsv', () => {
  it('gives each record the file line where it starts, as the server counts (header = 1, blank lines count)', () => {
    const recs = parseCsv(file);
    expect(recs.map((r) => r.line)).toEqual([1, 2, 4, 6]);
    expect(recs[0]!.cells).toEqual(['name', 'born_at', 'notes']);
    expect(recs[1]!.cells[2]).toBe('a "quoted" note');
    expect(recs[2]!.cells[2]).toBe('two\nlines, with a comma');
    expect(recs[3]!.cells).toEqual(['Gao Zhisheng', '19812', '']);
  });
  it('stops after maxRecords', () => {
    expect(parseCsv(file, 2)).toHaveLength(2);
  });
});

describe('rejectsCsv', () => {
  it('writes the header plus import_errors, then the rejected records as they were, in file order', () => {
    const out = rejectsCsv(file, [
      { line: 6, fields: { born_at: '"19812": not a date; use YYYY, YYYY-MM or YYYY-MM-DD' } },
      { line: 4, fields: { born_at: '1954-02-29 does not exist (1954 is not a leap year)', sex: '"男?" is not a known sex' } },
    ]);
    expect(out.startsWith('\ufeff')).toBe(true);
    const back = parseCsv(out);
    expect(back[0]!.cells).toEqual(['name', 'born_at', 'notes', 'import_errors']);
    expect(back[1]!.cells).toEqual([
      '伊力哈木·土赫提',
      '1954-02-29',
      'two\nlines, with a comma',
      'line 4: born_at: 1954-02-29 does not exist (1954 is not a leap year); sex: "男?" is not a known sex',
    ]);
    expect(back[2]!.cells).toEqual(['Gao Zhisheng', '19812', '', 'line 6: born_at: "19812": not a date; use YYYY, YYYY-MM or YYYY-MM-DD']);
    expect(back).toHaveLength(3);
  });
  it('keeps a rejection whose line is no record (a broken quote) as a row of its own', () => {
    const back = parseCsv(rejectsCsv('name\nA\n', [{ line: 9, fields: { '(file)': 'bare " in non-quoted field' } }]));
    expect(back[1]!.cells).toEqual(['', 'line 9: (file): bare " in non-quoted field']);
  });
});

describe('formula guard', () => {
  it('writes rejected cells that a spreadsheet would read as a formula with a leading \'', () => {
    const src = ['name,notes', '=HYPERLINK("http://x"),＝1+1', '｜cmd,\'=already guarded', 'Ilham Tohti,a=b'].join('\n');
    const back = parseCsv(rejectsCsv(src, [{ line: 2, fields: { name: 'x' } }, { line: 3, fields: { name: 'x' } }, { line: 4, fields: { name: 'x' } }]));
    expect(back[1]!.cells.slice(0, 2)).toEqual(['\'=HYPERLINK("http://x")', '\'＝1+1']);
    expect(back[2]!.cells.slice(0, 2)).toEqual(['\'｜cmd', '\'=already guarded']);
    expect(back[3]!.cells.slice(0, 2)).toEqual(['Ilham Tohti', 'a=b']);
  });
  it('guards the ASCII, full-width and small formula starts, and leaves other text alone', () => {
    for (const c of ['=1', '+1', '-1', '@A1', '|x', '＝1', '＋1', '－1', '＠A1', '｜x', '﹦1', '﹢1', '﹣1', '﹫A1', '−1', ' =1', '\u3000＝1', '\t1', '\r1', '\n1']) {
      expect(formulaSafeCell(c)).toBe(`'${c}`);
    }
    for (const c of ['', 'ئىلھام توختى', '伊力哈木', 'a|b', '100%', "'quoted"]) {
      expect(formulaSafeCell(c)).toBe(c);
    }
  });
});

describe('csvLine', () => {
  it('quotes cells with commas, quotes, line breaks or edge spaces only', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'x\ny', ' pad', '刘'])).toBe('a,"b,c","say ""hi""","x\ny"," pad",刘');
  });
});

describe('guessMapping', () => {
  it('maps columns named after a field, common aliases in English and Chinese, and ignores the rest', () => {
    const fields = [...importFields, 'other_names.pinyin'];
    expect(guessMapping(['Name', '出生日期', 'Date of death', '拼音', 'born_at', 'remarks', 'Home Province'], fields)).toEqual({
      Name: 'name',
      出生日期: 'born_at',
      'Date of death': 'died_at',
      拼音: 'other_names.pinyin',
      born_at: '-', // already given by 出生日期
      remarks: '-',
      'Home Province': 'home_province',
    });
  });
});

describe('readHead', () => {
  it('reads the header and the first line of a file', async () => {
    expect(await readHead(new Blob([file]))).toEqual({ header: ['name', 'born_at', 'notes'], sample: ['刘晓波', '1955-12-28', 'a "quoted" note'] });
  });
});

describe('rejectedFromError', () => {
  it('groups a 400 import_failed answer by line', () => {
    const err = new HttpError(400, {
      code: 'import_failed',
      message: '2 lines have errors',
      request_id: 'r',
      fields: { 'line 3: born_at': 'bad', 'line 3: sex': 'worse', 'line 12: (line)': 'has 2 cells', 'mapping.x': 'no such column' },
    });
    expect(rejectedFromError(err)).toEqual([
      { line: 3, fields: { born_at: 'bad', sex: 'worse' } },
      { line: 12, fields: { '(line)': 'has 2 cells' } },
    ]);
    expect(rejectedFromError(new HttpError(403, { code: 'forbidden', message: 'no', request_id: 'r' }))).toBeNull();
  });
});

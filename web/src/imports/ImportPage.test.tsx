import { beforeEach, describe, expect, it, vi } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { stubFetch, wrap } from '../test-utils';
import { authStore } from '../auth/store';
import { saveBlob } from '../evidence/download';
import ImportPage from './ImportPage';

vi.mock('../evidence/download', () => ({ saveBlob: vi.fn() }));

/** A scripted XMLHttpRequest: reports upload progress, then answers the next queued answer. */
class FakeXhr {
  static sent: FakeXhr[] = [];
  static answers: Array<{ status: number; body: unknown }> = [];
  headers: Record<string, string> = {};
  url = '';
  body: FormData | null = null;
  status = 0;
  responseText = '';
  withCredentials = false;
  upload: { onprogress: ((e: ProgressEvent) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  open(_m: string, url: string) {
    this.url = url;
  }
  setRequestHeader(k: string, v: string) {
    this.headers[k] = v;
  }
  abort() {
    this.onabort?.();
  }
  send(body: FormData) {
    this.body = body;
    FakeXhr.sent.push(this);
    const answer = FakeXhr.answers.shift() ?? { status: 500, body: {} };
    setTimeout(() => {
      for (const loaded of [0, 50, 100]) this.upload.onprogress?.({ loaded, total: 100, lengthComputable: true } as ProgressEvent);
      this.status = answer.status;
      this.responseText = JSON.stringify(answer.body);
      this.onload?.();
    }, 0);
  }
}

const me = { id: 'u0', email: 'a@x', name: 'Coordinator', role: 'coordinator', totp_enabled: true, mfa_required: true, must_change_password: false, session_id: 's' };
const vocab = { name_kinds: [{ value: 'pinyin', label: 'Pinyin' }, { value: 'traditional', label: 'Chinese (traditional)' }] };
const csv = '姓名,出生日期,拼音,remarks\r\n刘晓波,1955-12-28,Liu Xiaobo,x\r\n伊力哈木·土赫提,1954-02-29,Ilham Tohti,y\r\nGao Zhisheng,1964,,z\r\n';
const rejected = [{ line: 3, fields: { 出生日期: '1954-02-29 does not exist (1954 is not a leap year)' } }];

async function chooseFile() {
  wrap(
    <MemoryRouter>
      <ImportPage />
    </MemoryRouter>,
  );
  await screen.findByRole('heading', { name: 'Import detainees (CSV)' });
  const input = document.querySelector('input[type=file]') as HTMLInputElement;
  await userEvent.upload(input, new File([csv], 'prisoners.csv', { type: 'text/csv' }));
  await screen.findByRole('heading', { name: 'Columns' });
}

describe('ImportPage', () => {
  beforeEach(() => {
    FakeXhr.sent = [];
    FakeXhr.answers = [];
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    authStore.signedIn('tok');
    stubFetch({ 'GET /api/v1/me': [200, me], 'GET /api/v1/vocabularies': [200, vocab] });
  });

  it('maps the columns, dry-runs with skip, shows counts, rejected lines, duplicates and downloads the rejects; then imports', async () => {
    await chooseFile();
    expect(screen.getByLabelText('Field of column 姓名', { selector: 'input' })).toHaveValue('Name (name)');
    expect(screen.getByLabelText('Field of column 出生日期', { selector: 'input' })).toHaveValue('Date of birth (born_at)');
    expect(screen.getByLabelText('Field of column 拼音', { selector: 'input' })).toHaveValue('Name form: Pinyin (other_names.pinyin)');
    expect(screen.getByLabelText('Field of column remarks', { selector: 'input' })).toHaveValue('Ignore this column');

    FakeXhr.answers.push({
      status: 200,
      body: { dry_run: true, rows: 3, created: 2, updated: 0, rejected, possible_duplicates: [{ line: 2, detainee_ids: ['d1234567-aaaa'] }] },
    });
    await userEvent.click(screen.getByRole('button', { name: 'Check (dry run)' }));
    const dry = await screen.findByRole('heading', { name: 'Dry run: nothing was stored' });
    expect(screen.getByRole('progressbar', { name: 'Upload progress' })).toHaveAttribute('aria-valuenow', '100');
    expect(screen.getByText('Uploaded')).toBeInTheDocument();
    const x = FakeXhr.sent[0]!;
    expect(x.url).toBe('http://localhost/api/v1/detainees/import');
    expect(x.headers.Authorization).toBe('Bearer tok');
    expect([...x.body!.keys()]).toEqual(['mapping', 'dry_run', 'on_error', 'file']);
    expect(JSON.parse(x.body!.get('mapping') as string)).toEqual({ 姓名: 'name', 出生日期: 'born_at', 拼音: 'other_names.pinyin', remarks: '-' });
    expect(x.body!.get('dry_run')).toBe('true');
    expect(x.body!.get('on_error')).toBe('skip');

    const card = dry.closest('div.mantine-Card-root') as HTMLElement;
    expect(within(card).getByText('Would create').nextSibling).toHaveTextContent('2');
    const table = within(card).getByRole('table', { name: 'Rejected lines' });
    const row = within(table).getAllByRole('row')[1]!;
    expect(row).toHaveTextContent('3');
    expect(row).toHaveTextContent('出生日期');
    expect(row).toHaveTextContent('1954-02-29 does not exist (1954 is not a leap year)');
    expect(await within(card).findByText(/Line 2 \(刘晓波\)/)).toBeInTheDocument();
    expect(within(card).getByRole('link', { name: 'record d1234567' })).toHaveAttribute('href', '/detainees/d1234567-aaaa');

    await userEvent.click(within(card).getByRole('button', { name: 'Download rejected lines (CSV)' }));
    await vi.waitFor(() => expect(saveBlob).toHaveBeenCalled());
    const [blob, name] = vi.mocked(saveBlob).mock.calls[0]!;
    expect(name).toBe('prisoners-rejected.csv');
    expect([...new Uint8Array(await blob.arrayBuffer()).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // a UTF-8 byte-order mark
    expect(await blob.text()).toBe('姓名,出生日期,拼音,remarks,import_errors\r\n伊力哈木·土赫提,1954-02-29,Ilham Tohti,y,line 3: 出生日期: 1954-02-29 does not exist (1954 is not a leap year)\r\n');

    FakeXhr.answers.push({ status: 200, body: { dry_run: false, rows: 3, created: 2, updated: 0, rejected } });
    await userEvent.click(screen.getByRole('button', { name: 'Import' }));
    const done = await screen.findByRole('heading', { name: 'Import done' });
    expect(FakeXhr.sent[1]!.body!.get('dry_run')).toBe('false');
    expect(FakeXhr.sent[1]!.body!.get('on_error')).toBe('skip');
    const doneCard = done.closest('div.mantine-Card-root') as HTMLElement;
    expect(within(doneCard).getByText('Created').nextSibling).toHaveTextContent('2');
    expect(screen.getByRole('button', { name: 'Import' })).toBeDisabled();
  }, 60_000);

  it('import nothing (abort): a 400 import_failed lists the rejected lines and says nothing was imported', async () => {
    await chooseFile();
    FakeXhr.answers.push({ status: 200, body: { dry_run: true, rows: 3, created: 2, updated: 0, rejected } });
    await userEvent.click(screen.getByRole('button', { name: 'Check (dry run)' }));
    await screen.findByRole('heading', { name: 'Dry run: nothing was stored' });
    await userEvent.click(screen.getByRole('radio', { name: 'Import nothing' }));
    FakeXhr.answers.push({
      status: 400,
      body: { code: 'import_failed', message: '1 lines have errors; nothing was imported', request_id: 'r', fields: { 'line 3: 出生日期': '1954-02-29 does not exist' } },
    });
    await userEvent.click(screen.getByRole('button', { name: 'Import' }));
    await screen.findByRole('heading', { name: 'Import failed' });
    expect(FakeXhr.sent[1]!.body!.get('on_error')).toBe('abort');
    expect(screen.getByText('1 line was rejected, so nothing was imported.')).toBeInTheDocument();
    expect(screen.getAllByText('1954-02-29 does not exist').length).toBe(1);
  }, 60_000);

  it('tells other roles that only administrators and coordinators may import', async () => {
    stubFetch({ 'GET /api/v1/me': [200, { ...me, role: 'lawyer' }], 'GET /api/v1/vocabularies': [200, vocab] });
    wrap(
      <MemoryRouter>
        <ImportPage />
      </MemoryRouter>,
    );
    expect(await screen.findByText('Only administrators and coordinators may import.')).toBeInTheDocument();
  });
});

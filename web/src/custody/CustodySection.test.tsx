import { describe, expect, it, vi } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { stubFetch, wrap } from '../test-utils';
import i18n from '../i18n';
import CustodySection, { validatePeriod } from './CustodySection';
import { SentenceRelease } from './SentenceRelease';
import type { Schemas } from '../api/client';

const period = (over: Partial<Schemas['CustodyPeriod']>): Schemas['CustodyPeriod'] => ({
  id: 'p1',
  case_id: 'c1',
  measure: 'rsdl',
  started_at: '2015-08-04',
  ended_at: '2016-01-07',
  facility: { name: 'Site A', kind: 'rsdl_site', city: 'Tianjin', province: 'Tianjin' },
  authority: 'Tianjin PSB',
  notes: '',
  source: 'CHRD',
  source_reliability: 'B',
  confidential: false,
  version: 2,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  ...over,
});

const vocab = {
  custody_measures: [
    { value: 'rsdl', label: 'RSDL' },
    { value: 'arrest', label: 'Arrest' },
  ],
  facility_types: [
    { value: 'rsdl_site', label: 'RSDL site' },
    { value: 'detention_centre', label: 'Detention centre' },
  ],
  source_reliability: [{ value: 'B', label: 'B' }],
};

const list = (items: Schemas['CustodyPeriod'][]) => [200, { items, next_cursor: null }] as [number, unknown];

describe('custody history', () => {
  it('draws each period on the strip and lists it in the table', async () => {
    stubFetch({
      'GET /api/v1/vocabularies': [200, vocab],
      'GET /api/v1/cases/c1/custody-periods': list([period({}), period({ id: 'p2', measure: 'arrest', started_at: '2016-01-08', ended_at: null, facility: { name: 'Tianjin No. 2', kind: 'detention_centre', city: 'Tianjin', province: '' } })]),
    });
    wrap(<CustodySection caseId="c1" canWrite={false} />);
    const strip = await screen.findByTestId('custody-strip');
    expect(strip).toHaveAttribute('role', 'img');
    expect(strip.getAttribute('aria-label')).toMatch(/^Chart of 2 custody periods, from Aug 4, 2015 to today/);
    const bars = strip.querySelectorAll('[data-measure]');
    expect([...bars].map((b) => b.getAttribute('data-measure'))).toEqual(['rsdl', 'arrest']);
    expect(bars[1]).toHaveAttribute('data-ongoing', 'true');
    const table = screen.getByRole('table');
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(within(rows[1]!).getByText('RSDL (designated location)')).toBeInTheDocument();
    expect(within(rows[1]!).getByText('Site A')).toBeInTheDocument();
    expect(within(rows[1]!).getByText('157 days')).toBeInTheDocument();
    expect(within(rows[2]!).getByText('ongoing')).toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Legend' })).toHaveTextContent('Formal arrest (pre-trial custody)');
    // Observers (no write right) get no add, edit or delete control.
    expect(screen.queryByRole('button', { name: 'Add a custody period' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Edit period/ })).toBeNull();
  });

  it('adds a period: checks the dates in the browser, then POSTs the whole period', async () => {
    const calls = stubFetch({
      'GET /api/v1/vocabularies': [200, vocab],
      'GET /api/v1/cases/c1/custody-periods': list([]),
      'POST /api/v1/cases/c1/custody-periods': [201, period({ id: 'new' })],
    });
    wrap(<CustodySection caseId="c1" canWrite />);
    expect(await screen.findByText(/No custody period recorded/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Add a custody period' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(within(dialog).getAllByText('Required.')).toHaveLength(2);
    await userEvent.click(within(dialog).getByRole('combobox', { name: /^Measure/ }));
    await userEvent.click(await screen.findByRole('option', { name: 'RSDL (designated location)' }));
    await userEvent.type(within(dialog).getByRole('textbox', { name: /^Start/ }), '2015-08-04');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /^End/ }), '2015-07');
    expect(within(dialog).getByText('The end is before the start.')).toBeInTheDocument();
    await userEvent.clear(within(dialog).getByRole('textbox', { name: /^End/ }));
    await userEvent.type(within(dialog).getByRole('textbox', { name: /^End/ }), '2016-01-07');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /^Place/ }), ' Site A ');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await vi.waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.body).toEqual({
      measure: 'rsdl',
      started_at: '2015-08-04',
      ended_at: '2016-01-07',
      facility: { name: 'Site A', kind: '', city: '', province: '' },
      authority: '',
      notes: '',
      source: '',
      source_reliability: '',
      confidential: false,
    });
  });

  it('edits with If-Match and only the changed fields; shows the server field errors in the UI language', async () => {
    const calls = stubFetch({
      'GET /api/v1/vocabularies': [200, vocab],
      'GET /api/v1/cases/c1/custody-periods': list([period({})]),
      'PATCH /api/v1/cases/c1/custody-periods/p1': [400, { code: 'validation_failed', message: 'invalid', fields: { ended_at: 'before started_at', 'facility.kind': 'unknown' }, request_id: 'r1' }],
    });
    await i18n.changeLanguage('zh-Hans');
    try {
      wrap(<CustodySection caseId="c1" canWrite />);
      await userEvent.click(await screen.findByRole('button', { name: /^编辑期间：指定居所监视居住/ }));
      const dialog = await screen.findByRole('dialog');
      const end = within(dialog).getByRole('textbox', { name: /^结束/ });
      await userEvent.clear(end);
      await userEvent.type(end, '2016-02-01');
      await userEvent.click(within(dialog).getByRole('button', { name: '保存' }));
      expect(await within(dialog).findByText('结束日期无效或早于开始日期。')).toBeInTheDocument();
      expect(within(dialog).getByText('请从列表中选择场所类型。')).toBeInTheDocument();
      const patch = calls.find((c) => c.method === 'PATCH')!;
      expect(patch.headers.get('If-Match')).toBe('"2"');
      expect(patch.headers.get('Accept-Language')).toMatch(/^zh/);
      expect(patch.body).toEqual({ ended_at: '2016-02-01' });
    } finally {
      await i18n.changeLanguage('en');
    }
  });

  it('deletes with If-Match after a confirmation', async () => {
    const calls = stubFetch({
      'GET /api/v1/vocabularies': [200, vocab],
      'GET /api/v1/cases/c1/custody-periods': list([period({ version: 5 })]),
      'DELETE /api/v1/cases/c1/custody-periods/p1': [204, null],
    });
    wrap(<CustodySection caseId="c1" canWrite />);
    await userEvent.click(await screen.findByRole('button', { name: /^Delete period: RSDL/ }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('recorded in error');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await vi.waitFor(() => expect(calls.some((c) => c.method === 'DELETE')).toBe(true));
    expect(calls.find((c) => c.method === 'DELETE')!.headers.get('If-Match')).toBe('"5"');
  });
});

describe('validatePeriod', () => {
  it('refuses only a clear contradiction between partial dates', () => {
    expect(validatePeriod({ measure: 'rsdl', started_at: '2015-08', ended_at: '2015-08-01' })).toEqual({});
    expect(validatePeriod({ measure: 'rsdl', started_at: '2015-08-04', ended_at: '2015' })).toEqual({});
    expect(validatePeriod({ measure: 'rsdl', started_at: '2015-08-04', ended_at: '2015-08-03' })).toEqual({ ended_at: 'before_start' });
    expect(validatePeriod({ measure: '', started_at: '2015-02-30', ended_at: 'x' })).toEqual({ measure: 'required', started_at: 'date', ended_at: 'date' });
  });
});

describe('sentence and release', () => {
  it('shows the sentence and the expected release with its derivation', () => {
    stubFetch({ 'GET /api/v1/vocabularies': [200, {}] });
    const c = {
      sentence_kind: 'fixed_term',
      sentence_term_months: 54,
      political_rights_months: 60,
      sentence_in_force_at: '2019-01-28',
      sentence: 'four and a half years',
      expected_release_at: '2020-04-05',
      expected_release_basis: ['Term: 4 years 6 months from 2015-08-03', 'RSDL 2015-08-04 – 2016-01-07: 157 days count as 78'],
    } as Schemas['Case'];
    wrap(<SentenceRelease c={c} />);
    expect(screen.getByText('Fixed-term imprisonment')).toBeInTheDocument();
    expect(screen.getByText('4 years 6 months', { selector: 'dd' })).toBeInTheDocument();
    expect(screen.getByText('5 years')).toBeInTheDocument();
    expect(screen.getByTestId('expected-release')).toHaveTextContent('Apr 5, 2020');
    const basis = screen.getByRole('list', { name: 'How it is computed:' });
    expect(within(basis).getAllByRole('listitem').map((li) => li.textContent)).toEqual(c.expected_release_basis);
  });
});

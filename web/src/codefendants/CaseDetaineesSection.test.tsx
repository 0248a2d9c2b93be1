import { describe, expect, it, vi } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { stubFetch, wrap } from '../test-utils';
import CaseDetaineesSection from './CaseDetaineesSection';
import type { Schemas } from '../api/client';

const person = (id: string, name: string, pinyin?: string) => ({ id, name, other_names: pinyin ? [{ name: pinyin, kind: 'pinyin' as const }] : [] });
const principal: Schemas['CaseDetainee'] = {
  case_id: 'c1',
  detainee_id: 'd1',
  role: 'defendant',
  note: '',
  principal: true,
  detainee: person('d1', '丁家喜', 'Ding Jiaxi'),
  version: null,
  created_at: null,
  updated_at: null,
};
const linked: Schemas['CaseDetainee'] = {
  ...principal,
  detainee_id: 'd2',
  role: 'co_defendant',
  principal: false,
  detainee: person('d2', '许志永', 'Xu Zhiyong'),
  version: 3,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};
const vocab = {
  case_detainee_roles: [
    { value: 'defendant', label: 'Defendant' },
    { value: 'co_defendant', label: 'Co-defendant' },
    { value: 'witness', label: 'Detained witness' },
  ],
};
const page = (items: unknown[]) => [200, { items, next_cursor: null, total: items.length, total_capped: false }] as [number, unknown];

describe('Detainees in this case', () => {
  it('lists the principal first, not removable, then the others with their role', async () => {
    stubFetch({ 'GET /api/v1/vocabularies': [200, vocab], 'GET /api/v1/cases/c1/detainees': page([principal, linked]) });
    wrap(
      <MemoryRouter>
        <CaseDetaineesSection caseId="c1" canWrite={false} />
      </MemoryRouter>,
    );
    const rows = within(await screen.findByRole('table')).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(within(rows[1]!).getByText('Principal defendant')).toBeInTheDocument();
    expect(within(rows[2]!).getByRole('link', { name: '许志永 · Xu Zhiyong' })).toHaveAttribute('href', '/detainees/d2');
    expect(within(rows[2]!).getByText('Co-defendant')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Remove/ })).toBeNull();
  });

  it('adds one found by name, changes a role and removes after confirming', async () => {
    const calls = stubFetch({
      'GET /api/v1/vocabularies': [200, vocab],
      'GET /api/v1/cases/c1/detainees': page([principal, linked]),
      'GET /api/v1/detainees': page([{ ...person('d3', '王全璋', 'Wang Quanzhang') }, { ...person('d2', '许志永') }]),
      'POST /api/v1/cases/c1/detainees': [201, { ...linked, detainee_id: 'd3' }],
      'PATCH /api/v1/cases/c1/detainees/d2': [200, { ...linked, role: 'witness', version: 4 }],
      'DELETE /api/v1/cases/c1/detainees/d2': [204, {}],
    });
    wrap(
      <MemoryRouter>
        <CaseDetaineesSection caseId="c1" canWrite />
      </MemoryRouter>,
    );
    expect(screen.queryByRole('button', { name: 'Remove 丁家喜 from this case' })).toBeNull();
    await userEvent.click(await screen.findByRole('button', { name: 'Add a detainee' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByRole('searchbox', { name: /Find a detainee/ }), '王');
    // Already in the case: not offered.
    await userEvent.click(await within(dialog).findByRole('radio', { name: '王全璋 · Wang Quanzhang' }));
    expect(within(dialog).queryByRole('radio', { name: /许志永/ })).toBeNull();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add to the case' }));
    await vi.waitFor(() => expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ detainee_id: 'd3', role: 'co_defendant' }));

    await userEvent.click(screen.getByRole('combobox', { name: 'Role of 许志永' }));
    await userEvent.click(await screen.findByRole('option', { name: 'Detained witness' }));
    await vi.waitFor(() => expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ role: 'witness' }));
    expect(calls.find((c) => c.method === 'PATCH')!.headers.get('If-Match')).toBe('"3"');

    await userEvent.click(screen.getByRole('button', { name: 'Remove 许志永 from this case' }));
    const confirm = await screen.findByRole('dialog');
    expect(within(confirm).getByText(/The detainee's record stays/)).toBeInTheDocument();
    await userEvent.click(within(confirm).getByRole('button', { name: 'Remove' }));
    await vi.waitFor(() => expect(calls.some((c) => c.method === 'DELETE' && c.url === '/api/v1/cases/c1/detainees/d2')).toBe(true));
  });
});

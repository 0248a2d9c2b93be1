import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { stubFetch, wrap } from '../test-utils';
import CaseLinksSection from './CaseLinksSection';
import type { Schemas } from '../api/client';

const link = (over: Partial<Schemas['CaseLink']>): Schemas['CaseLink'] => ({
  id: 'l1',
  case_id: 'c2',
  other_case: { id: 'c2', title: 'Inciting subversion', case_numbers: [], detainee_id: 'd2', detainee_name: '余文生', status: 'open', stage: '' },
  kind: 'same_proceedings',
  direction: 'outgoing',
  note: '',
  version: 1,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  ...over,
});
const list = (items: Schemas['CaseLink'][]) => [200, { items, next_cursor: null, total: items.length, total_capped: false }] as [number, unknown];

describe('Linked cases', () => {
  it('labels each link from this case, a lawyer_detained link differently by its direction', async () => {
    stubFetch({
      'GET /api/v1/cases/c1/links': list([
        link({}),
        link({ id: 'l2', case_id: 'c3', other_case: { ...link({}).other_case, id: 'c3', detainee_name: '王全璋', title: '' }, kind: 'lawyer_detained', direction: 'outgoing' }),
        link({ id: 'l3', case_id: 'c4', other_case: { ...link({}).other_case, id: 'c4', detainee_name: '江天勇', title: '' }, kind: 'lawyer_detained', direction: 'incoming' }),
      ]),
    });
    wrap(
      <MemoryRouter>
        <CaseLinksSection caseId="c1" canWrite={false} />
      </MemoryRouter>,
    );
    const rows = within(await screen.findByRole('table')).getAllByRole('row');
    expect(rows).toHaveLength(4);
    expect(within(rows[1]!).getByRole('link', { name: '余文生 — Inciting subversion' })).toHaveAttribute('href', '/cases/c2');
    expect(within(rows[1]!).getByText('Same proceedings')).toBeInTheDocument();
    expect(within(rows[2]!).getByText('Its detainee is a lawyer of this case')).toBeInTheDocument();
    expect(within(rows[3]!).getByText('This detainee was a lawyer in it')).toBeInTheDocument();
    // Read-only for those who may not edit the case.
    expect(screen.queryByRole('button', { name: 'Link a case' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Remove link/ })).toBeNull();
  });

  it('offers link and remove to those who edit the case', async () => {
    stubFetch({ 'GET /api/v1/cases/c1/links': list([link({})]) });
    wrap(
      <MemoryRouter>
        <CaseLinksSection caseId="c1" canWrite />
      </MemoryRouter>,
    );
    await screen.findByRole('button', { name: 'Remove link to 余文生 — Inciting subversion' });
    expect(screen.getByRole('button', { name: 'Link a case' })).toBeInTheDocument();
  });
});

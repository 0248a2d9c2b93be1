import { describe, expect, it, vi } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { stubFetch, wrap } from '../test-utils';
import Partners from './Partners';
import type { Schemas } from '../api/client';

const partner = (over: Partial<Schemas['Partner']>): Schemas['Partner'] => ({
  id: 'p1',
  name: 'Embassy of Germany 德国大使馆',
  kind: 'government',
  country: 'DE',
  notes: '',
  contacts: '',
  user_ids: [],
  confidential: false,
  version: 1,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  ...over,
});
const vocab = { partner_kinds: [{ value: 'government', label: 'Embassy or government' }, { value: 'funder', label: 'Funder' }] };
const page = (items: Schemas['Partner'][]) => [200, { items, next_cursor: null, total: items.length }] as [number, unknown];
const me = [200, { id: 'u1', name: 'Co', email: 'co@example.org', role: 'coordinator' }] as [number, unknown];

describe('Partners', () => {
  it('lists partners with a confidential badge; a new one needs a name and a kind, then is POSTed confidential', async () => {
    const calls = stubFetch({
      'GET /api/v1/me': me,
      'GET /api/v1/support-vocabularies': [200, vocab],
      'GET /api/v1/partners': page([partner({}), partner({ id: 'p2', name: 'Family fund', kind: 'funder', country: '', confidential: true })]),
      'POST /api/v1/partners': [201, partner({ id: 'p3' })],
    });
    wrap(<Partners />);
    const table = await screen.findByRole('table');
    expect(within(table).getByText('Embassy or government')).toBeInTheDocument();
    const row = within(table).getByText('Family fund').closest('tr')!;
    expect(within(row as HTMLElement).getByText('Confidential')).toBeInTheDocument();

    await userEvent.click(await screen.findByRole('button', { name: 'New partner' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(within(dialog).getAllByText('Required.')).toHaveLength(2);
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    await userEvent.type(within(dialog).getByRole('textbox', { name: /^Name/ }), 'Legal fee fund');
    await userEvent.click(within(dialog).getByRole('combobox', { name: /^Kind/ }));
    await userEvent.click(await screen.findByRole('option', { name: 'Funder' }));
    await userEvent.type(within(dialog).getByRole('textbox', { name: /^Country/ }), 'nl');
    await userEvent.click(within(dialog).getByRole('checkbox', { name: /Confidential partner/ }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await vi.waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ name: 'Legal fee fund', kind: 'funder', country: 'NL', contacts: '', notes: '', confidential: true });
  });

  it('a partner with actions is not deleted: the refusal is said in words', async () => {
    stubFetch({
      'GET /api/v1/me': me,
      'GET /api/v1/support-vocabularies': [200, vocab],
      'GET /api/v1/partners': page([partner({})]),
      'DELETE /api/v1/partners/p1': [409, { code: 'partner_has_actions', message: 'has actions', request_id: 'r' }],
    });
    wrap(<Partners />);
    await userEvent.click(await screen.findByRole('button', { name: 'Delete Embassy of Germany 德国大使馆' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete partner' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(await within(dialog).findByText(/Support actions are assigned to this partner/)).toBeInTheDocument();
  });

  it('an observer gets no new, edit or delete button', async () => {
    stubFetch({
      'GET /api/v1/me': [200, { id: 'u2', name: 'Ob', email: 'ob@example.org', role: 'observer' }],
      'GET /api/v1/support-vocabularies': [200, vocab],
      'GET /api/v1/partners': page([partner({})]),
    });
    wrap(<Partners />);
    await screen.findByRole('table');
    expect(screen.queryByRole('button', { name: 'New partner' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Delete / })).toBeNull();
  });
});

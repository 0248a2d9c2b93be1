import { describe, expect, it, vi } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { stubFetch, wrap } from '../test-utils';
import type { Schemas } from '../api/client';
import ActionEdit, { actionFormInvalid, actionForm, assigneeFields, assigneeOptions, assigneeValue } from './ActionEdit';
import { defaultConfidential } from './SupportSection';


const action: Schemas['SupportAction'] = {
  id: 'a1', case_id: 'c1', detainee_name: null, type: 'legal_fee_grant', status: 'proposed',
  allowed_statuses: ['assigned', 'declined', 'cancelled'], priority: 'normal', addressee: 'Fund', description: '',
  assignee_user_id: null, assignee_user_name: null, assignee_partner_id: null, assignee_partner_name: null,
  requested_at: '2026-11-01', due_at: null, overdue: false, response: '', impact: '', notes: '', amount: null,
  amount_minor: null, currency: null, evidence_ids: [], confidential: true, version: 4, created_at: '2026-11-01T00:00:00Z', updated_at: '2026-11-01T00:00:00Z',
};
const t = (k: string, o?: Record<string, unknown>) => (o?.name ? `${k}:${String(o.name)}` : k);

describe('support action assignee', () => {
  it('round-trips user / partner / nobody through the select value', () => {
    expect(assigneeValue({ assignee_user_id: 'u1', assignee_partner_id: '' })).toBe('user:u1');
    expect(assigneeFields('partner:p1')).toEqual({ assignee_user_id: '', assignee_partner_id: 'p1' });
    expect(assigneeFields(null)).toEqual({ assignee_user_id: '', assignee_partner_id: '' });
  });
  it('offers me and partners; accounts only when listed (admins), never lawyers or disabled ones; keeps the current assignee', () => {
    const users = [
      { id: 'u2', name: 'Obs', email: 'o@x', role: 'observer', disabled: false },
      { id: 'u3', name: 'Law', email: 'l@x', role: 'lawyer', disabled: false },
      { id: 'u4', name: 'Old', email: 'd@x', role: 'coordinator', disabled: true },
      { id: 'me', name: 'Me', email: 'm@x', role: 'admin', disabled: false },
    ];
    const coord = assigneeOptions(t, { ...action, assignee_user_id: 'u9', assignee_user_name: 'Someone' }, { id: 'me', name: 'Me' }, [{ id: 'p1', name: 'Embassy' }], undefined);
    expect(coord.map((o) => o.value)).toEqual(['', 'user:me', 'partner:p1', 'user:u9']);
    const admin = assigneeOptions(t, action, { id: 'me', name: 'Me' }, [], users);
    expect(admin.map((o) => o.value)).toEqual(['', 'user:me', 'user:u2']);
  });
  it('refuses half a sum of money, a bad amount, currency or date', () => {
    const f = actionForm(action);
    expect(actionFormInvalid(f)).toBe(false);
    expect(actionFormInvalid({ ...f, amount: '1500.00', currency: 'EUR' })).toBe(false);
    expect(actionFormInvalid({ ...f, amount: '1500.00' })).toBe(true);
    expect(actionFormInvalid({ ...f, amount: '15,00', currency: 'EUR' })).toBe(true);
    expect(actionFormInvalid({ ...f, amount: '1', currency: 'EURO' })).toBe(true);
    expect(actionFormInvalid({ ...f, due_at: '2026-11' })).toBe(true);
  });
});

describe('ActionEdit', () => {
  it('a coordinator assigns to a partner and records the grant with If-Match; a 412 offers reload', async () => {
    const calls = stubFetch({
      'GET /api/v1/support-vocabularies': [200, {}],
      'GET /api/v1/partners': [200, { items: [{ id: 'p1', name: 'Embassy of Germany', kind: 'embassy', country: 'DE', version: 1, created_at: '', updated_at: '' }], next_cursor: null }],
      'PATCH /api/v1/support-actions/a1': [412, { code: 'precondition_failed', message: 'stale', request_id: 'r' }],
    });
    const onReload = vi.fn();
    wrap(<ActionEdit a={action} role="coordinator" me={{ id: 'me', name: 'Coord' }} onSaved={() => {}} onReload={onReload} />);
    await userEvent.click(screen.getAllByLabelText('Assigned to')[0]!);
    await userEvent.click(await screen.findByRole('option', { name: 'Partner: Embassy of Germany' }));
    await userEvent.click(screen.getByLabelText('Amount'));
    await userEvent.paste('1500.00');
    await userEvent.click(screen.getByLabelText('Currency'));
    await userEvent.paste('eur');
    await userEvent.click(screen.getByLabelText(/^Response/));
    await userEvent.paste('Granted');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Changed meanwhile')).toBeInTheDocument();
    const patch = calls.find((c) => c.method === 'PATCH');
    expect(patch?.headers.get('If-Match')).toBe('"4"');
    expect(patch?.body).toEqual({ assignee_partner_id: 'p1', amount: '1500.00', currency: 'EUR', response: 'Granted' });
    expect(calls.some((c) => c.url === '/api/v1/users')).toBe(false);
  }, 60_000);
  it('an observer edits only the response and notes', async () => {
    stubFetch({ 'GET /api/v1/support-vocabularies': [200, {}] });
    wrap(<ActionEdit a={action} role="observer" onSaved={() => {}} onReload={() => {}} />);
    expect(screen.getByLabelText(/^Response/)).toBeInTheDocument();
    expect(screen.getByLabelText('Notes')).toBeInTheDocument();
    expect(screen.queryByLabelText('Assigned to')).toBeNull();
    expect(screen.queryByLabelText('Amount')).toBeNull();
    expect(screen.queryByLabelText('Impact')).toBeNull();
    expect(screen.queryByLabelText(/^Confidential/)).toBeNull();
  });
  it('a grant to a family is confidential by default; a manager sees and clears the flag', async () => {
    expect([defaultConfidential('legal_fee_grant'), defaultConfidential('family_assistance'), defaultConfidential('demarche'), defaultConfidential(null)]).toEqual([true, true, false, false]);
    const calls = stubFetch({
      'GET /api/v1/support-vocabularies': [200, {}],
      'GET /api/v1/partners': [200, { items: [], next_cursor: null }],
      'PATCH /api/v1/support-actions/a1': [200, { ...action, confidential: false, version: 5 }],
    });
    wrap(<ActionEdit a={action} role="coordinator" me={{ id: 'me', name: 'Coord' }} onSaved={() => {}} onReload={() => {}} />);
    const box = screen.getByLabelText(/^Confidential/);
    expect(box).toBeChecked();
    await userEvent.click(box);
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await vi.waitFor(() => expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ confidential: false }));
  }, 60_000);
});

import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { stubFetch, wrap } from '../test-utils';
import type { Schemas } from '../api/client';
import { Board, BoardCard } from './Board';
import { boardColumns, moveRefusal, nextStep, otherSteps } from './board';

// The statuses as the server serves them (GET /support-vocabularies), deliberately not in alphabetical order.
const vocab = {
  support_action_statuses: [
    { value: 'proposed', label: 'Proposed' },
    { value: 'assigned', label: 'Assigned' },
    { value: 'in_progress', label: 'In progress' },
    { value: 'submitted', label: 'Submitted' },
    { value: 'response_received', label: 'Response received' },
    { value: 'closed', label: 'Closed' },
    { value: 'declined', label: 'Declined' },
    { value: 'cancelled', label: 'Cancelled' },
  ],
  support_action_types: [{ value: 'demarche', label: 'Diplomatic démarche' }],
};
const order = boardColumns(vocab.support_action_statuses as never);

const action: Schemas['SupportAction'] = {
  id: 'a1', case_id: 'c1', detainee_name: 'Ding Jiaxi', type: 'demarche', status: 'in_progress',
  allowed_statuses: ['submitted', 'declined', 'cancelled'], priority: 'normal', addressee: 'Embassy', description: '',
  assignee_user_id: null, assignee_user_name: null, assignee_partner_id: 'p1', assignee_partner_name: 'Embassy A',
  requested_at: null, due_at: '2026-12-01', overdue: true, response: '', impact: '', notes: '', amount: null,
  amount_minor: null, currency: null, evidence_ids: [], confidential: false, version: 7, created_at: '2026-11-01T00:00:00Z', updated_at: '2026-11-01T00:00:00Z',
};
const page = (items: Schemas['SupportAction'][]) => ({
  items, next_cursor: null, total: items.length,
  summary: { total: 1, overdue: 1, by_status: { in_progress: 1 }, by_type: {}, open_by_type: {} },
});

describe('board order and steps', () => {
  it('columns follow the served vocabulary (the workflow order), whatever it is', () => {
    expect(order).toEqual(['proposed', 'assigned', 'in_progress', 'submitted', 'response_received', 'closed', 'declined', 'cancelled']);
    expect(boardColumns([{ value: 'b' }, { value: 'a' }])).toEqual(['b', 'a']);
  });
  it('the next step is the allowed status right after the current one; the exits are the other moves', () => {
    expect(nextStep(action, order)).toBe('submitted');
    expect(otherSteps(action, order)).toEqual(['declined', 'cancelled']);
    // An observer who may only record the response: no forward step offered when the server does not allow it.
    expect(nextStep({ status: 'submitted', allowed_statuses: ['cancelled'] }, order)).toBeUndefined();
    expect(nextStep({ status: 'closed', allowed_statuses: [] }, order)).toBeUndefined();
  });
  it('classifies refusals', () => {
    expect(moveRefusal(409, 'assignee_required')).toBe('assignee_required');
    expect(moveRefusal(409, 'invalid_transition')).toBe('invalid_transition');
    expect(moveRefusal(412, 'precondition_failed')).toBe('changed');
    expect(moveRefusal(500, 'internal')).toBeUndefined();
  });
});

describe('Board', () => {
  it('renders one list per status, headed, in the workflow order, each fetched with its status', async () => {
    const calls = stubFetch({
      'GET /api/v1/support-vocabularies': [200, vocab],
      'GET /api/v1/support-actions': [200, page([action])],
      'GET /api/v1/me': [200, { id: 'u', name: 'Coord', role: 'coordinator' }],
    });
    wrap(
      <MemoryRouter initialEntries={['/support']}>
        <Board wide />
      </MemoryRouter>,
    );
    await waitFor(() => expect(screen.getAllByRole('heading', { level: 3 })).toHaveLength(8));
    expect(screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent?.replace(/\s*\(.*\)$/, ''))).toEqual(vocab.support_action_statuses.map((s) => s.label));
    await waitFor(() => expect(screen.getAllByRole('list').length).toBeGreaterThanOrEqual(1));
    // Each list is named by its column heading.
    expect(screen.getByRole('list', { name: /^In progress/ })).toBeInTheDocument();
    await waitFor(() => {
      const statuses = calls.filter((c) => c.url === '/api/v1/support-actions').length;
      expect(statuses).toBeGreaterThanOrEqual(8);
    });
  });

  it('a phone shows one column, picked in the URL', async () => {
    stubFetch({
      'GET /api/v1/support-vocabularies': [200, vocab],
      'GET /api/v1/support-actions': [200, page([])],
    });
    wrap(
      <MemoryRouter initialEntries={['/support?status=submitted']}>
        <Board wide={false} />
      </MemoryRouter>,
    );
    const h = await screen.findAllByRole('heading', { level: 3 });
    expect(h).toHaveLength(1);
    expect(h[0]).toHaveTextContent('Submitted');
  });
});

describe('BoardCard', () => {
  it('moves to the next status in one tap with If-Match', async () => {
    const calls = stubFetch({
      'GET /api/v1/support-vocabularies': [200, vocab],
      'PATCH /api/v1/support-actions/a1': [200, { ...action, status: 'submitted', version: 8 }],
    });
    wrap(
      <MemoryRouter>
        <BoardCard a={action} order={order} />
      </MemoryRouter>,
    );
    expect(screen.getByText('Ding Jiaxi')).toBeInTheDocument();
    expect(screen.getByText('Assigned to Embassy A')).toBeInTheDocument();
    await userEvent.click(await screen.findByRole('button', { name: /to Submitted$/ }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true));
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.headers.get('If-Match')).toBe('"7"');
    expect(patch.body).toEqual({ status: 'submitted' });
  });

  it('a refused move (409) is said calmly, not as an alert, and nothing else happens', async () => {
    stubFetch({
      'GET /api/v1/support-vocabularies': [200, vocab],
      'PATCH /api/v1/support-actions/a1': [409, { code: 'invalid_transition', message: 'no', request_id: 'r' }],
    });
    wrap(
      <MemoryRouter>
        <BoardCard a={action} order={order} />
      </MemoryRouter>,
    );
    await userEvent.click(await screen.findByRole('button', { name: /to Submitted$/ }));
    const msg = await screen.findByText(/cannot go from In progress to Submitted/);
    expect(msg.closest('[role="alert"]')).toBeNull();
    expect(within(msg).getByRole('button', { name: 'Refresh the board' })).toBeInTheDocument();
  });
});

import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { stubFetch, wrap } from '../test-utils';
import { LogEventForm } from './TimelineSection';
import { ActionList } from '../support/ActionList';
import type { Schemas } from '../api/client';


describe('LogEventForm', () => {
  it('posts the type, a month-only approximate date, the description and confidentiality', async () => {
    const calls = stubFetch({
      'GET /api/v1/vocabularies': [200, { event_types: [{ value: 'meeting_denied', label: 'Lawyer meeting denied', obstacle: true }] }],
      'POST /api/v1/cases/c1/events': [201, { id: 'e1' }],
    });
    const onDone = vi.fn();
    wrap(<LogEventForm caseId="c1" onDone={onDone} />);
    const submit = screen.getByRole('button', { name: 'Log event' });
    expect(submit).toBeDisabled();
    await userEvent.click(screen.getAllByLabelText(/What happened/)[0]!);
    await userEvent.click(await screen.findByRole('option', { name: 'Lawyer meeting denied' }));
    expect(screen.getByText(/recorded as an obstacle/)).toBeInTheDocument();
    await userEvent.click(screen.getByText('Month or year only'));
    const when = screen.getByRole('textbox', { name: /^When/ });
    await userEvent.type(when, '2019-13');
    expect(screen.getByText(/Enter YYYY, YYYY-MM or YYYY-MM-DD/)).toBeInTheDocument();
    expect(submit).toBeDisabled();
    await userEvent.clear(when);
    await userEvent.type(when, '2019-03');
    await userEvent.click(screen.getByLabelText('Approximate date'));
    await userEvent.type(screen.getByLabelText('Description'), 'Refused at the gate');
    await userEvent.click(screen.getByLabelText(/^Confidential/));
    await userEvent.click(submit);
    await vi.waitFor(() => expect(onDone).toHaveBeenCalledWith(true, false));
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.url).toBe('/api/v1/cases/c1/events');
    // Issue 24: made when the form is submitted, so a resend of the same entry is the same request.
    expect(post?.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(post?.body).toEqual({ type: 'meeting_denied', occurred_at: '2019-03~', description: 'Refused at the gate', confidential: true });
  });
});

const action: Schemas['SupportAction'] = {
  id: 'a1', case_id: 'c1', detainee_name: null, type: 'demarche', status: 'proposed',
  allowed_statuses: ['assigned', 'declined', 'cancelled'], priority: 'normal', addressee: 'Embassy', description: '',
  assignee_user_id: null, assignee_user_name: null, assignee_partner_id: null, assignee_partner_name: null,
  requested_at: '2026-11-01', due_at: null, overdue: false, response: '', impact: '', notes: '', amount: null,
  amount_minor: null, currency: null, evidence_ids: [], confidential: false, version: 4, created_at: '2026-11-01T00:00:00Z', updated_at: '2026-11-01T00:00:00Z',
};

describe('support action status change', () => {
  it('sends PATCH with If-Match and shows a 409 invalid transition clearly', async () => {
    const calls = stubFetch({
      'GET /api/v1/support-vocabularies': [200, {}],
      'PATCH /api/v1/support-actions/a1': [409, { code: 'invalid_transition', message: 'no', request_id: 'r1' }],
    });
    wrap(<ActionList items={[action]} showCase={false} label="Actions" />);
    await userEvent.click(screen.getAllByLabelText('Move to')[0]!);
    await userEvent.click(await screen.findByRole('option', { name: 'Declined' }));
    await userEvent.click(screen.getByRole('button', { name: 'Change status' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('An action cannot go from Proposed to Declined. Nothing was changed.');
    const patch = calls.find((c) => c.method === 'PATCH');
    expect(patch?.headers.get('If-Match')).toBe('"4"');
    expect(patch?.body).toEqual({ status: 'declined' });
  });
});

describe('timeline query', () => {
  it('sends the chosen kinds (all or none = no filter), obstacles only and the cursor', async () => {
    const { timelineQuery } = await import('./TimelineSection');
    expect(timelineQuery([], false)).toEqual({ limit: 50 });
    expect(timelineQuery(['event', 'hearing', 'key_date', 'support_action'], false)).toEqual({ limit: 50 });
    expect(timelineQuery(['event'], true, 'c2')).toEqual({ kind: ['event'], obstacle: 'true', cursor: 'c2', limit: 50 });
  });
});

describe('LogEventForm offline', () => {
  it('keeps the entry on the device when the browser is offline and says it will send it', async () => {
    const { importDraftKey, setKeyForTest } = await import('../offline/crypto');
    const { pendingCount } = await import('../offline/queue');
    const { authStore } = await import('../auth/store');
    authStore.signedIn('tok');
    setKeyForTest(await importDraftKey(btoa('k'.repeat(32)).replace(/=+$/, '')));
    const calls = stubFetch({
      'GET /api/v1/vocabularies': [200, { event_types: [{ value: 'meeting_denied', label: 'Lawyer meeting denied', obstacle: true }] }],
    });
    const onDone = vi.fn();
    wrap(<LogEventForm caseId="c1" onDone={onDone} />);
    await userEvent.click(screen.getAllByLabelText(/What happened/)[0]!);
    await userEvent.click(await screen.findByRole('option', { name: 'Lawyer meeting denied' }));
    const { onlineManager } = await import('@tanstack/react-query');
    const online = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    onlineManager.setOnline(false);
    try {
      await userEvent.click(screen.getByRole('button', { name: 'Log event' }));
      await vi.waitFor(() => expect(onDone).toHaveBeenCalledWith(true, true));
      expect(pendingCount()).toBe(1);
    } finally {
      (await import('../offline/queue')).stopRetries();
      online.mockRestore();
      onlineManager.setOnline(true);
    }
    expect(calls.some((c) => c.method === 'GET')).toBe(true);
  });
});

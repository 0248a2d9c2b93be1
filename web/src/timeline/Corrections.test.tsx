import { describe, expect, it, vi } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { stubFetch, wrap } from '../test-utils';
import type { Schemas } from '../api/client';
import { admittedFrom, admittedValue, EventCorrect, EventDelete, eventForm, HearingEdit, validOccurredAt } from './Corrections';
import { detailsBody, emptyDetails } from './EventDetailsFields';
import { LogEventForm } from './TimelineSection';

const event: Schemas['Event'] = {
  id: 'e1', case_id: 'c1', type: 'meeting_denied', obstacle: true, occurred_at: '2019-03', precision: 'month', approximate: false,
  place: 'Ürümqi', description: 'Refused', source: '', source_reliability: '', information_credibility: '', confidential: false,
  lawyer_id: null, relative_id: null, evidence_ids: [], extension_months: 0, version: 3, created_by: 'u', created_at: '2026-11-01T00:00:00Z',
  updated_by: 'u', updated_at: '2026-11-01T00:00:00Z', deleted: false,
};

const hearing: Schemas['Hearing'] = {
  id: 'h1', case_id: 'c1', scheduled_at: '2026-11-01T01:30:00Z', time_zone: 'Asia/Shanghai', local_time: '2026-11-01T09:30:00+08:00',
  court: 'Kashgar', type: 'trial', status: 'scheduled', outcome: '', defense_lawyer_admitted: null, family_admitted: null,
  diplomats_admitted: null, other_observers_admitted: null, observers: '', notes: '', confidential: false, version: 2,
  created_by: 'u', created_at: '2026-11-01T00:00:00Z', updated_at: '2026-11-01T00:00:00Z',
};

const lists = {
  'GET /api/v1/vocabularies': [200, { event_types: [{ value: 'meeting_denied', label: 'Lawyer meeting denied', obstacle: true }] }] as [number, unknown],
  'GET /api/v1/cases/c1/assignments': [200, { items: [{ id: 'a1', case_id: 'c1', lawyer_id: 'l1', lawyer_name: 'Li Fangping' }], next_cursor: null }] as [number, unknown],
  'GET /api/v1/cases/c1/evidence': [200, { items: [{ id: 'ev1', title: 'Witness statement', filename: 'w.pdf' }], next_cursor: null }] as [number, unknown],
};

describe('event correction helpers', () => {
  it('keeps only filled-in details for a new event', () => {
    expect(detailsBody(emptyDetails)).toEqual({});
    expect(detailsBody({ ...emptyDetails, place: ' Kashgar ', source_reliability: 'B', lawyer_id: 'l1', evidence_ids: ['ev1'] })).toEqual({
      place: 'Kashgar', source_reliability: 'B', lawyer_id: 'l1', evidence_ids: ['ev1'],
    });
  });
  it('reads an event into the form; a timestamp may stay as read but a new date must be partial', () => {
    expect(eventForm({ ...event, lawyer_id: null }).lawyer_id).toBe('');
    expect(validOccurredAt('2024-03-05T09:30:00+08:00', '2024-03-05T09:30:00+08:00')).toBe(true);
    expect(validOccurredAt('2024-13', '2024-03')).toBe(false);
    expect(validOccurredAt('2024-02~', '2024-03')).toBe(true);
  });
  it('maps who was admitted to a tri-state and back', () => {
    expect([true, false, null].map(admittedValue)).toEqual(['yes', 'no', 'unknown']);
    expect(['yes', 'no', 'unknown', null].map(admittedFrom)).toEqual([true, false, null, null]);
  });
});

describe('EventCorrect', () => {
  it('sends only the changed fields with If-Match; a 412 says changed meanwhile and offers reload', async () => {
    const calls = stubFetch({ ...lists, 'PATCH /api/v1/cases/c1/events/e1': [412, { code: 'precondition_failed', message: 'stale', request_id: 'r' }] });
    const onReload = vi.fn();
    wrap(<EventCorrect e={event} onSaved={() => {}} onReload={onReload} />);
    await userEvent.clear(screen.getByRole('textbox', { name: /^When/ }));
    await userEvent.type(screen.getByRole('textbox', { name: /^When/ }), '2019-04~');
    await userEvent.type(screen.getByLabelText('Source'), 'Wife');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Changed meanwhile')).toBeInTheDocument();
    const patch = calls.find((c) => c.method === 'PATCH');
    expect(patch?.headers.get('If-Match')).toBe('"3"');
    expect(patch?.body).toEqual({ occurred_at: '2019-04~', source: 'Wife' });
    await userEvent.click(screen.getByRole('button', { name: 'Reload' }));
    expect(onReload).toHaveBeenCalled();
  });
});

describe('EventDelete', () => {
  it('needs a reason and sends it with If-Match', async () => {
    const calls = stubFetch({ 'DELETE /api/v1/cases/c1/events/e1': [200, { ...event, deleted: true }] });
    const onDone = vi.fn();
    wrap(<EventDelete e={event} onDone={onDone} onReload={() => {}} />);
    const del = screen.getByRole('button', { name: 'Delete' });
    expect(del).toBeDisabled();
    await userEvent.type(screen.getByLabelText(/^Reason for deleting/), 'Logged on the wrong case');
    await userEvent.click(del);
    await vi.waitFor(() => expect(onDone).toHaveBeenCalledWith(true));
    const d = calls.find((c) => c.method === 'DELETE');
    expect(d?.headers.get('If-Match')).toBe('"3"');
    expect(d?.body).toEqual({ reason: 'Logged on the wrong case' });
  });
});

describe('HearingEdit', () => {
  it('records the status and who was admitted (null = not known) with If-Match', async () => {
    const calls = stubFetch({ 'GET /api/v1/vocabularies': [200, {}], 'PATCH /api/v1/cases/c1/hearings/h1': [200, { ...hearing, status: 'held', version: 3 }] });
    const onSaved = vi.fn();
    wrap(<HearingEdit h={hearing} onSaved={onSaved} onReload={() => {}} />);
    await userEvent.click(screen.getAllByLabelText('Family admitted')[0]!);
    await userEvent.click(await screen.findByRole('option', { name: 'No' }));
    await userEvent.type(screen.getByLabelText(/^Observers present/), 'Embassy of Germany');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await vi.waitFor(() => expect(onSaved).toHaveBeenCalled());
    const patch = calls.find((c) => c.method === 'PATCH');
    expect(patch?.headers.get('If-Match')).toBe('"2"');
    expect(patch?.body).toEqual({ family_admitted: false, observers: 'Embassy of Germany' });
  });
});

describe('LogEventForm more details', () => {
  it('are collapsed at first and sent when filled in', async () => {
    const calls = stubFetch({ ...lists, 'POST /api/v1/cases/c1/events': [201, { id: 'e2' }] });
    const onDone = vi.fn();
    wrap(<LogEventForm caseId="c1" onDone={onDone} />);
    expect(screen.queryByLabelText('Place')).toBeNull();
    await userEvent.click(screen.getAllByLabelText(/What happened/)[0]!);
    await userEvent.click(await screen.findByRole('option', { name: 'Lawyer meeting denied' }));
    const toggle = screen.getByRole('button', { name: /More details/ });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(toggle);
    await userEvent.type(screen.getByLabelText('Place'), 'Detention centre');
    await userEvent.click(screen.getAllByLabelText('Lawyer concerned')[0]!);
    await userEvent.click(await screen.findByRole('option', { name: 'Li Fangping' }));
    await userEvent.click(screen.getAllByLabelText('Evidence')[0]!);
    await userEvent.click(await screen.findByRole('option', { name: 'Witness statement' }));
    await userEvent.click(screen.getByRole('button', { name: 'Log event' }));
    await vi.waitFor(() => expect(onDone).toHaveBeenCalledWith(true, false));
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.body).toMatchObject({ type: 'meeting_denied', place: 'Detention centre', lawyer_id: 'l1', evidence_ids: ['ev1'] });
    expect(post?.body).not.toHaveProperty('source');
  });
});

import { describe, expect, it, vi } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { stubFetch, wrap } from '../test-utils';
import { type Schemas } from '../api/client';
import MergeDetainee from './MergeDetainee';
import DetaineeEdit from './DetaineeEdit';

const detainee = (id: string, name: string, extra: Partial<Schemas['Detainee']> = {}): Schemas['Detainee'] => ({
  id,
  name,
  lawyer_id: null,
  other_names: [],
  sex: '',
  born_at: null,
  died_at: null,
  ethnic_group: '',
  religion: '',
  occupation_category: '',
  occupation: '',
  home_province: '',
  home_place: '',
  nationality: '',
  issue: '',
  detention_status: '',
  detention_place: '',
  facility_type: '',
  health_concerns: '',
  cross_references: [],
  summary: '',
  source: '',
  source_reliability: '',
  information_credibility: '',
  version: 4,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  ...extra,
});

const dup = detainee('d-dup', 'Liu Xiaobo');
const kept = detainee('d-kept', '刘晓波', { other_names: [{ name: '劉曉波', kind: 'traditional' }], born_at: '1955-12-28', matched: { field: 'other_names.traditional', form: '劉曉波' } });

describe('MergeDetainee', () => {
  it('finds the record to keep by name, needs a reason and a confirmation, posts with If-Match, then goes to the kept record', async () => {
    const calls = stubFetch({
      'GET /api/v1/detainees': [200, { items: [dup, kept], next_cursor: null, total: 2, total_capped: false }],
      'GET /api/v1/vocabularies': [200, { name_kinds: [{ value: 'traditional', label: 'Chinese (traditional)' }] }],
      'POST /api/v1/detainees/d-dup/merge': [200, kept],
    });
    const onMerged = vi.fn();
    wrap(<MergeDetainee d={dup} onMerged={onMerged} onReload={() => {}} />);
    await userEvent.type(screen.getByRole('searchbox', { name: 'Record to keep' }), '劉曉波');
    const option = await screen.findByRole('radio', { name: /^刘晓波 · 劉曉波 \(born .*1955\)$/ });
    // The record being merged is never offered as the one to keep.
    expect(screen.queryByRole('radio', { name: /^Liu Xiaobo/ })).toBeNull();
    expect(screen.getByText('Matched in Chinese (traditional): 劉曉波')).toBeInTheDocument();
    const submit = screen.getByRole('button', { name: 'Merge' });
    await userEvent.click(option);
    expect(submit).toBeDisabled();
    await userEvent.type(screen.getByRole('textbox', { name: 'Reason' }), 'Same person, imported twice');
    expect(submit).toBeDisabled();
    await userEvent.click(screen.getByRole('checkbox', { name: 'I have checked that both records are the same person' }));
    await userEvent.click(submit);
    await vi.waitFor(() => expect(onMerged).toHaveBeenCalledWith('d-kept'));
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.url).toBe('/api/v1/detainees/d-dup/merge');
    expect(post.headers.get('If-Match')).toBe('"4"');
    expect(post.body).toEqual({ into: 'd-kept', reason: 'Same person, imported twice' });
  }, 60_000);

  it('a 412 says the record changed meanwhile and offers a reload', async () => {
    stubFetch({
      'GET /api/v1/detainees': [200, { items: [kept], next_cursor: null, total: 1, total_capped: false }],
      'GET /api/v1/vocabularies': [200, {}],
      'POST /api/v1/detainees/d-dup/merge': [412, { code: 'version_mismatch', message: 'stale', request_id: 'r' }],
    });
    const onMerged = vi.fn();
    const onReload = vi.fn();
    wrap(<MergeDetainee d={dup} onMerged={onMerged} onReload={onReload} />);
    await userEvent.type(screen.getByRole('searchbox', { name: 'Record to keep' }), 'liu');
    await userEvent.click(await screen.findByRole('radio', { name: /刘晓波/ }));
    await userEvent.type(screen.getByRole('textbox', { name: 'Reason' }), 'dup');
    await userEvent.click(screen.getByRole('checkbox'));
    await userEvent.click(screen.getByRole('button', { name: 'Merge' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Reload' }));
    expect(onReload).toHaveBeenCalled();
    expect(onMerged).not.toHaveBeenCalled();
  }, 60_000);
});

describe('DetaineeEdit: date of death', () => {
  it('sends died_at alone with If-Match, and refuses a malformed date', async () => {
    const calls = stubFetch({ 'GET /api/v1/vocabularies': [200, {}], 'PATCH /api/v1/detainees/d-kept': [200, { ...kept, died_at: '2017-07-13', version: 5 }] });
    const onSaved = vi.fn();
    wrap(<DetaineeEdit d={kept} onSaved={onSaved} onReload={() => {}} />);
    const input = screen.getByRole('textbox', { name: 'Date of death' });
    await userEvent.type(input, '2017-7');
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
    await userEvent.clear(input);
    await userEvent.type(input, '2017-07-13');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await vi.waitFor(() => expect(onSaved).toHaveBeenCalled());
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.body).toEqual({ died_at: '2017-07-13' });
    expect(patch.headers.get('If-Match')).toBe('"4"');
  }, 60_000);
});

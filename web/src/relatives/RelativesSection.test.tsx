import { describe, expect, it, vi } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { stubFetch, wrap } from '../test-utils';
import RelativesSection from './RelativesSection';
import type { Schemas } from '../api/client';

const rel = (over: Partial<Schemas['Relative']>): Schemas['Relative'] => ({
  id: 'r1',
  detainee_id: 'd1',
  relation: 'spouse',
  name: '罗胜春',
  other_names: [{ name: 'Luo Shengchun', kind: 'pinyin' }],
  contact: null,
  address: null,
  place: 'Beijing',
  notes: '',
  confidential: false,
  consent: { un_submission: 'given', publicity: 'withdrawn', contact: 'unknown' },
  version: 1,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  ...over,
});
const vocab = { relations: [{ value: 'spouse', label: 'Spouse' }, { value: 'parent', label: 'Parent' }] };
const list = (items: Schemas['Relative'][]) => [200, { items, next_cursor: null, total: items.length, total_capped: false }] as [number, unknown];

describe('Relatives', () => {
  it('read-only (an observer): no contact column, no add or edit, each consent state in words', async () => {
    stubFetch({ 'GET /api/v1/vocabularies': [200, vocab], 'GET /api/v1/detainees/d1/relatives': list([rel({})]) });
    wrap(<RelativesSection detaineeId="d1" canWrite={false} />);
    const table = await screen.findByRole('table');
    expect(within(table).queryByRole('columnheader', { name: /Contact/ })).toBeNull();
    expect(within(table).getByText('UN submission: given')).toBeInTheDocument();
    expect(within(table).getByText('Publicity: withdrawn')).toBeInTheDocument();
    expect(within(table).getByText('Being contacted: unknown')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Add a relative or contact' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Edit relative/ })).toBeNull();
  });

  it('adds one: required fields named, then POSTs the name forms, confidential by default', async () => {
    const calls = stubFetch({
      'GET /api/v1/vocabularies': [200, vocab],
      'GET /api/v1/detainees/d1/relatives': list([]),
      'POST /api/v1/detainees/d1/relatives': [201, rel({ id: 'new', confidential: true })],
    });
    wrap(<RelativesSection detaineeId="d1" canWrite />);
    await userEvent.click(await screen.findByRole('button', { name: 'Add a relative or contact' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(within(dialog).getAllByText('Required.')).toHaveLength(2);
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    await userEvent.click(within(dialog).getByRole('combobox', { name: /^Relation/ }));
    await userEvent.click(await screen.findByRole('option', { name: 'Spouse or partner' }));
    await userEvent.type(within(dialog).getByRole('textbox', { name: /^Name\W*$/ }), 'Wang Qiaoling');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /^Name in Chinese/ }), '王峭岭');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /^Contact/ }), ' +86 139 ');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await vi.waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    expect(calls.find((c) => c.method === 'POST')!.body).toMatchObject({
      relation: 'spouse',
      name: 'Wang Qiaoling',
      other_names: [{ name: '王峭岭', kind: 'simplified' }],
      contact: '+86 139',
      confidential: true,
    });
  });
});

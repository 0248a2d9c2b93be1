import { describe, expect, it, vi } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { stubFetch, wrap } from '../test-utils';
import i18n from '../i18n';
import UNSection, { ClockBadge } from './UNSection';
import type { Schemas } from '../api/client';

const comm = (over: Partial<Schemas['UNCommunication']>): Schemas['UNCommunication'] => ({
  id: 'u1',
  case_id: 'c1',
  kind: 'wgad_urgent',
  reference: 'UA CHN 5/2024',
  body: 'WGAD',
  submitted_at: null,
  transmitted_at: '2024-03-01',
  reply_due_at: '2024-04-30',
  replied_at: null,
  reply_summary: '',
  opinion_number: '',
  opinion_date: null,
  follow_up: '',
  confidential: false,
  version: 2,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  ...over,
});

const vocab = {
  un_communication_kinds: [
    { value: 'wgad_regular', label: 'WGAD regular' },
    { value: 'wgad_urgent', label: 'WGAD urgent' },
  ],
};
const list = (items: Schemas['UNCommunication'][]) => [200, { items, next_cursor: null, total: items.length, total_capped: false }] as [number, unknown];

describe('UN communications', () => {
  it('lists each communication with its reply clock', async () => {
    stubFetch({
      'GET /api/v1/vocabularies': [200, vocab],
      'GET /api/v1/cases/c1/un-communications': list([comm({}), comm({ id: 'u2', reference: 'AL CHN 2/2020', replied_at: '2020-05-01', opinion_number: '62/2018' })]),
    });
    wrap(<UNSection caseId="c1" canWrite={false} />);
    const table = await screen.findByRole('table');
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(within(rows[1]!).getByText(/^No reply recorded by Apr 30, 2024/)).toBeInTheDocument();
    expect(within(rows[2]!).getByText('Replied May 1, 2020')).toBeInTheDocument();
    expect(within(rows[2]!).getByText('No. 62/2018')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Add a UN communication' })).toBeNull();
  });

  it('shows days left while the reply is due', () => {
    stubFetch({});
    wrap(<ClockBadge u={{ transmitted_at: '2024-03-01', reply_due_at: null, replied_at: null }} today="2024-04-20" />);
    expect(screen.getByText('Reply due in 10 days')).toBeInTheDocument();
  });

  it('adds one: field errors under the inputs, then POSTs', async () => {
    const calls = stubFetch({
      'GET /api/v1/vocabularies': [200, vocab],
      'GET /api/v1/cases/c1/un-communications': list([]),
      'POST /api/v1/cases/c1/un-communications': [201, comm({ id: 'new' })],
    });
    wrap(<UNSection caseId="c1" canWrite />);
    expect(await screen.findByText('No UN communication recorded.')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Add a UN communication' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(within(dialog).getByText('Choose the kind of communication.')).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('combobox', { name: /^Kind/ }));
    await userEvent.click(await screen.findByRole('option', { name: 'WGAD urgent appeal' }));
    await userEvent.type(within(dialog).getByRole('textbox', { name: /^Transmitted/ }), '2024-03-01');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /^Reply received/ }), '2024-02-01');
    expect(within(dialog).getByText('This date is before the date transmitted.')).toBeInTheDocument();
    await userEvent.clear(within(dialog).getByRole('textbox', { name: /^Reply received/ }));
    await userEvent.type(within(dialog).getByRole('textbox', { name: /^UN reference/ }), ' UA CHN 5/2024 ');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await vi.waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    expect(calls.find((c) => c.method === 'POST')!.body).toMatchObject({ kind: 'wgad_urgent', reference: 'UA CHN 5/2024', transmitted_at: '2024-03-01', reply_due_at: '' });
  });

  it('edits with If-Match; a refused field shows the server message in Chinese under its input', async () => {
    const calls = stubFetch({
      'GET /api/v1/vocabularies': [200, vocab],
      'GET /api/v1/cases/c1/un-communications': list([comm({})]),
      'PATCH /api/v1/cases/c1/un-communications/u1': [
        400,
        { code: 'validation_failed', message: 'invalid', fields: { reply_due_at: 'before transmitted_at' }, field_codes: { reply_due_at: 'before_start' }, request_id: 'r1' },
      ],
    });
    await i18n.changeLanguage('zh-Hans');
    try {
      wrap(<UNSection caseId="c1" canWrite />);
      await userEvent.click(await screen.findByRole('button', { name: /^编辑来文：UA CHN 5\/2024/ }));
      const dialog = await screen.findByRole('dialog');
      const due = within(dialog).getByRole('textbox', { name: /^答复期限/ });
      await userEvent.clear(due);
      await userEvent.type(due, '2024-05-10');
      await userEvent.click(within(dialog).getByRole('button', { name: '保存' }));
      expect((await within(dialog).findAllByText('答复期限早于转交日期。')).length).toBeGreaterThan(0);
      const patch = calls.find((c) => c.method === 'PATCH')!;
      expect(patch.headers.get('If-Match')).toBe('"2"');
      expect(patch.body).toEqual({ reply_due_at: '2024-05-10' });
    } finally {
      await i18n.changeLanguage('en');
    }
  });
});

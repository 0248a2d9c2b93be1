import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { stubFetch, wrap } from '../test-utils';
import { isObvious } from './MatchedForm';
import Detainees from '../pages/Detainees';
import Cases from '../pages/Cases';

const me = { id: 'u0', email: 'a@x', name: 'Coordinator', role: 'coordinator', totp_enabled: true, mfa_required: true, must_change_password: false, session_id: 's' };
const vocab = { name_kinds: [{ value: 'pinyin', label: 'Pinyin' }] };
const row = (id: string, name: string, matched?: { field: string; form: string }) => ({ id, name, other_names: [], detention_status: '', home_province: '', ...(matched ? { matched } : {}) });

describe('matched name form in search results', () => {
  it('detainee list: says which form matched when the query is not visibly part of the name; links to the import', async () => {
    stubFetch({
      'GET /api/v1/me': [200, me],
      'GET /api/v1/vocabularies': [200, vocab],
      'GET /api/v1/detainees': [
        200,
        {
          items: [
            row('a', '刘晓波', { field: 'name', form: '刘晓波' }),
            row('b', '劉曉波', { field: 'other_names.pinyin', form: 'Liu Xiaobo' }),
            row('c', 'Liu Xiaobo', { field: 'name', form: 'Liu Xiaobo' }),
          ],
          next_cursor: null,
          total: 3,
          total_capped: false,
        },
      ],
    });
    wrap(
      <MemoryRouter>
        <Detainees />
      </MemoryRouter>,
    );
    expect(await screen.findByRole('link', { name: 'Import CSV' })).toHaveAttribute('href', '/detainees/import');
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search' }), 'liu xiaobo');
    expect(await screen.findByText('Matched: 刘晓波')).toBeInTheDocument();
    expect(screen.getByText('Matched in Pinyin: Liu Xiaobo')).toBeInTheDocument();
    // Row c shows "Liu Xiaobo", which visibly contains the query: nothing to explain.
    expect(screen.getAllByTestId('matched')).toHaveLength(2);
  }, 60_000);

  it('case list: the form matched through the detainee', async () => {
    stubFetch({
      'GET /api/v1/me': [200, me],
      'GET /api/v1/vocabularies': [200, vocab],
      'GET /api/v1/cases': [
        200,
        {
          items: [{ id: 'k', title: 'Subversion', case_numbers: [], detainee_name: '刘晓波', status: '', stage: '', detained_at: null, matched: { field: 'detainee.name', form: '劉曉波' } }],
          next_cursor: null,
          total: 1,
          total_capped: false,
        },
      ],
    });
    wrap(
      <MemoryRouter>
        <Cases />
      </MemoryRouter>,
    );
    await userEvent.type(await screen.findByRole('searchbox', { name: 'Search' }), '劉曉波');
    expect(await screen.findByText('Matched: 劉曉波')).toBeInTheDocument();
  }, 60_000);

  it('isObvious: only a form shown on the row that contains the query as typed', () => {
    expect(isObvious({ field: 'name', form: 'Liu Xiaobo' }, 'Liu Xiaobo', 'xiaobo')).toBe(true);
    expect(isObvious({ field: 'name', form: '刘晓波' }, '刘晓波', 'liu')).toBe(false);
    expect(isObvious({ field: 'other_names.latin', form: 'Ilham Tohti' }, 'ئىلھام توختى', 'ilham')).toBe(false);
  });
});

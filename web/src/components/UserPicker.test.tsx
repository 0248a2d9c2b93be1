import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { wrap } from '../test-utils';
import { UserPicker } from './UserPicker';

describe('UserPicker', () => {
  it('searches the directory by name as the user types and picks an account by name', async () => {
    const asked: URL[] = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input: RequestInfo | URL) => {
      const u = new URL((input as Request).url, 'http://x');
      asked.push(u);
      const q = u.searchParams.get('q') ?? '';
      const all = [
        { id: '0190c1d2-0000-7000-8000-000000000001', name: 'Li Wei', role: 'observer' },
        { id: '0190c1d2-0000-7000-8000-000000000002', name: 'Wang Fang', role: 'observer' },
      ];
      const items = all.filter((x) => x.name.toLowerCase().includes(q.toLowerCase()));
      return new Response(JSON.stringify({ items, next_cursor: null, total: items.length, total_capped: false }), {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
      });
    });
    const onChange = vi.fn();
    wrap(<UserPicker label="Share with (observer)" role="observer" value={null} onChange={onChange} />);
    const input = screen.getByPlaceholderText('Type a name');
    await userEvent.click(input);
    await userEvent.type(input, 'wang');
    await waitFor(() => expect(asked.some((u) => u.searchParams.get('q') === 'wang')).toBe(true));
    const option = await screen.findByRole('option', { name: 'Wang Fang (Observer)' });
    expect(screen.queryByRole('option', { name: 'Li Wei (Observer)' })).toBeNull();
    const q = asked.find((u) => u.searchParams.get('q') === 'wang')!;
    expect(q.pathname).toBe('/api/v1/user-directory');
    expect(q.searchParams.get('role')).toBe('observer');
    await userEvent.click(option);
    expect(onChange).toHaveBeenCalledWith('0190c1d2-0000-7000-8000-000000000002', expect.anything());
  }, 30_000);

  it('shows the chosen account by name, resolved by id', async () => {
    const asked: URL[] = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input: RequestInfo | URL) => {
      const u = new URL((input as Request).url, 'http://x');
      asked.push(u);
      const byId = u.searchParams.getAll('id');
      const items = byId.length ? [{ id: byId[0], name: 'Zhang San', role: 'lawyer' }] : [];
      return new Response(JSON.stringify({ items, next_cursor: null, total: items.length, total_capped: false }), {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
      });
    });
    wrap(<UserPicker label="Lawyer's account" role="lawyer" unlinked value="0190c1d2-0000-7000-8000-000000000009" onChange={vi.fn()} />);
    await waitFor(() => expect(screen.getByPlaceholderText('Type a name')).toHaveValue('Zhang San (Lawyer)'));
    expect(asked.some((u) => u.searchParams.get('unlinked') === 'true' && u.searchParams.get('role') === 'lawyer')).toBe(true);
  }, 30_000);
});

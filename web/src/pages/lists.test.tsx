import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import Users from './Users';
import Lawyers from './Lawyers';

/** Stubs fetch; answers by path and query; records the URLs asked. */
function stubFetch(answer: (u: URL) => [number, unknown]): URL[] {
  const urls: URL[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input: RequestInfo | URL) => {
    const u = new URL((input as Request).url, 'http://x');
    urls.push(u);
    const [status, body] = answer(u);
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  });
  return urls;
}

function wrap(ui: React.ReactNode) {
  render(
    <MantineProvider env="test">
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <MemoryRouter>{ui}</MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

afterEach(() => vi.restoreAllMocks());

const me = { id: 'u0', email: 'a@x', name: 'Admin', role: 'admin', totp_enabled: true, mfa_required: true, must_change_password: false, session_id: 's' };
const user = (n: number) => ({ id: `u${n}`, email: `user${n}@example.org`, name: `User ${n}`, role: 'observer', disabled: false, must_change_password: false, require_mfa: false, totp_enabled: false, version: 1, created_at: '2026-11-01T00:00:00Z', updated_at: '2026-11-01T00:00:00Z' });
const lawyer = (n: number) => ({ id: `l${n}`, name: `Lawyer ${n}`, law_firm: '', jurisdiction: '', licence_status: 'active', risk_status: [] });

describe('load more', () => {
  it('users: the next page is asked with after=<next_cursor> and appended', async () => {
    const urls = stubFetch((u) => {
      if (u.pathname === '/api/v1/me') return [200, me];
      if (u.pathname === '/api/v1/users') return u.searchParams.get('after') === 'c1' ? [200, { items: [user(2)], next_cursor: null }] : [200, { items: [user(1)], next_cursor: 'c1' }];
      return [200, {}];
    });
    wrap(<Users />);
    await screen.findByText('user1@example.org');
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByText('user2@example.org');
    expect(screen.getByText('user1@example.org')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    expect(urls.filter((u) => u.pathname === '/api/v1/users').map((u) => u.searchParams.get('after'))).toEqual([null, 'c1']);
  }, 60_000);
  it('lawyers: the next page is asked with cursor=<next_cursor>', async () => {
    const urls = stubFetch((u) => {
      if (u.pathname === '/api/v1/me') return [200, { ...me, role: 'coordinator' }];
      if (u.pathname === '/api/v1/lawyers') return u.searchParams.get('cursor') === 'k1' ? [200, { items: [lawyer(2)], next_cursor: null, total: 2 }] : [200, { items: [lawyer(1)], next_cursor: 'k1', total: 2 }];
      return [200, {}];
    });
    wrap(<Lawyers />);
    await screen.findByText('Lawyer 1');
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByText('Lawyer 2');
    expect(urls.filter((u) => u.pathname === '/api/v1/lawyers').map((u) => u.searchParams.get('cursor'))).toEqual([null, 'k1']);
  }, 60_000);
});

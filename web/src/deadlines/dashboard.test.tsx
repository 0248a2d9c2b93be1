import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import { HttpError, type Schemas } from '../api/client';
import { DashboardDeadlines, dashboardCases, dashboardShown } from './DeadlinesSection';
import DeadlinesPage from './DeadlinesPage';
import { filtersFromSearch, filtersToSearch, listHref, listQuery, overdueRules, refreshRetry } from './query';

type Answer = [number, unknown, Record<string, string>?];

/** Stubs fetch; answers by URL (path and query); records the URLs asked. */
function stubFetch(answer: (u: URL) => Answer): URL[] {
  const urls: URL[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input: RequestInfo | URL) => {
    const u = new URL((input as Request).url, 'http://x');
    urls.push(u);
    const [status, body, headers] = answer(u);
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
  });
  return urls;
}

function wrap(ui: React.ReactNode, entry = '/') {
  render(
    <MantineProvider env="test">
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <MemoryRouter initialEntries={[entry]}>{ui}</MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

afterEach(() => vi.restoreAllMocks());

const limit = (n: number, status = 'overdue') => ({
  case_id: `c${n}`,
  detainee_name: `Detainee ${n}`,
  rule: 'arrest_approval',
  title: 'Approval of the arrest',
  basis: 'CPL Art. 91',
  wording: '',
  start_event: 'criminal detention',
  status,
  due_at: '2026-01-01T15:59:59Z',
  days_overdue: n,
});

const summary: Schemas['DeadlineSummary'] = {
  by_status: { overdue: 1617, overdue_unless_extended: 12, pending: 40, met: 3 },
  due_within_7d: 5,
  due_within_7d_capped: false,
  by_rule: [
    { rule: 'arrest_approval', title: 'Approval of the arrest', basis: 'CPL Art. 91', by_status: { overdue: 1600 } },
    { rule: 'family_notice_detention', title: 'Notice to the family', basis: 'CPL Art. 85', by_status: { overdue: 17, met: 3 } },
    { rule: 'first_instance', title: 'First-instance trial', basis: 'CPL Art. 208', by_status: { pending: 40 } },
  ],
  by_stage: [],
};

describe('dashboard time-limit card', () => {
  it('shows the summary counts and the most urgent limits grouped by case (one row each, with a count of the others), with "see all"', async () => {
    const urls = stubFetch((u) => {
      if (u.pathname === '/api/v1/deadlines/summary') return [200, summary];
      if (u.pathname === '/api/v1/deadlines') {
        const n = Number(u.searchParams.get('limit'));
        // 8 cases, each with several limits, interleaved in urgency order.
        const items = Array.from({ length: n }, (_, i) => ({ ...limit(i + 1), case_id: `c${(i % 8) + 1}`, detainee_name: `Detainee ${(i % 8) + 1}` }));
        return [200, { items, next_cursor: 'more', total: 1000, total_capped: true }];
      }
      return [404, { code: 'not_found', message: 'no', request_id: 'r' }];
    });
    wrap(<DashboardDeadlines />);
    const counts = await screen.findByRole('list', { name: 'Time limits by status' });
    expect(within(counts).getByRole('link', { name: /1617\s*Overdue$/ })).toHaveAttribute('href', '/deadlines?status=overdue');
    expect(within(counts).getByRole('link', { name: /12\s*Overdue unless extended/ })).toHaveAttribute('href', '/deadlines?status=overdue_unless_extended');
    expect(within(counts).getByRole('link', { name: /5\s*Due within 7 days/ })).toHaveAttribute('href', '/deadlines?status=pending&due=7d');
    // The rules with overdue limits, most first; a rule with none is left out.
    const rules = screen.getByRole('list', { name: 'Overdue time limits by rule' });
    expect(within(rules).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Approval of the arrest (CPL Art. 91)1600', 'Notice to the family (CPL Art. 85)17']);

    const items = await screen.findByRole('list', { name: 'Most urgent first' });
    const rows = within(items).getAllByRole('listitem');
    expect(rows).toHaveLength(dashboardCases);
    expect(rows.map((li) => within(li).getByRole('link').textContent)).toEqual(['Detainee 1', 'Detainee 2', 'Detainee 3', 'Detainee 4', 'Detainee 5']);
    // Each row links to where the user acts: the case's time limits.
    expect(within(items).getByRole('link', { name: 'Detainee 3' })).toHaveAttribute('href', '/cases/c3#time-limits');
    // c1 held limits 1, 9, 17, 25, 33, 41, 49 of the 50 read: its most urgent shown, 6 others counted ("+": the list goes on).
    expect(rows[0]).toHaveTextContent('1 day overdue');
    expect(within(rows[0]!).getByText('and 6+ more')).toBeInTheDocument();
    expect(within(rows[4]!).getByText('and 5+ more')).toBeInTheDocument();
    expect(screen.getByText('The 5 most urgent cases of 1000+ time limits needing action.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'See all time limits' })).toHaveAttribute('href', '/deadlines?status=overdue%2Coverdue_unless_extended%2Cpending');

    // One page only: a single list request, of the statuses needing action, limited to the card's size.
    const asked = urls.filter((u) => u.pathname === '/api/v1/deadlines');
    expect(asked).toHaveLength(1);
    expect(asked[0]!.searchParams.get('status')).toBe('overdue,overdue_unless_extended,pending');
    expect(asked[0]!.searchParams.get('limit')).toBe(String(dashboardShown));
    expect(asked[0]!.searchParams.get('cursor')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  }, 60_000);

  it('says calmly that the limits are being recomputed (503 deadlines_refreshing) and asks again after Retry-After', async () => {
    let refreshing = true;
    const urls = stubFetch((u) => {
      if (refreshing) return [503, { code: 'deadlines_refreshing', message: 'recomputing', request_id: 'r' }, { 'Retry-After': '1' }];
      if (u.pathname === '/api/v1/deadlines/summary') return [200, summary];
      return [200, { items: [limit(1)], next_cursor: null, total: 1, total_capped: false }];
    });
    wrap(<DashboardDeadlines />);
    const notices = await screen.findAllByText('Time limits are being recomputed');
    // Both the counts and the list wait, each with the notice (a status, not an alert).
    expect(notices).toHaveLength(2);
    for (const n of notices) expect(n.closest('[role="status"]')).not.toBeNull();
    expect(screen.getAllByText(/This page will refresh by itself/).length).toBeGreaterThan(0);
    expect(screen.queryByRole('alert')).toBeNull();
    refreshing = false;
    await screen.findByRole('link', { name: 'Detainee 1' }, { timeout: 5000 });
    await screen.findByRole('list', { name: 'Time limits by status' });
    expect(screen.queryByText(/Time limits are being recomputed/)).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
    // Asked once, then again after the wait.
    expect(urls.filter((u) => u.pathname === '/api/v1/deadlines').length).toBeGreaterThanOrEqual(2);
  }, 60_000);
});

describe('time-limit list page', () => {
  it('sends the URL filters, shows the total and loads the next page with next_cursor', async () => {
    const urls = stubFetch((u) => {
      if (u.pathname === '/api/v1/deadlines/summary') return [200, summary];
      if (u.pathname === '/api/v1/deadlines')
        return u.searchParams.get('cursor') === 'k1'
          ? [200, { items: [limit(2)], next_cursor: null, total: 2, total_capped: false }]
          : [200, { items: [limit(1)], next_cursor: 'k1', total: 2, total_capped: false }];
      return [404, { code: 'not_found', message: 'no', request_id: 'r' }];
    });
    wrap(<DeadlinesPage />, '/deadlines?status=overdue,pending&rule=arrest_approval&due=7d');
    await screen.findByRole('link', { name: 'Detainee 1' });
    expect(screen.getByText('2 time limits')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByRole('link', { name: 'Detainee 2' });
    expect(screen.getByRole('link', { name: 'Detainee 1' })).toHaveAttribute('href', '/cases/c1');
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    const asked = urls.filter((u) => u.pathname === '/api/v1/deadlines');
    expect(asked.map((u) => u.searchParams.get('cursor'))).toEqual([null, 'k1']);
    for (const u of asked) {
      expect(u.searchParams.get('status')).toBe('overdue,pending');
      expect(u.searchParams.get('rule')).toBe('arrest_approval');
      expect(u.searchParams.get('due_within')).toBe('7d');
      expect(u.searchParams.get('limit')).toBe('50');
    }
  }, 60_000);

  it('shows a capped total as 1000+ and a status chip changes the query', async () => {
    const urls = stubFetch((u) => {
      if (u.pathname === '/api/v1/deadlines/summary') return [200, summary];
      return [200, { items: [limit(1, u.searchParams.get('status') === 'met' ? 'met' : 'overdue')], next_cursor: 'k', total: 1000, total_capped: true }];
    });
    wrap(<DeadlinesPage />, '/deadlines');
    await screen.findByText('1000+ time limits');
    expect(urls.find((u) => u.pathname === '/api/v1/deadlines')!.searchParams.get('status')).toBeNull();
    await userEvent.click(screen.getByRole('checkbox', { name: 'Met' }));
    await vi.waitFor(() => expect(urls.some((u) => u.pathname === '/api/v1/deadlines' && u.searchParams.get('status') === 'met')).toBe(true));
  }, 60_000);
});

describe('time-limit queries', () => {
  it('reads and writes the filters of the URL, dropping unknown values', () => {
    const f = filtersFromSearch(new URLSearchParams('status=pending,bogus,overdue&rule=arrest_approval&due=7d'));
    expect(f).toEqual({ status: ['overdue', 'pending'], rule: 'arrest_approval', due: '7d' });
    expect(filtersToSearch(f).toString()).toBe('status=overdue%2Cpending&rule=arrest_approval&due=7d');
    expect(filtersFromSearch(new URLSearchParams('rule=DROP TABLE&due=5y'))).toEqual({ status: [] });
    expect(listHref({})).toBe('/deadlines');
    expect(listQuery({ status: [] })).toEqual({ limit: 50 });
    expect(listQuery(f, 'c', 10)).toEqual({ status: 'overdue,pending', rule: 'arrest_approval', due_within: '7d', cursor: 'c', limit: 10 });
  });

  it('rules with overdue limits, most first, at most n', () => {
    expect(overdueRules(summary, 1).map((r) => [r.rule, r.count])).toEqual([['arrest_approval', 1600]]);
  });

  it('waits Retry-After while the server recomputes, for as long as it does; other failures retry once', () => {
    const refreshing = new HttpError(503, { code: 'deadlines_refreshing', message: '', request_id: 'r' }, 7);
    expect(refreshRetry.retry(50, refreshing)).toBe(true);
    expect(refreshRetry.retryDelay(1, refreshing)).toBe(7000);
    expect(refreshRetry.retryDelay(1, new HttpError(503, { code: 'deadlines_refreshing', message: '', request_id: 'r' }))).toBe(5000);
    const other = new HttpError(503, { code: 'storage_unavailable', message: '', request_id: 'r' }, 7);
    expect(refreshRetry.retry(0, other)).toBe(true);
    expect(refreshRetry.retry(1, other)).toBe(false);
  });
});

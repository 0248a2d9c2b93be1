import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import ReleasesPage, { releasesPageSize } from './ReleasesPage';
import { DashboardReleases, releaseFiltersFromSearch, releasesHref } from './Releases';

/** Stubs fetch; answers by URL; records the URLs asked. */
function stubFetch(answer: (u: URL) => unknown): URL[] {
  const urls: URL[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input: RequestInfo | URL) => {
    const u = new URL((input as Request).url, 'http://x');
    urls.push(u);
    return new Response(JSON.stringify(answer(u)), { status: 200, headers: { 'Content-Type': 'application/json' } });
  });
  return urls;
}

function Where() {
  const l = useLocation();
  return <output data-testid="where">{l.pathname + l.search}</output>;
}

function wrap(ui: React.ReactNode, entry: string) {
  render(
    <MantineProvider env="test">
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <MemoryRouter initialEntries={[entry]}>
          <Routes>
            <Route path="*" element={<>{ui}<Where /></>} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

afterEach(() => vi.restoreAllMocks());

const release = (n: number, status = 'expected') => ({
  case_id: `c${n}`,
  detainee_id: `d${n}`,
  detainee_name: `Detainee ${n}`,
  expected_release_at: '2027-01-05',
  expected_release_basis: [],
  status,
});

describe('releases: the dashboard cards and their "see all" page', () => {
  it('keeps its filters in the URL (defaults left out)', () => {
    expect(releasesHref({ status: 'expected', within: '90d' })).toBe('/releases');
    expect(releasesHref({ status: 'passed' })).toBe('/releases?status=passed');
    expect(releaseFiltersFromSearch(new URLSearchParams('status=passed&within=180d'))).toEqual({ status: 'passed', within: '180d' });
    expect(releaseFiltersFromSearch(new URLSearchParams('status=x&within=7y'))).toEqual({ status: 'expected', within: '90d' });
  });

  it('each dashboard card links its full list', async () => {
    stubFetch(() => ({ items: [release(1)], next_cursor: 'n', total: 30, total_capped: false }));
    wrap(<DashboardReleases />, '/');
    expect(await screen.findByRole('link', { name: 'See all expected releases' })).toHaveAttribute('href', '/releases');
    expect(screen.getByRole('link', { name: 'See all passed release dates' })).toHaveAttribute('href', '/releases?status=passed');
  });

  it('pages with next_cursor, shows the total, and asks again when the filters change', async () => {
    const urls = stubFetch((u) =>
      u.searchParams.get('cursor')
        ? { items: [release(3)], next_cursor: null, total: 3, total_capped: false }
        : { items: [release(1), release(2)], next_cursor: 'p2', total: 3, total_capped: false },
    );
    wrap(<ReleasesPage />, '/releases?within=180d');
    const list = await screen.findByRole('list', { name: 'Releases expected within 180 days' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
    expect(screen.getByText('3 cases')).toBeInTheDocument();
    const first = urls.find((u) => u.pathname === '/api/v1/releases')!;
    expect(Object.fromEntries(first.searchParams)).toEqual({ status: 'expected', within: '180d', limit: String(releasesPageSize) });
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await within(list).findByText('Detainee 3')).toBeInTheDocument();
    expect(urls.at(-1)!.searchParams.get('cursor')).toBe('p2');
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
    // Passed: no span, and the URL says so.
    await userEvent.click(screen.getByText('Date passed, not recorded'));
    expect(await screen.findByRole('list', { name: 'Release date passed, no release recorded' })).toBeInTheDocument();
    expect(screen.getByTestId('where')).toHaveTextContent('/releases?status=passed');
    const last = urls.filter((u) => u.pathname === '/api/v1/releases').at(-1)!;
    expect(last.searchParams.get('status')).toBe('passed');
    expect(last.searchParams.has('within')).toBe(false);
  });
});

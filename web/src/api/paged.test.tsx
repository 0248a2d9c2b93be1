import { describe, expect, it, vi } from 'vitest';
import { act, renderHook, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { usePaged } from './paged';

describe('usePaged', () => {
  it('fetches the next page with next_cursor and concatenates', async () => {
    const fetchPage = vi.fn(async (cursor: string | undefined) =>
      cursor ? { items: [3], next_cursor: null, total: 3 } : { items: [1, 2], next_cursor: 'c1', total: 3 },
    );
    const qc = new QueryClient();
    const { result } = renderHook(() => usePaged(['k'], fetchPage), {
      wrapper: ({ children }) => <QueryClientProvider client={qc}>{children}</QueryClientProvider>,
    });
    await waitFor(() => expect(result.current.items).toEqual([1, 2]));
    expect(result.current.total).toBe(3);
    expect(result.current.totalCapped).toBe(false);
    expect(result.current.hasNextPage).toBe(true);
    await act(() => result.current.fetchNextPage());
    await waitFor(() => expect(result.current.items).toEqual([1, 2, 3]));
    expect(result.current.hasNextPage).toBe(false);
    expect(fetchPage.mock.calls.map((c) => c[0])).toEqual([undefined, 'c1']);
  });

  it('reports a capped total', async () => {
    const fetchPage = vi.fn(async () => ({ items: [1], next_cursor: 'c1', total: 1000, total_capped: true }));
    const qc = new QueryClient();
    const { result } = renderHook(() => usePaged(['capped'], fetchPage), {
      wrapper: ({ children }) => <QueryClientProvider client={qc}>{children}</QueryClientProvider>,
    });
    await waitFor(() => expect(result.current.items).toEqual([1]));
    expect(result.current.total).toBe(1000);
    expect(result.current.totalCapped).toBe(true);
  });
});

import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';

type Page<T> = { items: T[]; next_cursor?: string | null; total?: number; total_capped?: boolean };

/** Retry options of a list (the client's default otherwise). */
type RetryOptions = { retry?: (failures: number, err: Error) => boolean; retryDelay?: (failures: number, err: Error) => number };

/** A keyset-paginated list: pages fetched on demand with next_cursor ("load more"). */
export function usePaged<T>(key: readonly unknown[], fetchPage: (cursor: string | undefined) => Promise<Page<T>>, options: RetryOptions = {}) {
  const q = useInfiniteQuery({
    ...options,
    queryKey: key,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: Page<T>) => last.next_cursor || undefined,
    placeholderData: keepPreviousData,
  });
  return {
    ...q,
    items: q.data?.pages.flatMap((p) => p.items) ?? [],
    total: q.data?.pages[0]?.total ?? 0,
    /** The server stopped counting at total: there are more. */
    totalCapped: q.data?.pages[0]?.total_capped ?? false,
  };
}

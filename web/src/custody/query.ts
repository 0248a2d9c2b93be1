import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../api/client';

/** Pages read at most (200 periods each): a case's custody history is short; this bounds a broken server. */
const maxPages = 10;

/** Every custody period of a case the user may see, ordered by start (as the server gives them). */
export async function fetchCustodyPeriods(caseId: string): Promise<Schemas['CustodyPeriod'][]> {
  const items: Schemas['CustodyPeriod'][] = [];
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const page = unwrap(await api.GET('/api/v1/cases/{id}/custody-periods', { params: { path: { id: caseId }, query: { limit: 200, cursor } } }));
    items.push(...page.items);
    cursor = page.next_cursor ?? undefined;
    if (!cursor) break;
  }
  return items;
}

export const custodyKey = (caseId: string) => ['custody-periods', caseId] as const;

export function useCustodyPeriods(caseId: string) {
  return useQuery({ queryKey: custodyKey(caseId), queryFn: () => fetchCustodyPeriods(caseId) });
}

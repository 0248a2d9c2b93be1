import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../api/client';

/** Pages read at most (200 communications each): a case has few; this bounds a broken server. */
const maxPages = 5;

/** Every UN communication of a case the user may see, by date transmitted (as the server gives them). */
export async function fetchUNCommunications(caseId: string): Promise<Schemas['UNCommunication'][]> {
  const items: Schemas['UNCommunication'][] = [];
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const page = unwrap(await api.GET('/api/v1/cases/{id}/un-communications', { params: { path: { id: caseId }, query: { limit: 200, cursor } } }));
    items.push(...page.items);
    cursor = page.next_cursor ?? undefined;
    if (!cursor) break;
  }
  return items;
}

export function useUNCommunications(caseId: string) {
  return useQuery({ queryKey: ['un-communications', caseId], queryFn: () => fetchUNCommunications(caseId) });
}

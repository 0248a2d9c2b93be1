import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../api/client';

/** Pages read at most (200 links each): a case has few; this bounds a broken server. */
const maxPages = 5;

/** Every link of a case the user may see (to cases the user also sees), oldest first. */
export async function fetchCaseLinks(caseId: string): Promise<Schemas['CaseLink'][]> {
  const items: Schemas['CaseLink'][] = [];
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const page = unwrap(await api.GET('/api/v1/cases/{id}/links', { params: { path: { id: caseId }, query: { limit: 200, cursor } } }));
    items.push(...page.items);
    cursor = page.next_cursor ?? undefined;
    if (!cursor) break;
  }
  return items;
}

export function useCaseLinks(caseId: string) {
  return useQuery({ queryKey: ['case-links', caseId], queryFn: () => fetchCaseLinks(caseId) });
}

/**
 * The label of a link read from one of its cases: same_proceedings and related read the same both ways;
 * lawyer_detained names the other case from this side ("case against a lawyer of this case", or "this
 * detainee was a lawyer in it").
 */
export function linkLabelKey(l: Pick<Schemas['CaseLink'], 'kind' | 'direction'>): string {
  return l.kind === 'lawyer_detained' ? `caseLinks.labels.lawyer_detained_${l.direction}` : `caseLinks.labels.${l.kind}`;
}

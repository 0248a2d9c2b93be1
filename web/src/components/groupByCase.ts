/** One case of a dashboard list: its most urgent item and how many more items of the same case the list held. */
export type CaseGroup<T> = { caseId: string; first: T; others: number };

/**
 * Groups a list already in urgency order by case: one group per case, in the order of each case's most urgent
 * item, holding that item and the count of the case's other items; at most max groups.
 */
export function groupByCase<T>(items: readonly T[], caseOf: (x: T) => string, max: number): CaseGroup<T>[] {
  const groups = new Map<string, CaseGroup<T>>();
  for (const x of items) {
    const id = caseOf(x);
    const g = groups.get(id);
    if (g) g.others++;
    else groups.set(id, { caseId: id, first: x, others: 0 });
  }
  return [...groups.values()].slice(0, max);
}

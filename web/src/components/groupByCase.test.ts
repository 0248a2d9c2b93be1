import { describe, expect, it } from 'vitest';
import { groupByCase } from './groupByCase';

describe('groupByCase', () => {
  const items = [
    { c: 'a', n: 1 },
    { c: 'b', n: 2 },
    { c: 'a', n: 3 },
    { c: 'c', n: 4 },
    { c: 'a', n: 5 },
    { c: 'b', n: 6 },
  ];
  it('keeps one row per case with its most urgent item and counts the others', () => {
    expect(groupByCase(items, (x) => x.c, 10)).toEqual([
      { caseId: 'a', first: { c: 'a', n: 1 }, others: 2 },
      { caseId: 'b', first: { c: 'b', n: 2 }, others: 1 },
      { caseId: 'c', first: { c: 'c', n: 4 }, others: 0 },
    ]);
  });
  it('caps the rows', () => {
    expect(groupByCase(items, (x) => x.c, 2).map((g) => g.caseId)).toEqual(['a', 'b']);
    expect(groupByCase([], (x: { c: string }) => x.c, 5)).toEqual([]);
  });
});

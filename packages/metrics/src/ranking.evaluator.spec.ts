import { describe, expect, it } from 'vitest';
import { evaluateRanking } from './ranking.evaluator';

describe('evaluateRanking', () => {
  const test = new Map([
    [0, new Set([1, 2])],
    [1, new Set([3])],
    [2, new Set<number>()], // no test items: not evaluated
  ]);
  const lists: Record<number, number[]> = { 0: [1, 5, 2, 0], 1: [0, 1, 4, 5] };

  it('averages per-user metrics and measures coverage of the top max(k)', () => {
    const calls: [number, number][] = [];
    const r = evaluateRanking(
      (user, k) => {
        calls.push([user, k]);
        return lists[user];
      },
      test,
      { k: [1, 3], numItems: 10 },
    );
    expect(calls).toEqual([
      [0, 500],
      [1, 500],
    ]);
    expect(r.users).toBe(2);
    expect(r.precision[1]).toBeCloseTo((1 + 0) / 2, 12);
    expect(r.precision[3]).toBeCloseTo((2 / 3 + 0) / 2, 12);
    expect(r.recall[3]).toBeCloseTo((1 + 0) / 2, 12);
    const user0Ndcg3 = (1 + 1 / Math.log2(4)) / (1 + 1 / Math.log2(3));
    expect(r.ndcg[3]).toBeCloseTo(user0Ndcg3 / 2, 12);
    expect(r.map500).toBeCloseTo(((1 + 2 / 3) / 2 + 0) / 2, 12);
    // top-3 lists cover items {1,5,2} ∪ {0,1,4} = 5 of 10
    expect(r.coverage).toBeCloseTo(0.5, 12);
  });

  it('rejects ids outside the catalogue and bad cut-offs', () => {
    expect(() => evaluateRanking(() => [11], test, { k: [1], numItems: 10 })).toThrow(
      /recommend\(0\) returned item 11 outside \[0, 10\) at position 0/,
    );
    expect(() => evaluateRanking(() => [], test, { k: [], numItems: 10 })).toThrow(/at least one cut-off/);
    expect(() => evaluateRanking(() => [], test, { k: [0], numItems: 10 })).toThrow(/positive integer/);
  });
});

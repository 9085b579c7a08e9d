import { describe, expect, it } from 'vitest';
import { sharedTopTerms } from './index';

const vector = (terms: number[], weights: number[]) => ({
  terms: Int32Array.from(terms),
  weights: Float32Array.from(weights),
});

describe('sharedTopTerms', () => {
  it('ranks shared terms by their contribution to the dot product', () => {
    const a = vector([1, 3, 5, 8, 9], [0.5, 0.1, 0.6, 0.4, -0.3]);
    const b = vector([0, 3, 5, 8, 9], [0.9, 0.8, 0.2, 0.5, 0.5]);
    // contributions: term 3 -> 0.08, term 5 -> 0.12, term 8 -> 0.20, term 9 -> negative (not a reason)
    const top = sharedTopTerms(a, b, 2);
    expect(top.map((t) => t.term)).toEqual([8, 5]);
    expect(top[0].weight).toBeCloseTo(0.2, 6);
    expect(top[1].weight).toBeCloseTo(0.12, 6);
    expect(sharedTopTerms(a, b, 10).map((t) => t.term)).toEqual([8, 5, 3]);
  });

  it('is empty for disjoint vectors and rejects unsorted ones', () => {
    expect(sharedTopTerms(vector([1], [1]), vector([2], [1]), 3)).toEqual([]);
    expect(() => sharedTopTerms(vector([2, 1], [1, 1]), vector([1], [1]), 3)).toThrow(/strictly ascending/);
  });
});

import { describe, expect, it } from 'vitest';
import { averagePrecisionAtK, ndcgAtK, precisionAtK, recallAtK } from './ranking.metrics';

// Hits at ranks 2 and 5; item 7 is relevant but never ranked.
const ranked = [5, 3, 8, 1, 9];
const relevant = new Set([3, 9, 7]);

describe('precisionAtK', () => {
  it('counts hits in the top k over k', () => {
    expect(precisionAtK(ranked, relevant, 5)).toBeCloseTo(2 / 5, 12);
    expect(precisionAtK(ranked, relevant, 3)).toBeCloseTo(1 / 3, 12);
    expect(precisionAtK(ranked, relevant, 1)).toBe(0);
  });

  it('divides by k even when the list is shorter', () => {
    expect(precisionAtK([3], relevant, 4)).toBeCloseTo(1 / 4, 12);
  });
});

describe('recallAtK', () => {
  it('normalises by min(k, |relevant|)', () => {
    expect(recallAtK(ranked, relevant, 5)).toBeCloseTo(2 / 3, 12);
    expect(recallAtK(ranked, relevant, 2)).toBeCloseTo(1 / 2, 12);
    expect(recallAtK([9, 3], relevant, 2)).toBe(1);
  });
});

describe('ndcgAtK', () => {
  it('uses 1/log2(rank+1) gains and an ideal DCG over min(k, |relevant|)', () => {
    const dcg5 = 1 / Math.log2(3) + 1 / Math.log2(6);
    const idcg5 = 1 + 1 / Math.log2(3) + 1 / Math.log2(4);
    expect(ndcgAtK(ranked, relevant, 5)).toBeCloseTo(dcg5 / idcg5, 12);
    expect(ndcgAtK(ranked, relevant, 5)).toBeCloseTo(0.4776237, 6);
    expect(ndcgAtK(ranked, relevant, 2)).toBeCloseTo(1 / Math.log2(3) / (1 + 1 / Math.log2(3)), 12);
    expect(ndcgAtK([9, 3, 7], relevant, 3)).toBeCloseTo(1, 12);
  });
});

describe('averagePrecisionAtK', () => {
  it('follows the MSD Challenge definition', () => {
    expect(averagePrecisionAtK(ranked, relevant, 5)).toBeCloseTo((1 / 2 + 2 / 5) / 3, 12);
    expect(averagePrecisionAtK(ranked, relevant, 2)).toBeCloseTo(1 / 2 / 2, 12);
    expect(averagePrecisionAtK([3, 9, 7, 1], relevant, 500)).toBe(1);
  });
});

describe('input checks', () => {
  it('rejects bad k, an empty relevant set and repeated ids', () => {
    expect(() => precisionAtK(ranked, relevant, 0)).toThrow(/k must be a positive integer/);
    expect(() => ndcgAtK(ranked, relevant, 2.5)).toThrow(/k must be a positive integer/);
    expect(() => recallAtK(ranked, new Set(), 5)).toThrow(/relevant set is empty/);
    expect(() => averagePrecisionAtK([3, 3], relevant, 5)).toThrow(/repeats id 3 at position 1/);
    // A repeat beyond k is outside the evaluated prefix.
    expect(precisionAtK([3, 1, 3], relevant, 2)).toBe(0.5);
  });
});

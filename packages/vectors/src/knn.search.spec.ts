import { describe, expect, it } from 'vitest';
import { exactKnn } from './knn.search';
import { computeRowNorms } from './vector.ops';

// rows: 0 = (1,0), 1 = (0,1), 2 = (3,3), 3 = (0,0), 4 = (-1,0)
const matrix = Float32Array.from([1, 0, 0, 1, 3, 3, 0, 0, -1, 0]);

describe('exactKnn', () => {
  it('ranks by cosine by default; a zero row scores 0', () => {
    const r = exactKnn(matrix, 2, Float32Array.from([2, 1]), 5);
    expect(Array.from(r.ids)).toEqual([2, 0, 1, 3, 4]);
    expect(r.scores[0]).toBeCloseTo(3 / Math.sqrt(10), 6);
    expect(r.scores[3]).toBe(0);
    expect(r.scores[4]).toBeCloseTo(-2 / Math.sqrt(5), 6);
  });

  it('gives identical cosine results with precomputed row norms', () => {
    const q = Float32Array.from([0.3, -2]);
    const plain = exactKnn(matrix, 2, q, 3);
    const withNorms = exactKnn(matrix, 2, q, 3, { rowNorms: computeRowNorms(matrix, 2) });
    expect(withNorms).toEqual(plain);
  });

  it('ranks by inner product', () => {
    const r = exactKnn(matrix, 2, Float32Array.from([1, 0]), 2, { metric: 'dot' });
    expect(Array.from(r.ids)).toEqual([2, 0]);
    expect(Array.from(r.scores)).toEqual([3, 1]);
  });

  it('scores l2 as negative distance so the nearest comes first', () => {
    const r = exactKnn(matrix, 2, Float32Array.from([0.9, 0.1]), 3, { metric: 'l2' });
    expect(Array.from(r.ids)).toEqual([0, 3, 1]);
    expect(r.scores[0]).toBeCloseTo(-Math.sqrt(0.02), 6);
    expect(r.scores[1]).toBeCloseTo(-Math.sqrt(0.82), 6);
  });

  it('skips excluded rows and caps k at the row count', () => {
    const r = exactKnn(matrix, 2, Float32Array.from([1, 1]), 10, { exclude: (id) => id === 2 || id === 3 });
    expect(Array.from(r.ids)).toEqual([0, 1, 4]);
  });

  it('rejects mismatched shapes and unknown metrics', () => {
    expect(() => exactKnn(matrix, 2, new Float32Array(3), 1)).toThrow(/query length 3/);
    expect(() => exactKnn(matrix, 3, new Float32Array(3), 1)).toThrow(/not a multiple/);
    expect(() => exactKnn(matrix, 2, new Float32Array(2), 1, { rowNorms: new Float32Array(2) })).toThrow(
      /rowNorms length 2/,
    );
    expect(() => exactKnn(matrix, 2, new Float32Array(2), 1, { metric: 'manhattan' as never })).toThrow(
      /unknown metric manhattan/,
    );
  });
});

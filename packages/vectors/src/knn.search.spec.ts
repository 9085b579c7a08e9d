import { describe, expect, it } from 'vitest';
import { exactKnn, exactKnnBatch } from './knn.search';
import { SeededRandom } from './random.generator';
import { cosine } from './vector.ops';
import { VectorTable } from './vector.table';

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

  it('gives identical results from a VectorTable of its own', () => {
    const q = Float32Array.from([0.3, -2]);
    const table = VectorTable.from(matrix, 2);
    expect(table.knnBatch(q, 3)).toEqual([exactKnn(matrix, 2, q, 3)]);
    expect(table.knnBatch(q, 3, { metric: 'dot' })).toEqual([exactKnn(matrix, 2, q, 3, { metric: 'dot' })]);
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
    expect(() => exactKnn(matrix, 2, new Float32Array(2), 1, { metric: 'manhattan' as never })).toThrow(
      /unknown metric manhattan/,
    );
  });
});

/** Every row scored and fully sorted: the slow, obviously right ranking the fast scan must reproduce. */
function sortedReference(
  matrix: Float32Array,
  dim: number,
  query: Float32Array,
  k: number,
  metric: 'cosine' | 'dot',
) {
  const rows = matrix.length / dim;
  const scored = Array.from({ length: rows }, (_, r) => {
    const row = matrix.subarray(r * dim, (r + 1) * dim);
    const score = metric === 'cosine' ? cosine(row, query) : row.reduce((sum, x, i) => sum + x * query[i], 0);
    return { r, score: Math.fround(score) };
  });
  scored.sort((a, b) => b.score - a.score || a.r - b.r);
  return scored.slice(0, k).map((s) => s.r);
}

describe('exactKnnBatch', () => {
  // dim 37 is padded to the kernels' 40; 9,000 rows span two 1 MB tiles (7,084 rows) and several kernel chunks
  // (4,096 rows); 7 queries are one block of four plus three single scans.
  const dim = 37;
  const rows = 9000;
  const rng = new SeededRandom(5);
  const data = Float32Array.from({ length: rows * dim }, () => rng.nextGaussian());
  data.fill(0, 10 * dim, 11 * dim); // one zero row
  const queries = Float32Array.from({ length: 7 * dim }, () => rng.nextGaussian());
  const query = (q: number) => queries.subarray(q * dim, (q + 1) * dim);

  it.each(['cosine', 'dot'] as const)(
    'ranks like a full sort, for every query of the batch (%s)',
    (metric) => {
      const batch = exactKnnBatch(data, dim, queries, 25, { metric });
      expect(batch).toHaveLength(7);
      batch.forEach((result, q) => {
        expect(Array.from(result.ids)).toEqual(sortedReference(data, dim, query(q), 25, metric));
        expect(result).toEqual(exactKnn(data, dim, query(q), 25, { metric }));
      });
      expect(VectorTable.from(data, dim).knnBatch(queries, 25, { metric })).toEqual(batch);
    },
  );

  it('asks exclude only about rows that would enter the top k, and skips them', () => {
    const asked: number[] = [];
    const excluded = new Set(sortedReference(data, dim, query(0), 3, 'dot'));
    const result = exactKnn(data, dim, query(0), 10, {
      metric: 'dot',
      exclude: (id) => (asked.push(id), excluded.has(id)),
    });
    expect(Array.from(result.ids)).toEqual(sortedReference(data, dim, query(0), 13, 'dot').slice(3));
    expect(asked.length).toBeLessThan(rows / 10);
  });

  it('rejects a batch that is not whole queries', () => {
    expect(() => exactKnnBatch(data, dim, new Float32Array(dim + 1), 1)).toThrow(/query length 38/);
    expect(() => exactKnnBatch(data, dim, new Float32Array(0), 1)).toThrow(/query length 0/);
  });
});

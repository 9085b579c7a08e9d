import { beforeAll, describe, expect, it } from 'vitest';
import { exactKnn } from '@tunegraph/vectors';
import { BucketedRandomProjectionLsh, CosineLsh, LshEmptyIndexError, LshInputError } from './index';
import { gaussianClusters, meanRecall, rowOf } from './synthetic.test-helpers';

const dim = 64;
const count = 20_000;

describe('BucketedRandomProjectionLsh on 20k clustered 64-d vectors (Euclidean)', () => {
  // Same data as the cosine tests; exact 10th-neighbour distances are around 4.5 here.
  const data = gaussianClusters({ count, dim, clusters: 50, spread: 0.5, seed: 42 });
  const queries = Array.from({ length: 200 }, (_, i) => i * 97);
  let exact: { ids: Int32Array; scores: Float32Array }[];
  const build = (tables: number) => {
    const index = new BucketedRandomProjectionLsh({ dim, tables, projections: 8, bucketLength: 2, seed: 1 });
    index.build(data, count);
    return index;
  };
  const search = (index: BucketedRandomProjectionLsh, probes: number) =>
    queries.map((q) => index.query(rowOf(data, dim, q), 10, { exclude: (id) => id === q, probes }));
  let sixteen: BucketedRandomProjectionLsh;

  beforeAll(() => {
    exact = queries.map((q) =>
      exactKnn(data, dim, rowOf(data, dim, q), 10, { metric: 'l2', exclude: (id) => id === q }),
    );
    sixteen = build(16);
  });

  it('reaches recall@10 >= 0.97 scoring at most 11% of the vectors (L=16, 8 projections, width 2, 2 probes)', () => {
    const results = search(sixteen, 2);
    const recall = meanRecall(
      results.map((r) => r.ids),
      exact.map((e) => e.ids),
    );
    const scanned = results.reduce((sum, r) => sum + r.scannedFraction, 0) / results.length;
    expect(recall).toBeGreaterThanOrEqual(0.97); // measured 0.986
    expect(scanned).toBeLessThanOrEqual(0.11); // measured 0.094
  });

  it('never loses recall with more tables or more probes (per query)', () => {
    const perQuery = (results: { ids: Int32Array }[]) =>
      results.map((r, q) => meanRecall([r.ids], [exact[q].ids]));
    const r8 = perQuery(search(build(8), 0));
    const r16 = perQuery(search(sixteen, 0));
    const r16p = perQuery(search(sixteen, 4));
    for (let q = 0; q < queries.length; q++) {
      expect(r16[q]).toBeGreaterThanOrEqual(r8[q]);
      expect(r16p[q]).toBeGreaterThanOrEqual(r16[q]);
    }
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean(r8)).toBeCloseTo(0.671, 1); // measured 0.671, 0.881, 0.996
    expect(mean(r16)).toBeCloseTo(0.881, 1);
  });

  it('returns exact Euclidean distances, nearest first', () => {
    const { ids, distances } = sixteen.query(rowOf(data, dim, 97), 10, { probes: 2 });
    expect(ids[0]).toBe(97);
    expect(distances[0]).toBe(0);
    const truth = new Map(Array.from(exact[1].ids, (id, i) => [id, -exact[1].scores[i]]));
    for (let i = 1; i < ids.length; i++) {
      expect(distances[i]).toBeGreaterThanOrEqual(distances[i - 1]);
      if (truth.has(ids[i])) expect(distances[i]).toBeCloseTo(truth.get(ids[i]) as number, 4);
    }
  });

  it('round-trips through a buffer, and refuses to load as the other index kind', () => {
    const copy = BucketedRandomProjectionLsh.fromBuffer(sixteen.toBuffer());
    expect(copy.memoryBytes()).toBe(sixteen.memoryBytes());
    for (const q of queries.slice(0, 20)) {
      expect(copy.query(rowOf(data, dim, q), 10, { probes: 1 })).toEqual(
        sixteen.query(rowOf(data, dim, q), 10, { probes: 1 }),
      );
    }
    expect(() => CosineLsh.fromBuffer(sixteen.toBuffer())).toThrow(
      /holds a BucketedRandomProjectionLsh index, not a CosineLsh/,
    );
  });
});

describe('BucketedRandomProjectionLsh maintenance and errors', () => {
  it('adds, removes and validates like CosineLsh', () => {
    const index = new BucketedRandomProjectionLsh({
      dim: 4,
      tables: 3,
      bucketLength: 1,
      seed: 2,
      projections: 2,
    });
    expect(() => index.query(new Float32Array(4), 1)).toThrow(LshEmptyIndexError);
    index.add(10, Float32Array.from([0, 0, 0, 0])); // the origin is a fine Euclidean point
    index.add(11, Float32Array.from([0.1, 0, 0, 0]));
    index.add(12, Float32Array.from([5, 5, 5, 5]));
    const near = index.query(Float32Array.from([0.05, 0, 0, 0]), 2, { probes: 4 });
    expect(Array.from(near.ids).sort()).toEqual([10, 11]);
    expect(near.distances[0]).toBeCloseTo(0.05, 6);
    index.remove(11);
    expect(index.query(Float32Array.from([0.1, 0, 0, 0]), 1, { probes: 4 }).ids[0]).toBe(10);
    expect(() => index.add(12, new Float32Array(4))).toThrow(/already in the index/);
    expect(() => index.add(13, new Float32Array(3))).toThrow(/index dimension is 4/);
    expect(() => index.add(13, Float32Array.from([1, Infinity, 0, 0]))).toThrow(/non-finite/);
    expect(() => index.query(new Float32Array(4), 1, { probes: 5 })).toThrow(
      /probes must be an integer in \[0, 4\]/,
    );
    expect(() => new BucketedRandomProjectionLsh({ dim: 4, tables: 1, bucketLength: 0, seed: 1 })).toThrow(
      LshInputError,
    );
  });
});

import { bench, describe } from 'vitest';
import { exactKnn } from '@tunegraph/vectors';
import { BucketedRandomProjectionLsh, CosineLsh } from './index';
import { exactNeighbours, gaussianClusters, meanRecall, rowOf } from './synthetic.test-helpers';

// Same data as the recall test: 20k x 64-d, 50 Gaussian clusters, spread 0.5. Run: npm run bench -w @tunegraph/lsh
const dim = 64;
const count = 20_000;
const data = gaussianClusters({ count, dim, clusters: 50, spread: 0.5, seed: 42 });
const queryRows = Array.from({ length: 200 }, (_, i) => i * 97);
const queries = queryRows.map((row) => rowOf(data, dim, row));
const exact = exactNeighbours(data, dim, queryRows, 10);
// Cosine probes count extra buckets over all tables (2 per table here, as the Euclidean settings below).
const configs: [tables: number, bits: number, probes: number][] = [
  [8, 12, 0],
  [8, 12, 16],
  [16, 12, 0],
  [16, 12, 32],
  [16, 12, 64],
  [16, 14, 32],
  [24, 14, 48],
  [32, 16, 128],
];

describe('CosineLsh query, k=10 (name: recall@10, mean scanned fraction, bytes/vector, build ms)', () => {
  for (const [tables, bits, probes] of configs) {
    const index = new CosineLsh({ dim, tables, bits, seed: 1, probes });
    const start = performance.now();
    index.build(data, count);
    const buildMs = performance.now() - start;
    const results = queryRows.map((row, q) => index.query(queries[q], 10, { exclude: (id) => id === row }));
    const recall = meanRecall(
      results.map((r) => r.ids),
      exact,
    );
    const scanned = results.reduce((sum, r) => sum + r.scannedFraction, 0) / results.length;
    const bytes = index.memoryBytes() / count;
    const name =
      `L=${tables} K=${bits} P=${probes} recall=${recall.toFixed(3)} scanned=${(100 * scanned).toFixed(2)}%` +
      ` ${bytes.toFixed(0)}B/vec build=${buildMs.toFixed(0)}ms`;
    let next = 0;
    bench(name, () => {
      index.query(queries[next], 10);
      next = (next + 1) % queries.length;
    });
  }
  let next = 0;
  bench('exact brute force (vectors.exactKnn) recall=1 scanned=100%', () => {
    exactKnn(data, dim, queries[next], 10);
    next = (next + 1) % queries.length;
  });
});

const exactL2 = queryRows.map(
  (row, q) => exactKnn(data, dim, queries[q], 10, { metric: 'l2', exclude: (id) => id === row }).ids,
);
const euclideanConfigs: [tables: number, projections: number, bucketLength: number, probes: number][] = [
  [8, 8, 2, 2],
  [16, 8, 2, 0],
  [16, 8, 2, 2],
  [16, 8, 2, 4],
];

describe('BucketedRandomProjectionLsh query, k=10 (Euclidean; same naming)', () => {
  for (const [tables, projections, bucketLength, probes] of euclideanConfigs) {
    const index = new BucketedRandomProjectionLsh({
      dim,
      tables,
      projections,
      bucketLength,
      seed: 1,
      probes,
    });
    const start = performance.now();
    index.build(data, count);
    const buildMs = performance.now() - start;
    const results = queryRows.map((row, q) => index.query(queries[q], 10, { exclude: (id) => id === row }));
    const recall = meanRecall(
      results.map((r) => r.ids),
      exactL2,
    );
    const scanned = results.reduce((sum, r) => sum + r.scannedFraction, 0) / results.length;
    const name =
      `L=${tables} K=${projections} w=${bucketLength} P=${probes} recall=${recall.toFixed(3)}` +
      ` scanned=${(100 * scanned).toFixed(2)}% ${(index.memoryBytes() / count).toFixed(0)}B/vec build=${buildMs.toFixed(0)}ms`;
    let next = 0;
    bench(name, () => {
      index.query(queries[next], 10);
      next = (next + 1) % queries.length;
    });
  }
});

import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '@tunegraph/vectors';
import { CosineLsh, LshEmptyIndexError, LshInputError, type LshOptions } from './index';
import { exactNeighbours, gaussianClusters, meanRecall, rowOf } from './synthetic.test-helpers';

const dim = 64;
const count = 20_000;
const base: LshOptions = { dim, tables: 16, bits: 12, seed: 1 };

describe('CosineLsh on 20k clustered 64-d vectors (50 Gaussian clusters, spread 0.5, seed 42)', () => {
  const data = gaussianClusters({ count, dim, clusters: 50, spread: 0.5, seed: 42 });
  const queries = Array.from({ length: 200 }, (_, i) => i * 97);
  let exact: Int32Array[];
  const indexes = new Map<number, CosineLsh>();
  const withTables = (tables: number): CosineLsh => {
    let index = indexes.get(tables);
    if (index === undefined) {
      index = new CosineLsh({ ...base, tables });
      index.build(data, count);
      indexes.set(tables, index);
    }
    return index;
  };
  const search = (index: CosineLsh, probes: number) =>
    queries.map((q) => index.query(rowOf(data, dim, q), 10, { exclude: (id) => id === q, probes }));

  beforeAll(() => {
    exact = exactNeighbours(data, dim, queries, 10);
  });

  it('reaches recall@10 >= 0.96 while scoring under 4.5% of the vectors (L=16, K=12, 32 probes)', () => {
    const results = search(withTables(16), 32);
    const recall = meanRecall(
      results.map((r) => r.ids),
      exact,
    );
    const scanned = results.reduce((sum, r) => sum + r.scannedFraction, 0) / results.length;
    expect(recall).toBeGreaterThanOrEqual(0.96); // measured 0.970
    expect(scanned).toBeLessThanOrEqual(0.045); // measured 0.0326
    for (const r of results) expect(r.scannedFraction).toBeCloseTo(r.candidates / count, 12);
  });

  it('never loses recall with more tables or more probes (per query)', () => {
    const perQuery = (results: { ids: Int32Array }[]) =>
      results.map((r, q) => meanRecall([r.ids], [exact[q]]));
    const eight = search(withTables(8), 0);
    const sixteen = search(withTables(16), 0);
    const probed = search(withTables(16), 64);
    const [r8, r16, r16p] = [perQuery(eight), perQuery(sixteen), perQuery(probed)];
    for (let q = 0; q < queries.length; q++) {
      expect(r16[q]).toBeGreaterThanOrEqual(r8[q]);
      expect(r16p[q]).toBeGreaterThanOrEqual(r16[q]);
      expect(sixteen[q].candidates).toBeGreaterThanOrEqual(eight[q].candidates);
    }
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean(r8)).toBeCloseTo(0.614, 1); // measured 0.614, 0.855, 0.993
    expect(mean(r16)).toBeCloseTo(0.855, 1);
    expect(mean(r16p)).toBeGreaterThan(0.98);
  });

  it('returns exact cosine scores, best first', () => {
    const index = withTables(16);
    const query = rowOf(data, dim, 5);
    const { ids, scores } = index.query(query, 10);
    expect(ids[0]).toBe(5);
    const stored = index.vector(5);
    expect(Math.hypot(...stored)).toBeCloseTo(1, 6);
    expect(index.query(stored, 10)).toEqual({
      ids,
      scores,
      candidates: expect.any(Number),
      scannedFraction: expect.any(Number),
    });
    expect(() => index.vector(count)).toThrow(/id 20000 is not in the index/);
    expect(scores[0]).toBeCloseTo(1, 5);
    const norm = (v: Float32Array) => Math.hypot(...v);
    ids.forEach((id, i) => {
      const row = rowOf(data, dim, id);
      const cosine = row.reduce((sum, x, j) => sum + x * query[j], 0) / (norm(row) * norm(query));
      expect(scores[i]).toBeCloseTo(cosine, 5);
      if (i > 0) expect(scores[i]).toBeLessThanOrEqual(scores[i - 1]);
    });
  });

  it('stays under 2x the raw float32 vectors in memory (measured ~374 bytes per 64-d vector)', () => {
    const bytesPerVector = withTables(16).memoryBytes() / count;
    expect(bytesPerVector).toBeLessThan(2 * 4 * dim);
    expect(bytesPerVector).toBeGreaterThan(4 * dim);
  });

  it('round-trips through a buffer with identical answers', () => {
    const index = withTables(16);
    const copy = CosineLsh.fromBuffer(index.toBuffer());
    expect(copy.size).toBe(count);
    expect(copy.memoryBytes()).toBe(index.memoryBytes());
    for (const q of queries.slice(0, 20)) {
      const a = index.query(rowOf(data, dim, q), 10, { probes: 1 });
      expect(copy.query(rowOf(data, dim, q), 10, { probes: 1 })).toEqual(a);
    }
  });

  it('finds vectors added one by one, before and after they are merged into the tables', () => {
    const half = count / 2;
    const incremental = new CosineLsh(base);
    incremental.build(data.subarray(0, half * dim), half);
    const check = (rows: number[]) => {
      for (const row of rows)
        expect(incremental.query(rowOf(data, dim, row), 1, { probes: 0 }).ids[0]).toBe(row);
    };
    for (let row = half; row < half + 200; row++) incremental.add(row, rowOf(data, dim, row));
    check([half, half + 99, half + 199]); // still in the overflow list
    for (let row = half + 200; row < count; row++) incremental.add(row, rowOf(data, dim, row));
    expect(incremental.size).toBe(count);
    check(queries); // merged into the CSR tables
    const reloaded = CosineLsh.fromBuffer(incremental.toBuffer());
    for (const q of queries.slice(0, 30)) {
      const query = rowOf(data, dim, q);
      expect(reloaded.query(query, 10, { probes: 8 })).toEqual(incremental.query(query, 10, { probes: 8 }));
    }
  });
});

describe('CosineLsh maintenance and errors', () => {
  const small = (seed = 9) => {
    const rng = new SeededRandom(seed);
    return Float32Array.from({ length: 300 * 8 }, () => rng.nextGaussian());
  };

  it('removes and re-adds vectors, including through compaction and overflow', () => {
    const data = small();
    const index = new CosineLsh({ dim: 8, tables: 4, bits: 4, seed: 3 });
    index.build(
      data,
      300,
      Int32Array.from({ length: 300 }, (_, i) => 1000 + i),
    );
    for (let i = 0; i < 290; i++) index.remove(1000 + i); // passes the compaction threshold
    expect(index.size).toBe(10);
    const all = index.query(rowOf(data, 8, 295), 300);
    expect(Array.from(all.ids).every((id) => id >= 1290)).toBe(true);
    expect(() => index.remove(1000)).toThrow(/id 1000 is not in the index/);
    index.add(1000, rowOf(data, 8, 0));
    expect(index.query(rowOf(data, 8, 0), 1).ids[0]).toBe(1000);
    expect(() => index.add(1000, rowOf(data, 8, 1))).toThrow(/already in the index/);
    const reloaded = CosineLsh.fromBuffer(index.toBuffer());
    expect(reloaded.size).toBe(11);
    expect(reloaded.query(rowOf(data, 8, 0), 1).ids[0]).toBe(1000);
  });

  it('is deterministic in its seed', () => {
    const data = small();
    const build = (seed: number) => {
      const index = new CosineLsh({ dim: 8, tables: 4, bits: 6, seed });
      index.build(data, 300);
      return index.toBuffer();
    };
    expect(build(5).equals(build(5))).toBe(true);
    expect(build(5).equals(build(6))).toBe(false);
  });

  it('rejects wrong dimensions, bad vectors, bad options and an empty index with clear errors', () => {
    const index = new CosineLsh({ dim: 8, tables: 2, bits: 4, seed: 1 });
    expect(() => index.query(new Float32Array(8).fill(1), 5)).toThrow(LshEmptyIndexError);
    expect(() => index.query(new Float32Array(8).fill(1), 5)).toThrow(/empty LSH index/);
    expect(() => index.build(new Float32Array(10), 1)).toThrow(/length 10, expected count \* dim = 8/);
    expect(() => index.add(1, new Float32Array(7))).toThrow(/length 7, index dimension is 8/);
    expect(() => index.add(1, new Float32Array(8))).toThrow(/zero vector/);
    expect(() => index.add(1, new Float32Array(8).fill(NaN))).toThrow(/non-finite/);
    expect(() => index.build(new Float32Array(16).fill(1), 2, Int32Array.from([4, 4]))).toThrow(
      /duplicate id 4/,
    );
    expect(index.size).toBe(0);
    index.add(1, new Float32Array(8).fill(1));
    expect(() => index.query(new Float32Array(9), 5)).toThrow(LshInputError);
    expect(() => index.query(new Float32Array(8).fill(1), 0)).toThrow(/k must be a positive integer/);
    expect(() => index.query(new Float32Array(8).fill(1), 1, { probes: 31 })).toThrow(
      /probes must be an integer in \[0, 30\]/,
    );
    expect(() => (index.probes = -1)).toThrow(/probes must be an integer/);
    index.remove(1);
    expect(() => index.query(new Float32Array(8).fill(1), 5)).toThrow(LshEmptyIndexError);
    expect(() => new CosineLsh({ dim: 8, tables: 2, bits: 33, seed: 1 })).toThrow(
      /bits must be an integer in \[1, 32\]/,
    );
    expect(() => new CosineLsh({ dim: 0, tables: 2, bits: 4, seed: 1 })).toThrow(LshInputError);
  });

  it('rejects corrupt or truncated buffers', () => {
    const index = new CosineLsh({ dim: 8, tables: 2, bits: 4, seed: 1 });
    index.build(small(), 300);
    const bytes = index.toBuffer();
    expect(() => CosineLsh.fromBuffer(bytes.subarray(0, bytes.length - 4))).toThrow(/truncated/);
    expect(() => CosineLsh.fromBuffer(Buffer.concat([bytes, Buffer.alloc(4)]))).toThrow(/trailing/);
    expect(() => CosineLsh.fromBuffer(Buffer.from('definitely not an LSH index, sorry'))).toThrow(/magic/);
    const older = Buffer.from(bytes);
    older.writeUInt32LE(2, 4); // format 2: no thresholds, probes per table
    expect(() => CosineLsh.fromBuffer(older)).toThrow(/unsupported CosineLsh format version 2, expected 3/);
    const corrupt = Buffer.from(bytes);
    corrupt.writeInt32LE(999, corrupt.length - 4); // last slot of the last table
    expect(() => CosineLsh.fromBuffer(corrupt)).toThrow(/slot 999 .* out of range/);
  });

  it('supports 32-bit codes', () => {
    const data = small();
    const index = new CosineLsh({ dim: 8, tables: 3, bits: 32, seed: 2, probes: 32 });
    index.build(data, 300);
    const { ids, candidates } = index.query(rowOf(data, 8, 7), 1);
    expect(ids[0]).toBe(7);
    expect(candidates).toBeGreaterThanOrEqual(1);
    expect(CosineLsh.fromBuffer(index.toBuffer()).query(rowOf(data, 8, 7), 1).ids[0]).toBe(7);
  });
});

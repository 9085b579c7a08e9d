import { SeededRandom } from '@tunegraph/vectors';
import { describe, expect, it } from 'vitest';
import { CosineLsh, LshInputError } from './index';
import { CrossPolytopeFamily } from './cross-polytope.family';
import { exactNeighbours, gaussianClusters, meanRecall, rowOf, unitRows } from './synthetic.test-helpers';

describe('CrossPolytopeFamily', () => {
  it('spreads vectors in a narrow cone over the vertices once fitted (their mean subtracted)', () => {
    const dim = 16;
    const count = 4000;
    const data = unitRows(count, dim, 1, 3);
    const used = (family: CrossPolytopeFamily) => {
      const counts = new Map<number, number>();
      for (let r = 0; r < count; r++) {
        const code = family.hash(data, r * dim, 0);
        counts.set(code, (counts.get(code) ?? 0) + 1);
      }
      return Math.max(...counts.values()) / count;
    };
    const family = CrossPolytopeFamily.random(dim, 1, 1, 7);
    const largestBefore = used(family);
    family.fit(data, count);
    // 32 vertices: an even spread puts about 1/32 of the vectors on each.
    expect(largestBefore).toBeGreaterThan(0.5);
    expect(used(family)).toBeLessThan(0.08);
  });

  it('gives the nearest vertex of the rotated vector: a vector and a slightly moved copy usually collide', () => {
    const dim = 24; // padded to 32
    const family = CrossPolytopeFamily.random(dim, 20, 1, 3);
    const data = unitRows(200, dim, 5);
    const rng = new SeededRandom(2);
    let same = 0;
    for (let r = 0; r < 200; r++) {
      const moved = data.slice(r * dim, (r + 1) * dim).map((x) => x + 0.02 * rng.nextGaussian());
      for (let t = 0; t < 20; t++) {
        const code = family.hash(data, r * dim, t);
        expect(code).toBeLessThan(64);
        if (code === family.hash(moved, 0, t)) same++;
      }
    }
    expect(same / 4000).toBeGreaterThan(0.85);
  });

  it('probes every table\u2019s own bucket first, then other keys once each, cheapest first', () => {
    const dim = 2; // 4 vertices: all 4^2 keys of two hashes can be probed
    const tables = 3;
    const family = CrossPolytopeFamily.random(dim, tables, 2, 11);
    const query = unitRows(1, dim, 4);
    const total = tables * 16;
    expect(family.maxProbes).toBe(total - tables);
    const outTables = new Int32Array(total);
    const outCodes = new Uint32Array(total);
    expect(family.probe(query, family.maxProbes, outTables, outCodes)).toBe(total);
    for (let t = 0; t < tables; t++) {
      expect(outTables[t]).toBe(t);
      expect(outCodes[t]).toBe(family.hash(query, 0, t));
    }
    expect(new Set(Array.from(outTables, (t, i) => `${t}:${outCodes[i]}`)).size).toBe(total);
    const shortTables = new Int32Array(tables + 4);
    const shortCodes = new Uint32Array(tables + 4);
    family.probe(query, 4, shortTables, shortCodes);
    expect(Array.from(shortCodes)).toEqual(Array.from(outCodes.subarray(0, tables + 4)));
  });
});

describe('CosineLsh with cross-polytope hashing on 20k clustered 64-d vectors', () => {
  const dim = 64;
  const count = 20_000;
  const data = gaussianClusters({ count, dim, clusters: 50, spread: 0.5, seed: 42 });
  const queries = Array.from({ length: 200 }, (_, i) => i * 97);
  const exact = exactNeighbours(data, dim, queries, 10);
  const index = new CosineLsh({ dim, family: 'cross-polytope', tables: 16, bits: 2, seed: 1, probes: 32 });
  index.build(data, count);
  const search = (lsh: CosineLsh) =>
    queries.map((q) => lsh.query(rowOf(data, dim, q), 10, { exclude: (id) => id === q }));

  it('reaches recall@10 >= 0.97 while scoring under 3% of the vectors (L=16, 2 hashes, 32 probes)', () => {
    const results = search(index);
    const recall = meanRecall(
      results.map((r) => r.ids),
      exact,
    );
    const scanned = results.reduce((sum, r) => sum + r.scannedFraction, 0) / results.length;
    expect(recall).toBeGreaterThanOrEqual(0.97); // measured 0.987 (hyperplanes, 12 bits: 0.970 at 3.3%)
    expect(scanned).toBeLessThanOrEqual(0.03); // measured 0.0224
  });

  it('round-trips through a buffer with identical answers, and keeps its family', () => {
    const copy = CosineLsh.fromBuffer(index.toBuffer());
    expect(copy.family).toBe('cross-polytope');
    expect(copy.probes).toBe(32);
    const [a, b] = [search(index), search(copy)];
    for (let q = 0; q < queries.length; q++) expect(Array.from(b[q].ids)).toEqual(Array.from(a[q].ids));
  });

  it('rejects more hashes than a 32-bit key holds, and an unknown family', () => {
    // 64 dims: 128 vertices, 7 bits a hash, so at most 4 hashes.
    expect(() => new CosineLsh({ dim, family: 'cross-polytope', tables: 2, bits: 5, seed: 1 })).toThrow(
      LshInputError,
    );
    expect(
      () => new CosineLsh({ dim, family: 'minhash' as 'hyperplane', tables: 2, bits: 4, seed: 1 }),
    ).toThrow(/family must be/);
  });
});

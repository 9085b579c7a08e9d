import { dot } from '@tunegraph/vectors';
import { describe, expect, it } from 'vitest';
import { HyperplaneFamily } from './hyperplane.family';
import { unitRows } from './synthetic.test-helpers';

const dim = 16;

describe('HyperplaneFamily', () => {
  it('fits thresholds that split vectors in a narrow cone evenly, where planes through 0 do not', () => {
    // Every component shifted by +3: all vectors within a cone around (1, ..., 1), like ALS factors.
    const count = 2000;
    const data = unitRows(count, dim, 1, 3);
    const setFraction = (family: HyperplaneFamily) => {
      const ones = new Float64Array(family.bits);
      for (let r = 0; r < count; r++) {
        const code = family.hash(data, r * dim, 0);
        for (let j = 0; j < family.bits; j++) ones[j] += (code >>> j) & 1;
      }
      return Array.from(ones, (n) => n / count);
    };
    const family = HyperplaneFamily.random(dim, 1, 8, 7);
    const skewed = setFraction(family);
    family.fit(data, count);
    const even = setFraction(family);
    expect(Math.max(...skewed.map((f) => Math.abs(f - 0.5)))).toBeGreaterThan(0.3);
    for (const f of even) expect(f).toBeCloseTo(0.5, 2);
  });

  it('probes every table\u2019s own bucket first, then each other bucket once, smallest margin first', () => {
    const tables = 3;
    const bits = 4;
    const family = HyperplaneFamily.random(dim, tables, bits, 3);
    const query = unitRows(1, dim, 9);
    const total = tables * 2 ** bits;
    const outTables = new Int32Array(total);
    const outCodes = new Uint32Array(total);
    expect(family.maxProbes).toBe(total - tables);
    const written = family.probe(query, family.maxProbes, outTables, outCodes);
    expect(written).toBe(total);
    for (let t = 0; t < tables; t++) {
      expect(outTables[t]).toBe(t);
      expect(outCodes[t]).toBe(family.hash(query, 0, t));
    }
    const pairs = new Set(Array.from(outTables, (t, i) => `${t}:${outCodes[i]}`));
    expect(pairs.size).toBe(total);
    // The first extra probe flips the single bit, over all tables, whose plane lies closest to the query.
    let closest = { table: -1, bit: -1, margin: Infinity };
    for (let t = 0; t < tables; t++) {
      for (let j = 0; j < bits; j++) {
        const margin = Math.abs(dot(family.planes, (t * bits + j) * dim, query, 0, dim));
        if (margin < closest.margin) closest = { table: t, bit: j, margin };
      }
    }
    expect(outTables[tables]).toBe(closest.table);
    expect(outCodes[tables]).toBe((family.hash(query, 0, closest.table) ^ (1 << closest.bit)) >>> 0);
    // A shorter probe list is a prefix of a longer one, which is why recall never falls with more probes.
    const shortTables = new Int32Array(tables + 5);
    const shortCodes = new Uint32Array(tables + 5);
    expect(family.probe(query, 5, shortTables, shortCodes)).toBe(tables + 5);
    expect(Array.from(shortCodes)).toEqual(Array.from(outCodes.subarray(0, tables + 5)));
    expect(Array.from(shortTables)).toEqual(Array.from(outTables.subarray(0, tables + 5)));
  });
});

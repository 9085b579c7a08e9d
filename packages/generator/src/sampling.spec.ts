import { describe, expect, it } from 'vitest';
import { AliasTable } from './alias.sampler';
import { playCountTable } from './plays.sampler';
import { Sfc32 } from './sfc32.prng';

describe('Sfc32', () => {
  it('repeats a sequence for the same seed and stream, and differs across seeds and streams', () => {
    const take = (rng: Sfc32) => Array.from({ length: 5 }, () => rng.u32());
    expect(take(new Sfc32(42, 1))).toEqual(take(new Sfc32(42, 1)));
    expect(take(new Sfc32(42, 1))).not.toEqual(take(new Sfc32(42, 2)));
    expect(take(new Sfc32(42, 1))).not.toEqual(take(new Sfc32(43, 1)));
    // Seeds above 2^32 must not collapse onto their low 32 bits.
    expect(take(new Sfc32(2 ** 32 + 5, 1))).not.toEqual(take(new Sfc32(5, 1)));
    expect(() => new Sfc32(1.5, 0)).toThrow(/safe integer/);
  });

  it('draws uniform floats and standard normals', () => {
    const rng = new Sfc32(1, 0);
    const n = 200_000;
    let sum = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.float();
      sum += x;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.005);
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      s1 += z;
      s2 += z * z;
    }
    expect(Math.abs(s1 / n)).toBeLessThan(0.01);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.02);
  });

  it('shuffles into a permutation', () => {
    const a = new Sfc32(3, 0).shuffle(Int32Array.from({ length: 1000 }, (_, i) => i));
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(Array.from(a.slice(0, 10))).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('AliasTable', () => {
  it('draws each outcome in proportion to its weight, never a zero-weight one', () => {
    const weights = [5, 0, 1, 3, 1];
    const table = new AliasTable(weights);
    const rng = new Sfc32(9, 0);
    const hits = new Array<number>(weights.length).fill(0);
    const n = 500_000;
    for (let i = 0; i < n; i++) hits[table.sample(rng)]++;
    weights.forEach((w, i) => expect(Math.abs((hits[i] as number) / n - w / 10)).toBeLessThan(0.003));
    expect(hits[1]).toBe(0);
  });

  it('refuses weights it cannot sample from', () => {
    expect(() => new AliasTable([])).toThrow(/at least one weight/);
    expect(() => new AliasTable([1, -1])).toThrow(/weight 1 is not a finite non-negative number/);
    expect(() => new AliasTable([1, Number.NaN])).toThrow(/weight 1/);
    expect(() => new AliasTable([0, 0])).toThrow(/sum to zero/);
  });
});

describe('playCountTable', () => {
  it('solves the zeta exponent for a mean of 2.9 and samples counts with that mean', () => {
    const { table, exponent } = playCountTable(2.9, 5000);
    // Measured: the truncated zeta over 1..5000 has mean 2.9 at exponent ≈ 2.237.
    expect(exponent).toBeCloseTo(2.237, 3);
    const rng = new Sfc32(11, 0);
    const n = 2_000_000;
    let sum = 0;
    let ones = 0;
    for (let i = 0; i < n; i++) {
      const c = table.sample(rng) + 1;
      sum += c;
      if (c === 1) ones++;
    }
    expect(Math.abs(sum / n - 2.9)).toBeLessThan(0.1);
    expect(ones / n).toBeCloseTo(0.681, 2);
  });
});

import { describe, expect, it } from 'vitest';
import { SeededRandom } from './random.generator';

describe('SeededRandom', () => {
  it('is reproducible from the seed and differs across seeds', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const c = new SeededRandom(43);
    const seqA = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(seqA);
  });

  it('produces uniform floats and standard normals with the right moments', () => {
    const rng = new SeededRandom(1);
    const n = 200_000;
    let sum = 0;
    let gSum = 0;
    let gSq = 0;
    let outOfRange = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.nextFloat();
      if (!(u >= 0 && u < 1)) outOfRange++;
      sum += u;
      const g = rng.nextGaussian();
      gSum += g;
      gSq += g * g;
    }
    expect(outOfRange).toBe(0);
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(gSum / n).toBeCloseTo(0, 2);
    expect(gSq / n).toBeCloseTo(1, 1);
  });

  it('shuffles a range into a permutation without touching the rest', () => {
    const values = Int32Array.from({ length: 20 }, (_, i) => i);
    new SeededRandom(3).shuffle(values, 5, 15);
    expect(Array.from(values.subarray(0, 5))).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(values.subarray(15))).toEqual([15, 16, 17, 18, 19]);
    expect(Array.from(values.subarray(5, 15)).sort((a, b) => a - b)).toEqual([
      5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
    ]);
    expect(Array.from(values.subarray(5, 15))).not.toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  });

  it('rejects a non-finite seed', () => {
    expect(() => new SeededRandom(NaN)).toThrow(/seed must be a finite number/);
  });
});

import { describe, expect, it } from 'vitest';
import { SeededRandom } from '@tunegraph/vectors';
import { fitCommonComponent, removeCommonComponent } from './common-component';

describe('common component', () => {
  const dim = 4;
  // Points along (1, 1, 0, 0) around an offset, with small noise elsewhere: the direction is that axis.
  const rng = new SeededRandom(3);
  const rows = Array.from({ length: 200 }, () => {
    const t = 3 * rng.nextGaussian();
    return Float32Array.from([5 + t, 2 + t, 0.1 * rng.nextGaussian(), -1 + 0.1 * rng.nextGaussian()]);
  });

  it('finds the mean and the first principal direction, skipping all-zero rows', () => {
    const common = fitCommonComponent([...rows, new Float32Array(dim)], dim);
    expect(common.mean[0]).toBeCloseTo(5 + (common.mean[1] - 2), 5);
    expect(common.mean[3]).toBeCloseTo(-1, 1);
    const sign = Math.sign(common.direction[0]);
    expect(sign * common.direction[0]).toBeCloseTo(Math.SQRT1_2, 2);
    expect(sign * common.direction[1]).toBeCloseTo(Math.SQRT1_2, 2);
  });

  it('leaves vectors centred and orthogonal to the direction', () => {
    const common = fitCommonComponent(rows, dim);
    const sum = new Float64Array(dim);
    for (const row of rows) {
      const v = row.slice();
      removeCommonComponent(v, common);
      let along = 0;
      for (let i = 0; i < dim; i++) {
        sum[i] += v[i];
        along += v[i] * common.direction[i];
      }
      expect(Math.abs(along)).toBeLessThan(1e-5);
    }
    for (let i = 0; i < dim; i++) expect(Math.abs(sum[i] / rows.length)).toBeLessThan(1e-4);
  });

  it('removes nothing from vectors that do not vary', () => {
    const same = [Float32Array.from([1, 2, 3, 4]), Float32Array.from([1, 2, 3, 4])];
    const common = fitCommonComponent(same, dim);
    expect(Array.from(common.direction)).toEqual([0, 0, 0, 0]);
    const v = Float32Array.from([2, 2, 2, 2]);
    removeCommonComponent(v, common);
    expect(Array.from(v)).toEqual([1, 0, -1, -2]);
  });
});

import { describe, expect, it } from 'vitest';
import { computeRowNorms, cosine, dot, normalizeRows, toFloat32 } from './vector.ops';

describe('dot', () => {
  it('matches a naive loop for every remainder of the 4-way unroll, at offsets', () => {
    const a = Float32Array.from({ length: 40 }, (_, i) => (i % 7) - 3);
    const b = Float32Array.from({ length: 40 }, (_, i) => ((i * 5) % 11) - 4);
    for (let dim = 0; dim <= 13; dim++) {
      let expected = 0;
      for (let i = 0; i < dim; i++) expected += a[3 + i] * b[17 + i];
      expect(dot(a, 3, b, 17, dim)).toBe(expected);
    }
  });
});

describe('cosine', () => {
  it('is the normalised dot product, 0 for a zero vector', () => {
    expect(cosine(Float32Array.of(1, 0), Float32Array.of(1, 1))).toBeCloseTo(Math.SQRT1_2, 7);
    expect(cosine(Float32Array.of(2, 0), Float32Array.of(-3, 0))).toBe(-1);
    expect(cosine(Float32Array.of(0, 0), Float32Array.of(1, 1))).toBe(0);
    expect(() => cosine(new Float32Array(2), new Float32Array(3))).toThrow(/lengths differ: 2 and 3/);
  });
});

describe('normalizeRows', () => {
  it('scales rows to unit length and leaves zero rows at zero', () => {
    const m = Float32Array.from([3, 4, 0, 0, -1, 0]);
    normalizeRows(m, 2);
    expect(Array.from(m)).toEqual([0.6000000238418579, 0.800000011920929, 0, 0, -1, 0]);
  });

  it('rejects a length that is not a multiple of dim', () => {
    expect(() => normalizeRows(new Float32Array(5), 2)).toThrow(/not a multiple of dim 2/);
    expect(() => normalizeRows(new Float32Array(4), 0)).toThrow(/dim must be a positive integer/);
  });
});

describe('computeRowNorms', () => {
  it('returns one Euclidean norm per row', () => {
    expect(Array.from(computeRowNorms(Float32Array.from([3, 4, 0, 0, 1, 0]), 2))).toEqual([5, 0, 1]);
  });
});

describe('toFloat32', () => {
  it('copies numbers', () => {
    const src = [1.5, -2, 0];
    const out = toFloat32(src);
    expect(out).toBeInstanceOf(Float32Array);
    expect(Array.from(out)).toEqual(src);
  });

  it('names the index of a non-finite or float32-overflowing value', () => {
    expect(() => toFloat32([1, NaN])).toThrow(/index 1/);
    expect(() => toFloat32([1, 2, Infinity])).toThrow(/index 2/);
    expect(() => toFloat32([1e39])).toThrow(/index 0/);
  });
});

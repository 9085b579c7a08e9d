import { SeededRandom } from '@tunegraph/vectors';
import { describe, expect, it } from 'vitest';
import { symmetricEigen } from './symmetric.eigen';

function decompose(a: Float64Array, n: number) {
  const v = a.slice();
  const d = new Float64Array(n);
  symmetricEigen(n, v, d, new Float64Array(n));
  return { v, d };
}

/** max |V Λ Vᵀ − A| and max |VᵀV − I|. */
function errors(a: Float64Array, n: number, v: Float64Array, d: Float64Array) {
  let reconstruction = 0;
  let orthonormality = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let o = 0;
      for (let k = 0; k < n; k++) {
        s += v[i * n + k] * d[k] * v[j * n + k];
        o += v[k * n + i] * v[k * n + j];
      }
      reconstruction = Math.max(reconstruction, Math.abs(s - a[i * n + j]));
      orthonormality = Math.max(orthonormality, Math.abs(o - (i === j ? 1 : 0)));
    }
  }
  return { reconstruction, orthonormality };
}

describe('symmetricEigen', () => {
  it.each([1, 2, 7, 64])('decomposes a random symmetric %i × %i matrix, eigenvalues ascending', (n) => {
    const rng = new SeededRandom(n);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rng.nextGaussian();
    }
    const { v, d } = decompose(a, n);
    for (let k = 1; k < n; k++) expect(d[k]).toBeGreaterThanOrEqual(d[k - 1]);
    const e = errors(a, n, v, d);
    expect(e.reconstruction).toBeLessThan(1e-10);
    expect(e.orthonormality).toBeLessThan(1e-12);
  });

  it('handles repeated eigenvalues and a zero matrix', () => {
    const n = 5;
    const identity = new Float64Array(n * n);
    for (let i = 0; i < n; i++) identity[i * n + i] = 3;
    const id = decompose(identity, n);
    expect(Array.from(id.d)).toEqual([3, 3, 3, 3, 3]);
    expect(errors(identity, n, id.v, id.d).orthonormality).toBeLessThan(1e-15);
    const zero = decompose(new Float64Array(n * n), n);
    expect(Array.from(zero.d)).toEqual([0, 0, 0, 0, 0]);
  });

  it('gives a Gram matrix of ALS factors the same decomposition every time', () => {
    const rng = new SeededRandom(9);
    const f = 16;
    const y = Float64Array.from({ length: 200 * f }, () => rng.nextGaussian());
    const g = new Float64Array(f * f);
    for (let r = 0; r < 200; r++) {
      for (let a = 0; a < f; a++) for (let b = 0; b < f; b++) g[a * f + b] += y[r * f + a] * y[r * f + b];
    }
    expect(decompose(g, f)).toEqual(decompose(g, f));
  });
});

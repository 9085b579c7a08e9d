import { choleskyFactor } from '@tunegraph/als';

/**
 * Inverse of a symmetric positive-definite n x n matrix (row-major Float64Array) through its Cholesky factor:
 * A = L Lᵀ, U = L⁻ᵀ (upper), A⁻¹ = U Uᵀ. Every inner loop is a dot product over contiguous rows, about
 * 2n³/3 flops in all. `a` is overwritten (it ends up holding A⁻¹, which is also returned).
 */
export function invertSpd(
  a: Float64Array,
  n: number,
  onProgress?: (phase: string, done: number, total: number) => void,
): Float64Array {
  if (a.length !== n * n) throw new RangeError(`matrix has ${a.length} entries, expected ${n} x ${n}`);
  choleskyFactor(a, n);
  onProgress?.('cholesky', n, n);
  // Row j of U is column j of L⁻¹ (zero before j): forward substitution L w = e_j.
  const u = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    for (let i = j; i < n; i++) {
      const ri = i * n;
      let t = i === j ? 1 : 0;
      for (let k = j; k < i; k++) t -= a[ri + k] * u[rj + k];
      u[rj + i] = t / a[ri + i];
    }
    if (onProgress && j % 256 === 255) onProgress('triangular inverse', j + 1, n);
  }
  // A⁻¹[i][j] = Σ_{k ≥ max(i, j)} U[i][k] U[j][k], symmetric.
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = i; j < n; j++) {
      const rj = j * n;
      let t = 0;
      for (let k = j; k < n; k++) t += u[ri + k] * u[rj + k];
      a[ri + j] = t;
      a[rj + i] = t;
    }
    if (onProgress && i % 256 === 255) onProgress('product', i + 1, n);
  }
  return a;
}

/**
 * Exact solve of one row's normal equations (G + Σ w y yᵀ) x = Σ (1 + w) y by Cholesky, in float64.
 * Used where one row is solved on demand (fold-in, explanations) and a few hundred microseconds of
 * O(f³) work buy the exact answer instead of CG's approximation.
 */
export interface RowSystem {
  /** Lower-triangular Cholesky factor L of A = L Lᵀ, row-major f × f (upper part is garbage). */
  readonly factor: Float64Array;
  /** The solution x = A⁻¹ b. */
  readonly x: Float64Array;
}

export function solveRowExact(
  gram: Float64Array,
  fixed: Float32Array,
  f: number,
  items: Int32Array,
  weights: Float32Array,
): RowSystem {
  const a = gram.slice(0, f * f);
  const b = new Float64Array(f);
  for (let q = 0; q < items.length; q++) {
    const yo = items[q] * f;
    const w = weights[q];
    for (let i = 0; i < f; i++) {
      const wi = w * fixed[yo + i];
      b[i] += (1 + w) * fixed[yo + i];
      const ao = i * f;
      // Lower triangle only: that is all the factorisation reads.
      for (let j = 0; j <= i; j++) a[ao + j] += wi * fixed[yo + j];
    }
  }
  choleskyFactor(a, f);
  choleskySolve(a, f, b);
  return { factor: a, x: b };
}

/** In-place Cholesky of the lower triangle of a symmetric positive-definite matrix. */
export function choleskyFactor(a: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) {
    const jo = j * n;
    let d = a[jo + j];
    for (let k = 0; k < j; k++) d -= a[jo + k] * a[jo + k];
    if (!(d > 0)) {
      throw new Error(
        `normal equations are not positive definite (pivot ${j} = ${d}); use regularization > 0`,
      );
    }
    const ljj = Math.sqrt(d);
    a[jo + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const io = i * n;
      let s = a[io + j];
      for (let k = 0; k < j; k++) s -= a[io + k] * a[jo + k];
      a[io + j] = s / ljj;
    }
  }
}

/** Solves L Lᵀ x = b in place given the factor from choleskyFactor. */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const io = i * n;
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[io + k] * b[k];
    b[i] = s / l[io + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * b[k];
    b[i] = s / l[i * n + i];
  }
}

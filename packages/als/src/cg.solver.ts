/**
 * One half-step of implicit ALS for a block of rows, with the conjugate-gradient solver of
 * Takács, Pilászy & Tikk (RecSys 2011) as in benfred/implicit's least_squares_cg, posed in the eigenbasis of
 * the fixed side's Gram matrix (see basis.rotation.ts): there YᵀY + λI is the diagonal D, so the A·p product of
 * every CG step costs O(f) for the dense part instead of implicit's O(f²) symv.
 *
 * Everything is a flat typed array so the same function can run on SharedArrayBuffer views inside
 * worker threads: rows [start, end) only write their own slice of `target`, and each row's arithmetic is
 * independent of the others, so any partition of the rows gives bit-identical results.
 */
export interface RowSolveProblem {
  readonly factors: number;
  readonly cgSteps: number;
  /** CSR structure of the rows being solved (users when solving users). */
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  /** c - 1 for every stored entry (see confidenceWeight). */
  readonly weights: Float32Array;
  /** Factors of the other side, row-major, held fixed during this half-step. */
  readonly fixed: Float32Array;
  /** fixedᵀ·fixed + λI, which must be diagonal in the basis the factors are expressed in: its diagonal. */
  readonly gramDiagonal: Float64Array;
  /** Factors being solved, updated in place; each row's CG starts from its current value. */
  readonly target: Float32Array;
}

const CONVERGED = 1e-20;

/** Scratch space for solveRows (x, r, p, Ap) and rotateRows (four rows in, four out), reused across calls. */
export function createScratch(factors: number): Float64Array {
  return new Float64Array(8 * factors);
}

export function solveRows(start: number, end: number, problem: RowSolveProblem, scratch: Float64Array): void {
  const { factors: f, cgSteps, indptr, indices, weights, fixed: Y, gramDiagonal: d, target: X } = problem;
  const x = scratch.subarray(0, f);
  const r = scratch.subarray(f, 2 * f);
  const p = scratch.subarray(2 * f, 3 * f);
  const ap = scratch.subarray(3 * f, 4 * f);

  for (let u = start; u < end; u++) {
    const xo = u * f;
    const first = indptr[u];
    const last = indptr[u + 1];
    for (let a = 0; a < f; a++) x[a] = X[xo + a];

    // r = b - A x with A = D + Σ w y yᵀ and b = Σ (1 + w) y, never forming A.
    let rsOld = 0;
    for (let a = 0; a < f; a++) r[a] = -d[a] * x[a];
    for (let q = first; q < last; q++) {
      const yo = indices[q] * f;
      const w = weights[q];
      axpy(1 + w - w * rowDot(Y, yo, x, f), Y, yo, r, f);
    }
    for (let a = 0; a < f; a++) {
      p[a] = r[a];
      rsOld += r[a] * r[a];
    }
    if (rsOld < CONVERGED) continue;

    for (let step = 0; step < cgSteps; step++) {
      let pAp = 0;
      for (let a = 0; a < f; a++) ap[a] = d[a] * p[a];
      for (let q = first; q < last; q++) {
        const yo = indices[q] * f;
        axpy(weights[q] * rowDot(Y, yo, p, f), Y, yo, ap, f);
      }
      for (let a = 0; a < f; a++) pAp += p[a] * ap[a];
      // Only possible when λ = 0 and A is singular along p: stop instead of dividing by zero.
      if (!(pAp > 0)) break;
      const alpha = rsOld / pAp;
      let rsNew = 0;
      for (let a = 0; a < f; a++) {
        x[a] += alpha * p[a];
        r[a] -= alpha * ap[a];
        rsNew += r[a] * r[a];
      }
      if (rsNew < CONVERGED) break;
      const beta = rsNew / rsOld;
      for (let a = 0; a < f; a++) p[a] = r[a] + beta * p[a];
      rsOld = rsNew;
    }
    for (let a = 0; a < f; a++) X[xo + a] = x[a];
  }
}

/** y·v for the float32 row of `y` at `yo`, with four independent sums. */
function rowDot(y: Float32Array, yo: number, v: Float64Array, f: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let a = 0;
  for (; a + 3 < f; a += 4) {
    s0 += y[yo + a] * v[a];
    s1 += y[yo + a + 1] * v[a + 1];
    s2 += y[yo + a + 2] * v[a + 2];
    s3 += y[yo + a + 3] * v[a + 3];
  }
  for (; a < f; a++) s0 += y[yo + a] * v[a];
  return s0 + s1 + s2 + s3;
}

/** out += coef · y for the float32 row of `y` at `yo` (unrolled: about 20% faster in V8). */
function axpy(coef: number, y: Float32Array, yo: number, out: Float64Array, f: number): void {
  let a = 0;
  for (; a + 3 < f; a += 4) {
    out[a] += coef * y[yo + a];
    out[a + 1] += coef * y[yo + a + 1];
    out[a + 2] += coef * y[yo + a + 2];
    out[a + 3] += coef * y[yo + a + 3];
  }
  for (; a < f; a++) out[a] += coef * y[yo + a];
}

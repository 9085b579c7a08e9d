import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/**
 * The change of basis that makes the CG solves cheap. With G = YᵀY + λI = Q Λ Qᵀ, expressing both sides'
 * factors in the eigenbasis (x' = Qᵀx, y' = Qᵀy) keeps every score x'ᵀy' = xᵀy and turns G into the
 * diagonal Λ, so each CG step's dense product G·p costs f instead of f² (conjugate gradient commutes with an
 * orthogonal change of variables, so the iterates are the same up to rounding). The rotation itself costs
 * one f² product per row of both sides per half-step, against four f² products per solved row without it.
 */
export interface Eigenbasis {
  /** Eigenvalues of the symmetric matrix, in the order of the basis vectors. */
  readonly values: Float64Array;
  /** Qᵀ row-major: row j is the j-th unit eigenvector. */
  readonly vectorsT: Float64Array;
}

/** Eigen-decomposition of a symmetric f × f row-major matrix (ml-matrix's Householder + QL, deterministic). */
export function symmetricEigenbasis(m: Float64Array, f: number, out: Eigenbasis): void {
  const rows: number[][] = [];
  for (let a = 0; a < f; a++) rows.push(Array.from(m.subarray(a * f, (a + 1) * f)));
  const eig = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const vectors = eig.eigenvectorMatrix;
  eig.realEigenvalues.forEach((v, j) => (out.values[j] = v));
  for (let j = 0; j < f; j++) {
    for (let a = 0; a < f; a++) out.vectorsT[j * f + a] = vectors.get(a, j);
  }
}

/** Scratch space for rotateRows (four rows in, four out), reused across calls. */
export function createRotationScratch(factors: number): Float64Array {
  return new Float64Array(8 * factors);
}

/**
 * Replaces rows [start, end) of `m` (rows × f, float32) by their coordinates in the basis: row ← Qᵀ·row.
 * Four rows per pass, so each basis entry is loaded once per four products; each output is one in-order sum,
 * so a row's result does not depend on which rows share its pass.
 */
export function rotateRows(
  m: Float32Array,
  f: number,
  start: number,
  end: number,
  vectorsT: Float64Array,
  scratch: Float64Array,
): void {
  const v = scratch.subarray(0, 4 * f);
  const out = scratch.subarray(4 * f, 8 * f);
  for (let r = start; r < end; r += 4) {
    const n = Math.min(4, end - r);
    v.fill(0);
    for (let k = 0; k < n * f; k++) v[k] = m[r * f + k];
    gemv4(vectorsT, v, out, f);
    for (let k = 0; k < n * f; k++) m[r * f + k] = out[k];
  }
}

/**
 * out_l = M v_l for the four vectors stored one after another in `v` (and `out`). Two rows of M per pass:
 * eight accumulators, the most V8 keeps in registers on x86-64.
 */
function gemv4(m: Float64Array, v: Float64Array, out: Float64Array, f: number): void {
  const f2 = 2 * f;
  const f3 = 3 * f;
  let a = 0;
  for (; a + 1 < f; a += 2) {
    const m0 = a * f;
    const m1 = m0 + f;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let t0 = 0;
    let t1 = 0;
    let t2 = 0;
    let t3 = 0;
    for (let b = 0; b < f; b++) {
      const g0 = m[m0 + b];
      const g1 = m[m1 + b];
      const v0 = v[b];
      const v1 = v[f + b];
      const v2 = v[f2 + b];
      const v3 = v[f3 + b];
      s0 += g0 * v0;
      s1 += g0 * v1;
      s2 += g0 * v2;
      s3 += g0 * v3;
      t0 += g1 * v0;
      t1 += g1 * v1;
      t2 += g1 * v2;
      t3 += g1 * v3;
    }
    out[a] = s0;
    out[f + a] = s1;
    out[f2 + a] = s2;
    out[f3 + a] = s3;
    out[a + 1] = t0;
    out[f + a + 1] = t1;
    out[f2 + a + 1] = t2;
    out[f3 + a + 1] = t3;
  }
  if (a < f) {
    const m0 = a * f;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let b = 0; b < f; b++) {
      const g0 = m[m0 + b];
      s0 += g0 * v[b];
      s1 += g0 * v[f + b];
      s2 += g0 * v[f2 + b];
      s3 += g0 * v[f3 + b];
    }
    out[a] = s0;
    out[f + a] = s1;
    out[f2 + a] = s2;
    out[f3 + a] = s3;
  }
}

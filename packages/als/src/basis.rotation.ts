import type { Kernels } from '@tunegraph/simd';
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

/** Q row-major in float32 (q[a·f + j] = component a of eigenvector j), the layout the rotateRows kernel reads. */
export function basisForKernel(vectorsT: Float64Array, f: number, q: Float32Array): void {
  for (let j = 0; j < f; j++) {
    for (let a = 0; a < f; a++) q[a * f + j] = vectorsT[j * f + a];
  }
}

/**
 * Replaces rows [start, end) of `m` (rows × f, float32) by their coordinates in the basis: row ← Qᵀ·row, by the
 * rotateRows SIMD kernel (`m`, `q` from basisForKernel and `tmp`, f floats, in the kernels' memory). Each row
 * is one in-order sum, so a row's result does not depend on how rows are shared out.
 */
export function rotateRows(
  kernels: Kernels,
  m: Float32Array,
  f: number,
  start: number,
  end: number,
  q: Float32Array,
  tmp: Float32Array,
): void {
  kernels.rotateRows(m.byteOffset, start, end, f, q.byteOffset, tmp.byteOffset);
}

import type { Kernels } from '@tunegraph/simd';
import { symmetricEigen } from './symmetric.eigen';

/**
 * The change of basis that makes the CG solves cheap. With G = YᵀY + λI = Q Λ Qᵀ, expressing both sides'
 * factors in the eigenbasis (x' = Qᵀx, y' = Qᵀy) keeps every score x'ᵀy' = xᵀy and turns G into the
 * diagonal Λ, so each CG step's dense product G·p costs f instead of f² (conjugate gradient commutes with an
 * orthogonal change of variables, so the iterates are the same up to rounding). The rotation itself costs
 * one f² product per row of both sides per half-step, against four f² products per solved row without it.
 */
export interface Eigenbasis {
  /** Eigenvalues of the symmetric matrix, ascending, in the order of the basis vectors. */
  readonly values: Float64Array;
  /** Q row-major in float32: column j (q[a·f + j]) is the j-th unit eigenvector; the rotateRows kernel's layout. */
  readonly vectors: Float32Array;
}

/** Eigen-decomposition of a symmetric f × f row-major matrix (see symmetric.eigen.ts; deterministic). */
export function symmetricEigenbasis(m: Float64Array, f: number, out: Eigenbasis): void {
  const v = m.slice(0, f * f);
  symmetricEigen(f, v, out.values, new Float64Array(f));
  out.vectors.set(v);
}

/**
 * Replaces rows [start, end) of `m` (rows × f, float32) by their coordinates in the basis: row ← Qᵀ·row, by the
 * rotateRows SIMD kernel (`m`, `q` an Eigenbasis's vectors and `tmp`, f floats, in the kernels' memory). Each row
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

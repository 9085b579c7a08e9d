import type { Kernels } from '@tunegraph/simd';

/**
 * One half-step of implicit ALS for a block of rows, with the conjugate-gradient solver of
 * Takács, Pilászy & Tikk (RecSys 2011) as in benfred/implicit's least_squares_cg, posed in the eigenbasis of
 * the fixed side's Gram matrix (see basis.rotation.ts): there YᵀY + λI is the diagonal D, so the A·p product of
 * every CG step costs O(f) for the dense part instead of implicit's O(f²) symv. Per row, with A = D + Σ w y yᵀ
 * and b = Σ (1 + w) y (never forming A): r = b − A x, then `cgSteps` steps of CG from the row's current value.
 *
 * The arithmetic is the `solveRowsCg` kernel of @tunegraph/simd (float32 SIMD lanes, as implicit computes in
 * float32); every array of the problem must live in the workspace's WebAssembly memory (see WasmHeap). Rows
 * [start, end) only write their own slice of `target`, and each row's arithmetic is independent of the others,
 * so any partition of the rows, on any number of threads sharing that memory, gives bit-identical results.
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

/** Rows of `factors` floats the kernel needs as scratch: x, r, p, A·p and the diagonal in float32. */
export const CG_SCRATCH_ROWS = 5;

/** `scratch` (CG_SCRATCH_ROWS × factors floats) is the calling thread's own, in the kernels' memory. */
export function solveRows(
  start: number,
  end: number,
  p: RowSolveProblem,
  kernels: Kernels,
  scratch: Float32Array,
): void {
  kernels.solveRowsCg(
    start,
    end,
    p.factors,
    p.cgSteps,
    p.indptr.byteOffset,
    p.indices.byteOffset,
    p.weights.byteOffset,
    p.fixed.byteOffset,
    p.gramDiagonal.byteOffset,
    p.target.byteOffset,
    scratch.byteOffset,
  );
}

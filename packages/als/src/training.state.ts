import { SeededRandom } from '@tunegraph/vectors';
import { confidenceWeights, type ResolvedAlsOptions } from './als.options';
import { rotateRows, symmetricEigenbasis } from './basis.rotation';
import { createScratch, solveRows, type RowSolveProblem } from './cg.solver';
import { transposeCsr, type CsrMatrix } from './csr.matrix';
import { computeGramBlock, finishGram, gramBlockCount } from './gram.matrix';

const INIT_STD = 0.01;
/** Rows claimed per grab; small enough to balance load, large enough that the atomic add is noise. */
const ROW_CHUNK = 128;

/**
 * One ALS iteration is these phases in order; each one reads what the previous one wrote. Each Gram phase
 * ends (finishPhase) with the eigenbasis of that Gram matrix, and 'rotate' moves both sides into it.
 */
export const PHASES = ['itemGram', 'rotate', 'users', 'userGram', 'rotate', 'items'] as const;
export type Phase = (typeof PHASES)[number];

/**
 * Everything a training run reads and writes, as flat typed arrays. On SharedArrayBuffers the same object is
 * handed to worker threads (via workerData) and every thread works on it in place.
 */
export interface TrainingState {
  readonly factors: number;
  readonly cgSteps: number;
  readonly regularization: number;
  readonly numUsers: number;
  readonly numItems: number;
  readonly userFactors: Float32Array;
  readonly itemFactors: Float32Array;
  readonly userIndptr: Int32Array;
  readonly userIndices: Int32Array;
  readonly userWeights: Float32Array;
  readonly itemIndptr: Int32Array;
  readonly itemIndices: Int32Array;
  readonly itemWeights: Float32Array;
  /** YᵀY + λI of the side currently held fixed. */
  readonly gram: Float64Array;
  /** Eigenvalues of `gram` and its eigenvectors as rows (Qᵀ): the basis the next solve works in. */
  readonly basisValues: Float64Array;
  readonly basisVectorsT: Float64Array;
  /** One f × f partial Gram per GRAM_BLOCK_ROWS block of the larger side. */
  readonly gramPartials: Float64Array;
  /** Next unclaimed row or block of the running phase; reset before each phase. */
  readonly cursor: Int32Array;
}

export function createTrainingState(
  userItems: CsrMatrix,
  o: ResolvedAlsOptions,
  shared: boolean,
): TrainingState {
  const f = o.factors;
  const numUsers = userItems.rows;
  const numItems = userItems.cols;
  const maxBlocks = Math.max(gramBlockCount(numUsers), gramBlockCount(numItems));
  const alloc = <T extends Float32Array | Float64Array | Int32Array>(
    Ctor: { new (b: ArrayBufferLike): T; BYTES_PER_ELEMENT: number },
    length: number,
  ): T =>
    new Ctor(
      shared
        ? new SharedArrayBuffer(length * Ctor.BYTES_PER_ELEMENT)
        : new ArrayBuffer(length * Ctor.BYTES_PER_ELEMENT),
    );
  // Unshared, the caller's structure arrays are only read, so they are used as they are.
  const structure = (values: Int32Array): Int32Array => {
    if (!shared) return values;
    const out = alloc(Int32Array, values.length);
    out.set(values);
    return out;
  };
  // Weights are computed straight into their final buffer, and the item side is the transpose of the user
  // weights: no intermediate copy of the 2 × nnz arrays, which matters at MSD scale (48 M plays).
  const userWeights = confidenceWeights(userItems.data, o.confidence, alloc(Float32Array, userItems.nnz));
  const itemUsers = transposeCsr(
    {
      rows: numUsers,
      cols: numItems,
      indptr: userItems.indptr,
      indices: userItems.indices,
      data: userWeights,
    },
    (length) => alloc(Int32Array, length),
    (length) => alloc(Float32Array, length),
  );

  // Users first, then items, from one generator: the initialisation depends only on the seed and the shape.
  const rng = new SeededRandom(o.seed);
  const userFactors = alloc(Float32Array, numUsers * f);
  const itemFactors = alloc(Float32Array, numItems * f);
  for (let i = 0; i < userFactors.length; i++) userFactors[i] = INIT_STD * rng.nextGaussian();
  for (let i = 0; i < itemFactors.length; i++) itemFactors[i] = INIT_STD * rng.nextGaussian();

  return {
    factors: f,
    cgSteps: o.cgSteps,
    regularization: o.regularization,
    numUsers,
    numItems,
    userFactors,
    itemFactors,
    userIndptr: structure(userItems.indptr),
    userIndices: structure(userItems.indices),
    userWeights,
    itemIndptr: itemUsers.indptr,
    itemIndices: itemUsers.indices,
    itemWeights: itemUsers.data,
    gram: alloc(Float64Array, f * f),
    basisValues: alloc(Float64Array, f),
    basisVectorsT: alloc(Float64Array, f * f),
    gramPartials: alloc(Float64Array, maxBlocks * f * f),
    cursor: alloc(Int32Array, 1),
  };
}

/** The solve of one side against the other, viewed as a RowSolveProblem. */
export function sideProblem(s: TrainingState, side: 'users' | 'items'): RowSolveProblem {
  const users = side === 'users';
  return {
    factors: s.factors,
    cgSteps: s.cgSteps,
    indptr: users ? s.userIndptr : s.itemIndptr,
    indices: users ? s.userIndices : s.itemIndices,
    weights: users ? s.userWeights : s.itemWeights,
    fixed: users ? s.itemFactors : s.userFactors,
    gramDiagonal: s.basisValues,
    target: users ? s.userFactors : s.itemFactors,
  };
}

/** Rewinds the shared cursor; call on one thread before any thread starts the phase. */
export function beginPhase(s: TrainingState): void {
  Atomics.store(s.cursor, 0, 0);
}

/**
 * A thread's share of a phase: claims chunks (rows, or Gram blocks) from the shared cursor until none are left.
 * Any number of threads may call this concurrently; each chunk's output depends only on the phase's inputs,
 * so the result is the same however the chunks are shared out.
 */
export function workOnPhase(
  s: TrainingState,
  phase: Phase,
  scratch: Float64Array = createScratch(s.factors),
): void {
  if (phase === 'rotate') {
    // Users and items as one range of rows, so the chunks balance across threads.
    const total = s.numUsers + s.numItems;
    for (
      let start = Atomics.add(s.cursor, 0, ROW_CHUNK);
      start < total;
      start = Atomics.add(s.cursor, 0, ROW_CHUNK)
    ) {
      const end = Math.min(total, start + ROW_CHUNK);
      const users = Math.min(end, s.numUsers);
      if (start < users) rotateRows(s.userFactors, s.factors, start, users, s.basisVectorsT, scratch);
      const from = Math.max(start, s.numUsers) - s.numUsers;
      if (end > s.numUsers) {
        rotateRows(s.itemFactors, s.factors, from, end - s.numUsers, s.basisVectorsT, scratch);
      }
    }
    return;
  }
  if (phase === 'itemGram' || phase === 'userGram') {
    const m = phase === 'itemGram' ? s.itemFactors : s.userFactors;
    const rows = phase === 'itemGram' ? s.numItems : s.numUsers;
    const blocks = gramBlockCount(rows);
    for (let k = Atomics.add(s.cursor, 0, 1); k < blocks; k = Atomics.add(s.cursor, 0, 1)) {
      computeGramBlock(m, rows, s.factors, k, s.gramPartials);
    }
    return;
  }
  const problem = sideProblem(s, phase);
  const rows = phase === 'users' ? s.numUsers : s.numItems;
  for (
    let start = Atomics.add(s.cursor, 0, ROW_CHUNK);
    start < rows;
    start = Atomics.add(s.cursor, 0, ROW_CHUNK)
  ) {
    solveRows(start, Math.min(rows, start + ROW_CHUNK), problem, scratch);
  }
}

/** Runs on one thread after every thread's workOnPhase has returned. */
export function finishPhase(s: TrainingState, phase: Phase): void {
  if (phase === 'itemGram' || phase === 'userGram') {
    const rows = phase === 'itemGram' ? s.numItems : s.numUsers;
    finishGram(s.gramPartials, gramBlockCount(rows), s.factors, s.regularization, s.gram);
    symmetricEigenbasis(s.gram, s.factors, { values: s.basisValues, vectorsT: s.basisVectorsT });
  }
}

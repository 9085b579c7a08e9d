import { SeededRandom } from '@tunegraph/vectors';
import { confidenceWeights, type ResolvedAlsOptions } from './als.options';
import { createCgScratch, solveRows, type RowSolveProblem } from './cg.solver';
import type { CsrMatrix } from './csr.matrix';
import { computeGramBlock, finishGram, gramBlockCount } from './gram.matrix';

const INIT_STD = 0.01;
/** Rows claimed per grab; small enough to balance load, large enough that the atomic add is noise. */
const ROW_CHUNK = 128;

/** One ALS iteration is these four phases in order; each one reads what the previous one wrote. */
export const PHASES = ['itemGram', 'users', 'userGram', 'items'] as const;
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
  const itemUsers = userItems.transpose();
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
  const copy = <T extends Float32Array | Int32Array>(
    Ctor: { new (b: ArrayBufferLike): T; BYTES_PER_ELEMENT: number },
    values: T,
  ): T => {
    const out = alloc(Ctor, values.length);
    out.set(values);
    return out;
  };

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
    userIndptr: copy(Int32Array, userItems.indptr),
    userIndices: copy(Int32Array, userItems.indices),
    userWeights: copy(Float32Array, confidenceWeights(userItems.data, o.confidence)),
    itemIndptr: copy(Int32Array, itemUsers.indptr),
    itemIndices: copy(Int32Array, itemUsers.indices),
    itemWeights: copy(Float32Array, confidenceWeights(itemUsers.data, o.confidence)),
    gram: alloc(Float64Array, f * f),
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
    gram: s.gram,
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
  scratch: Float64Array = createCgScratch(s.factors),
): void {
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
  }
}

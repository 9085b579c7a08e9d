import { instantiateKernels, WasmHeap, type Kernels, type WasmMemory } from '@tunegraph/simd';
import { SeededRandom } from '@tunegraph/vectors';
import { confidenceWeights, type ResolvedAlsOptions } from './als.options';
import { rotateRows, symmetricEigenbasis } from './basis.rotation';
import { CG_SCRATCH_ROWS, solveRows, type RowSolveProblem } from './cg.solver';
import { transposeCsr, type CsrMatrix } from './csr.matrix';
import { computeGramBlock, finishGram, gramBlockCount } from './gram.matrix';

/** Initial factors are uniform in [0, INIT_SCALE), as implicit starts them: measured 2% better NDCG@10 than a
 * zero-mean Gaussian on the als bench's generated 1 M plays (0.2135 against 0.2089; implicit 0.2153). */
const INIT_SCALE = 0.01;
/** Rows claimed per grab; small enough to balance load, large enough that the atomic add is noise. */
const ROW_CHUNK = 128;
/** Most threads one training run can use: each has its own scratch slot. */
export const MAX_THREADS = 64;

/** Floats of one thread's scratch slot: the CG rows, or one f × f Gram accumulator, or one rotated row. */
function slotFloats(f: number): number {
  return (CG_SCRATCH_ROWS + f) * f;
}

/**
 * One ALS iteration is these phases in order; each one reads what the previous one wrote. Each Gram phase
 * ends (finishPhase) with the eigenbasis of that Gram matrix, and 'rotate' moves both sides into it.
 */
export const PHASES = ['itemGram', 'rotate', 'users', 'userGram', 'rotate', 'items'] as const;
export type Phase = (typeof PHASES)[number];

/**
 * Everything a training run reads and writes, as flat typed arrays in one shared WebAssembly memory (where the
 * CG kernel works on them): the same object is handed to worker threads (via workerData) and every thread
 * works on it in place.
 */
export interface TrainingState {
  readonly memory: WasmMemory;
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
  /** Eigenvalues of `gram` and its eigenvectors (an Eigenbasis): the basis the next solve works in. */
  readonly basisValues: Float64Array;
  readonly basisVectors: Float32Array;
  /** One f × f partial Gram per GRAM_BLOCK_ROWS block of the larger side. */
  readonly gramPartials: Float64Array;
  /** Next unclaimed row or block of the running phase; reset before each phase. */
  readonly cursor: Int32Array;
  /** slotFloats(factors) per thread slot, MAX_THREADS of them. */
  readonly threadScratch: Float32Array;
}

export function createTrainingState(userItems: CsrMatrix, o: ResolvedAlsOptions): TrainingState {
  const f = o.factors;
  const numUsers = userItems.rows;
  const numItems = userItems.cols;
  const nnz = userItems.nnz;
  const maxBlocks = Math.max(gramBlockCount(numUsers), gramBlockCount(numItems));
  const floats =
    2 * (numUsers + numItems + 2 + 2 * nnz) + (numUsers + numItems) * f + MAX_THREADS * CG_SCRATCH_ROWS * f;
  const doubles = (2 + maxBlocks) * f * f + f;
  const heap = new WasmHeap(4 * floats + 8 * doubles + 64 * 1024);
  const structure = (values: Int32Array): Int32Array => {
    const out = heap.int32(values.length);
    out.set(values);
    return out;
  };
  // Weights are computed straight into their final buffer, and the item side is the transpose of the user
  // weights: no intermediate copy of the 2 × nnz arrays, which matters at MSD scale (48 M plays).
  const userWeights = confidenceWeights(userItems.data, o.confidence, heap.float32(nnz));
  const itemUsers = transposeCsr(
    {
      rows: numUsers,
      cols: numItems,
      indptr: userItems.indptr,
      indices: userItems.indices,
      data: userWeights,
    },
    (length) => heap.int32(length),
    (length) => heap.float32(length),
  );

  // Users first, then items, from one generator: the initialisation depends only on the seed and the shape.
  const rng = new SeededRandom(o.seed);
  const userFactors = heap.float32(numUsers * f);
  const itemFactors = heap.float32(numItems * f);
  for (let i = 0; i < userFactors.length; i++) userFactors[i] = INIT_SCALE * rng.nextFloat();
  for (let i = 0; i < itemFactors.length; i++) itemFactors[i] = INIT_SCALE * rng.nextFloat();

  return {
    memory: heap.memory,
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
    gram: heap.float64(f * f),
    basisValues: heap.float64(f),
    basisVectors: heap.float32(f * f),
    gramPartials: heap.float64(maxBlocks * f * f),
    cursor: heap.int32(1),
    threadScratch: heap.float32(MAX_THREADS * slotFloats(f)),
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

/** What one thread needs to work on phases: its instance of the kernels and its own scratch slot. */
export interface ThreadWork {
  readonly kernels: Kernels;
  readonly scratch: Float32Array;
}

/** The work context of thread `slot` (0 for the calling thread; each thread a different slot < MAX_THREADS). */
export function threadWork(s: TrainingState, slot: number): ThreadWork {
  if (!Number.isInteger(slot) || slot < 0 || slot >= MAX_THREADS)
    throw new RangeError(`bad thread slot ${slot}`);
  const size = slotFloats(s.factors);
  return {
    kernels: instantiateKernels(s.memory),
    scratch: s.threadScratch.subarray(slot * size, (slot + 1) * size),
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
export function workOnPhase(s: TrainingState, phase: Phase, work: ThreadWork): void {
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
      if (start < users)
        rotateRows(work.kernels, s.userFactors, s.factors, start, users, s.basisVectors, work.scratch);
      const from = Math.max(start, s.numUsers) - s.numUsers;
      if (end > s.numUsers) {
        rotateRows(
          work.kernels,
          s.itemFactors,
          s.factors,
          from,
          end - s.numUsers,
          s.basisVectors,
          work.scratch,
        );
      }
    }
    return;
  }
  if (phase === 'itemGram' || phase === 'userGram') {
    const m = phase === 'itemGram' ? s.itemFactors : s.userFactors;
    const rows = phase === 'itemGram' ? s.numItems : s.numUsers;
    const blocks = gramBlockCount(rows);
    for (let k = Atomics.add(s.cursor, 0, 1); k < blocks; k = Atomics.add(s.cursor, 0, 1)) {
      computeGramBlock(work.kernels, m, rows, s.factors, k, s.gramPartials, work.scratch);
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
    solveRows(start, Math.min(rows, start + ROW_CHUNK), problem, work.kernels, work.scratch);
  }
}

/** Runs on one thread after every thread's workOnPhase has returned. */
export function finishPhase(s: TrainingState, phase: Phase): void {
  if (phase === 'itemGram' || phase === 'userGram') {
    const rows = phase === 'itemGram' ? s.numItems : s.numUsers;
    finishGram(s.gramPartials, gramBlockCount(rows), s.factors, s.regularization, s.gram);
    symmetricEigenbasis(s.gram, s.factors, { values: s.basisValues, vectors: s.basisVectors });
  }
}

import { instantiateKernels, WasmHeap, type Kernels } from '@tunegraph/simd';
import { SeededRandom } from '@tunegraph/vectors';
import { describe, expect, it } from 'vitest';
import { rotateRows, symmetricEigenbasis, type Eigenbasis } from './basis.rotation';
import { CG_SCRATCH_ROWS, solveRows, type RowSolveProblem } from './cg.solver';
import { CsrMatrix } from './csr.matrix';
import { solveRowExact } from './exact.solver';
import { computeGram } from './gram.matrix';

const F = 15; // odd, so the kernels' remainder paths run too
const ITEMS = 60;
const LAMBDA = 0.5;

interface Workspace {
  heap: WasmHeap;
  kernels: Kernels;
  scratch: Float32Array;
}

/** A WebAssembly memory with the kernels on it and a scratch slot, as one training thread has. */
function workspace(): Workspace {
  const heap = new WasmHeap();
  return { heap, kernels: instantiateKernels(heap.memory), scratch: heap.float32((CG_SCRATCH_ROWS + F) * F) };
}

function inHeap<T extends Int32Array | Float32Array | Float64Array>(values: T, make: (n: number) => T): T {
  const out = make(values.length);
  out.set(values);
  return out;
}

/** Rotates rows [start, end) of m (in w's memory) into `basis`. */
function rotate(w: Workspace, m: Float32Array, start: number, end: number, basis: Eigenbasis): void {
  const q = w.heap.float32(F * F);
  q.set(basis.vectors);
  rotateRows(w.kernels, m, F, start, end, q, w.scratch);
}

/** A problem and a workspace for it, every array in one WebAssembly memory as the kernel needs. */
function randomProblem(rows: number, seed: number, cgSteps: number): RowSolveProblem & { w: Workspace } {
  const rng = new SeededRandom(seed);
  const w = workspace();
  const fixed = inHeap(
    Float32Array.from({ length: ITEMS * F }, () => 0.3 * rng.nextGaussian()),
    (n) => w.heap.float32(n),
  );
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let u = 0; u < rows; u++) {
    for (let k = 0; k < 3 + rng.nextInt(10); k++) {
      r.push(u);
      c.push(rng.nextInt(ITEMS));
      v.push(1 + 20 * rng.nextFloat());
    }
  }
  const m = CsrMatrix.fromCoo(rows, ITEMS, Int32Array.from(r), Int32Array.from(c), Float32Array.from(v));
  // The solver works in the eigenbasis of the fixed side's Gram matrix, as training puts it there.
  const basis = eigenbasisOf(fixed, ITEMS, LAMBDA);
  rotate(w, fixed, 0, ITEMS, basis);
  const heap = w.heap;
  return {
    factors: F,
    cgSteps,
    indptr: inHeap(m.indptr, (n) => heap.int32(n)),
    indices: inHeap(m.indices, (n) => heap.int32(n)),
    weights: inHeap(m.data, (n) => heap.float32(n)),
    fixed,
    gramDiagonal: inHeap(basis.values, (n) => heap.float64(n)),
    target: heap.float32(rows * F),
    w,
  };
}

function eigenbasisOf(m: Float32Array, rows: number, lambda: number) {
  const gram = new Float64Array(F * F);
  computeGram(m, rows, F, lambda, gram);
  const basis = { values: new Float64Array(F), vectors: new Float32Array(F * F) };
  symmetricEigenbasis(gram, F, basis);
  return basis;
}

/** The exact solution with the full Gram matrix of the (rotated) fixed factors, by Cholesky. */
function exactRow(problem: RowSolveProblem, u: number): Float64Array {
  const { indptr, indices, weights } = problem;
  const start = indptr[u];
  const end = indptr[u + 1];
  const gram = new Float64Array(F * F);
  computeGram(problem.fixed, ITEMS, F, LAMBDA, gram);
  return solveRowExact(gram, problem.fixed, F, indices.subarray(start, end), weights.subarray(start, end)).x;
}

function relativeError(actual: Float32Array, expected: Float64Array): number {
  let diff = 0;
  let norm = 0;
  expected.forEach((e, a) => {
    diff += (actual[a] - e) ** 2;
    norm += e * e;
  });
  return Math.sqrt(diff / norm);
}

describe('solveRows (conjugate gradient)', () => {
  it('reaches the exact Cholesky solution when given as many steps as factors', () => {
    const problem = randomProblem(5, 1, F);
    solveRows(0, 5, problem, problem.w.kernels, problem.w.scratch);
    // Float32 arithmetic, as implicit's: measured 1.6e-5 at worst.
    for (let u = 0; u < 5; u++) {
      expect(relativeError(problem.target.subarray(u * F, (u + 1) * F), exactRow(problem, u))).toBeLessThan(
        1e-4,
      );
    }
  });

  it('converges to the exact solution over repeated warm-started 3-step solves, as across ALS iterations', () => {
    const problem = randomProblem(5, 2, 3);
    const errors: number[] = [];
    for (let pass = 0; pass < 8; pass++) {
      solveRows(0, 5, problem, problem.w.kernels, problem.w.scratch);
      errors.push(relativeError(problem.target.subarray(0, F), exactRow(problem, 0)));
    }
    // Measured: 0.24 after one cold 3-step pass, shrinking 2.5-7x per pass to 1.0e-4 after eight.
    expect(errors[0]).toBeGreaterThan(0.1);
    for (let pass = 1; pass < 8; pass++) expect(errors[pass]).toBeLessThan(errors[pass - 1]);
    expect(errors[7]).toBeLessThan(1e-3);
  });

  it('gives bit-identical rows however the row range is split', () => {
    const whole = randomProblem(30, 3, 3);
    const split = randomProblem(30, 3, 3);
    solveRows(0, 30, whole, whole.w.kernels, whole.w.scratch);
    solveRows(0, 13, split, split.w.kernels, split.w.scratch);
    solveRows(13, 30, split, split.w.kernels, split.w.scratch);
    expect(split.target).toEqual(whole.target);
  });
});

describe('eigenbasis rotation', () => {
  it('makes the Gram matrix diagonal and keeps every dot product between the two sides', () => {
    const rng = new SeededRandom(6);
    const w = workspace();
    const items = inHeap(
      Float32Array.from({ length: ITEMS * F }, () => rng.nextGaussian()),
      (n) => w.heap.float32(n),
    );
    const users = inHeap(
      Float32Array.from({ length: 7 * F }, () => rng.nextGaussian()),
      (n) => w.heap.float32(n),
    );
    const dots = (a: Float32Array, b: Float32Array): number[] => {
      const out: number[] = [];
      for (let u = 0; u < 7; u++) {
        for (let i = 0; i < ITEMS; i++) {
          let s = 0;
          for (let k = 0; k < F; k++) s += a[u * F + k] * b[i * F + k];
          out.push(s);
        }
      }
      return out;
    };
    const before = dots(users, items);
    const basis = eigenbasisOf(items, ITEMS, LAMBDA);
    rotate(w, items, 0, ITEMS, basis);
    rotate(w, users, 0, 5, basis); // a split range
    rotate(w, users, 5, 7, basis);
    dots(users, items).forEach((d, k) => expect(d).toBeCloseTo(before[k], 4));
    const gram = new Float64Array(F * F);
    computeGram(items, ITEMS, F, LAMBDA, gram);
    for (let a = 0; a < F; a++) {
      for (let b = 0; b < F; b++) {
        expect(gram[a * F + b]).toBeCloseTo(a === b ? basis.values[a] : 0, 3);
      }
    }
  });
});

describe('computeGram', () => {
  // 3 runs the kernel's one-row path only; 12 (a multiple of four) its four-rows-at-a-time path and the tail.
  it.each([3, 12])('equals mᵀm + λI at %i factors', (f) => {
    const rng = new SeededRandom(4);
    const rows = 9003; // more than two Gram blocks, and a tail that is not a multiple of four rows
    const m = Float32Array.from({ length: rows * f }, () => rng.nextGaussian());
    const gram = new Float64Array(f * f);
    computeGram(m, rows, f, 0.25, gram);
    const exact = new Float64Array(f * f);
    for (let a = 0; a < f; a++) {
      for (let b = 0; b < f; b++) {
        let s = a === b ? 0.25 : 0;
        for (let r = 0; r < rows; r++) s += m[r * f + a] * m[r * f + b];
        exact[a * f + b] = s;
      }
    }
    for (let a = 0; a < f; a++) {
      for (let b = 0; b < f; b++) {
        // Float32 runs of 256 rows summed in float64, measured against the entry's scale √(G_aa·G_bb) (an
        // off-diagonal sum of signed products may itself be near 0): 3.0e-8 at worst at 3 factors, 7.8e-8 at 12.
        const scale = Math.sqrt(exact[a * f + a] * exact[b * f + b]);
        expect(Math.abs(gram[a * f + b] - exact[a * f + b])).toBeLessThan(1e-6 * scale);
      }
    }
  });
});

import { SeededRandom } from '@tunegraph/vectors';
import { describe, expect, it } from 'vitest';
import { createCgScratch, solveRows, type RowSolveProblem } from './cg.solver';
import { CsrMatrix } from './csr.matrix';
import { solveRowExact } from './exact.solver';
import { computeGram } from './gram.matrix';

const F = 15; // odd, so the kernels' remainder paths run too
const ITEMS = 60;

function randomProblem(rows: number, seed: number, cgSteps: number): RowSolveProblem {
  const rng = new SeededRandom(seed);
  const fixed = Float32Array.from({ length: ITEMS * F }, () => 0.3 * rng.nextGaussian());
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
  const gram = new Float64Array(F * F);
  computeGram(fixed, ITEMS, F, 0.5, gram);
  return {
    factors: F,
    cgSteps,
    indptr: m.indptr,
    indices: m.indices,
    weights: m.data,
    fixed,
    gram,
    target: new Float32Array(rows * F),
  };
}

function exactRow(problem: RowSolveProblem, u: number): Float64Array {
  const { indptr, indices, weights } = problem;
  const start = indptr[u];
  const end = indptr[u + 1];
  return solveRowExact(
    problem.gram,
    problem.fixed,
    F,
    indices.subarray(start, end),
    weights.subarray(start, end),
  ).x;
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
    solveRows(0, 5, problem, createCgScratch(F));
    for (let u = 0; u < 5; u++) {
      expect(relativeError(problem.target.subarray(u * F, (u + 1) * F), exactRow(problem, u))).toBeLessThan(
        1e-5,
      );
    }
  });

  it('converges to the exact solution over repeated warm-started 3-step solves, as across ALS iterations', () => {
    const problem = randomProblem(5, 2, 3);
    const scratch = createCgScratch(F);
    const errors: number[] = [];
    for (let pass = 0; pass < 8; pass++) {
      solveRows(0, 5, problem, scratch);
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
    solveRows(0, 30, whole, createCgScratch(F));
    const scratch = createCgScratch(F);
    solveRows(0, 13, split, scratch);
    solveRows(13, 30, split, scratch);
    expect(split.target).toEqual(whole.target);
  });
});

describe('computeGram', () => {
  it('equals mᵀm + λI', () => {
    const rng = new SeededRandom(4);
    const rows = 9003; // more than two Gram blocks, and a tail that is not a multiple of four rows
    const f = 3;
    const m = Float32Array.from({ length: rows * f }, () => rng.nextGaussian());
    const gram = new Float64Array(f * f);
    computeGram(m, rows, f, 0.25, gram);
    for (let a = 0; a < f; a++) {
      for (let b = 0; b < f; b++) {
        let s = a === b ? 0.25 : 0;
        for (let r = 0; r < rows; r++) s += m[r * f + a] * m[r * f + b];
        expect(gram[a * f + b]).toBeCloseTo(s, 8);
      }
    }
  });
});

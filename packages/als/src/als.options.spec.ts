import { describe, expect, it } from 'vitest';
import { AlsInputError } from './als.errors';
import { confidenceWeights, resolveConfidence, type AlsOptions } from './als.options';
import { AlsModel } from './als.model';
import { trainAls } from './als.trainer';
import { solveRowExact } from './exact.solver';
import { computeGram } from './gram.matrix';
import { CsrMatrix } from './csr.matrix';

const matrix = CsrMatrix.fromCoo(
  2,
  3,
  Int32Array.of(0, 1, 1),
  Int32Array.of(0, 1, 2),
  Float32Array.of(1, 2, 3),
);
const good: AlsOptions = { factors: 2, iterations: 1, regularization: 0.1, alpha: 1 };

function rejection(opts: Record<string, unknown>, m: CsrMatrix = matrix): AlsInputError {
  try {
    trainAls(m, { ...good, ...opts } as AlsOptions);
  } catch (err) {
    if (err instanceof AlsInputError) return err;
    throw err;
  }
  throw new Error(`accepted ${JSON.stringify(opts)}`);
}

describe('trainAls input validation', () => {
  it.each([
    [{ factors: 0 }, 'factors', /integer in \[1, 1024\], got 0/],
    [{ factors: 1025 }, 'factors', /got 1025/],
    [{ factors: 2.5 }, 'factors', /got 2.5/],
    [{ iterations: 0 }, 'iterations', /integer in \[1, 1000\]/],
    [{ iterations: 1001 }, 'iterations', /got 1001/],
    [{ regularization: -0.1 }, 'regularization', /must be >= 0/],
    [{ regularization: NaN }, 'regularization', /finite number, got NaN/],
    [{ alpha: 0 }, 'alpha', /must be > 0/],
    [{ alpha: Infinity }, 'alpha', /finite number, got Infinity/],
    [{ alpha: '1' }, 'alpha', /finite number, got 1/],
    [{ confidence: 'sqrt' }, 'confidence', /'linear' or 'log', got sqrt/],
    [{ confidence: 'log', epsilon: 0 }, 'epsilon', /must be > 0/],
    [{ cgSteps: 0 }, 'cgSteps', /integer in \[1, 1024\]/],
    [{ seed: NaN }, 'seed', /finite number/],
    [{ onIteration: 3 }, 'onIteration', /must be a function/],
    [{ computeLoss: 'yes' }, 'computeLoss', /must be a boolean/],
    [{ regularisation: 0.1 }, 'regularisation', /unknown option/],
  ])('rejects %j naming the parameter', (opts, parameter, message) => {
    const err = rejection(opts);
    expect(err.parameter).toBe(parameter);
    expect(err.message).toMatch(message);
    expect(err.message.startsWith(`${parameter}: `)).toBe(true);
  });

  it('accepts the documented ranges', () => {
    expect(() =>
      trainAls(matrix, { ...good, regularization: 0, confidence: 'log', epsilon: 0.5 }),
    ).not.toThrow();
  });

  it('rejects empty matrices and counts that are zero, negative or not finite', () => {
    const empty = CsrMatrix.fromCoo(2, 3, new Int32Array(0), new Int32Array(0), new Float32Array(0));
    expect(rejection({}, empty).message).toMatch(/userItems: matrix has no interactions/);
    const noRows = CsrMatrix.fromCoo(0, 3, new Int32Array(0), new Int32Array(0), new Float32Array(0));
    expect(rejection({}, noRows).message).toMatch(/matrix is empty \(0 x 3\)/);
    const withValue = (v: number): CsrMatrix =>
      new CsrMatrix(2, 3, Int32Array.of(0, 1, 2), Int32Array.of(0, 2), Float32Array.of(1, v));
    expect(rejection({}, withValue(-1)).message).toMatch(/value -1 at \(user 1, item 2\)/);
    expect(rejection({}, withValue(0)).message).toMatch(/value 0 at \(user 1, item 2\).*> 0/);
    expect(rejection({}, withValue(NaN)).message).toMatch(/value NaN at \(user 1, item 2\)/);
  });
});

describe('confidence schemes', () => {
  it('turns counts into c - 1 = alpha·count (linear) or alpha·log(1 + count/epsilon) (log)', () => {
    const counts = Float32Array.of(1, 3, 100);
    const linear = confidenceWeights(counts, resolveConfidence('linear', 10, 1));
    expect(Array.from(linear)).toEqual([10, 30, 1000]);
    const log = confidenceWeights(counts, resolveConfidence('log', 10, 2));
    [1, 3, 100].forEach((c, k) => expect(log[k]).toBeCloseTo(10 * Math.log(1 + c / 2), 4));
  });

  it('trains with either scheme and folds users in with the scheme the model was trained with', () => {
    const log = trainAls(matrix, { ...good, confidence: 'log', alpha: 5, seed: 1 });
    const linear = new AlsModel({ ...log, confidence: { mode: 'linear', alpha: 5, epsilon: 1 } });
    expect(trainAls(matrix, { ...good, confidence: 'linear', alpha: 5, seed: 1 }).confidence.mode).toBe(
      'linear',
    );
    const items = Int32Array.of(0, 2);
    const counts = Float32Array.of(50, 1);
    const gram = new Float64Array(4);
    computeGram(log.itemFactors, 3, 2, log.regularization, gram);
    for (const model of [log, linear]) {
      const expected = solveRowExact(
        gram,
        log.itemFactors,
        2,
        items,
        confidenceWeights(counts, model.confidence),
      ).x;
      const folded = model.foldIn(items, counts);
      expected.forEach((e, a) => expect(folded[a]).toBeCloseTo(e, 5));
    }
    expect(linear.foldIn(items, counts)).not.toEqual(log.foldIn(items, counts));
  });
});

import { describe, expect, it } from 'vitest';
import { AlsInputError } from './als.errors';
import type { AlsOptions } from './als.options';
import { trainAls } from './als.trainer';
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

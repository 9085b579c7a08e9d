import { AlsInputError } from './als.errors';
import type { CsrMatrix } from './csr.matrix';

export type ConfidenceMode = 'linear' | 'log';

export interface AlsOptions {
  /** Latent dimension, 1..1024. */
  factors: number;
  /** Full alternations (users then items), 1..1000. */
  iterations: number;
  /** λ, added to the diagonal of every normal equation. */
  regularization: number;
  /** Confidence scale: c = 1 + alpha * r ('linear') or 1 + alpha * log(1 + r / epsilon) ('log'). */
  alpha: number;
  confidence?: ConfidenceMode;
  /** Only used by 'log' confidence; default 1. */
  epsilon?: number;
  /** Conjugate-gradient steps per row solve; default 3 as in benfred/implicit. */
  cgSteps?: number;
  /** Seed for the factor initialisation; default 0. */
  seed?: number;
  /** Called after every iteration; `iteration` counts from 1, `seconds` is that iteration's wall time. */
  onIteration?: (e: { iteration: number; seconds: number; loss?: number }) => void;
  /** Compute the training loss each iteration (costs about one extra Gram matrix and one pass over the data). */
  computeLoss?: boolean;
}

/** How raw counts become confidences; stored in the model so fold-in uses the training scheme. */
export interface ConfidenceScheme {
  readonly mode: ConfidenceMode;
  readonly alpha: number;
  readonly epsilon: number;
}

export interface ResolvedAlsOptions {
  readonly factors: number;
  readonly iterations: number;
  readonly regularization: number;
  readonly confidence: ConfidenceScheme;
  readonly cgSteps: number;
  readonly seed: number;
  readonly onIteration?: AlsOptions['onIteration'];
  readonly computeLoss: boolean;
}

const KNOWN_OPTIONS = new Set([
  'factors',
  'iterations',
  'regularization',
  'alpha',
  'confidence',
  'epsilon',
  'cgSteps',
  'seed',
  'onIteration',
  'computeLoss',
]);

export function resolveAlsOptions(opts: AlsOptions): ResolvedAlsOptions {
  if (typeof opts !== 'object' || opts === null) throw new AlsInputError('options', 'must be an object');
  for (const key of Object.keys(opts)) {
    // A misspelt option would otherwise silently fall back to its default.
    if (!KNOWN_OPTIONS.has(key)) throw new AlsInputError(key, 'unknown option');
  }
  const factors = integerIn('factors', opts.factors, 1, 1024);
  const iterations = integerIn('iterations', opts.iterations, 1, 1000);
  const regularization = finite('regularization', opts.regularization);
  if (regularization < 0) throw new AlsInputError('regularization', `must be >= 0, got ${regularization}`);
  const confidence = resolveConfidence(opts.confidence ?? 'linear', opts.alpha, opts.epsilon ?? 1);
  const cgSteps = integerIn('cgSteps', opts.cgSteps ?? 3, 1, 1024);
  const seed = finite('seed', opts.seed ?? 0);
  if (opts.onIteration !== undefined && typeof opts.onIteration !== 'function') {
    throw new AlsInputError('onIteration', 'must be a function');
  }
  if (opts.computeLoss !== undefined && typeof opts.computeLoss !== 'boolean') {
    throw new AlsInputError('computeLoss', 'must be a boolean');
  }
  return {
    factors,
    iterations,
    regularization,
    confidence,
    cgSteps,
    seed,
    onIteration: opts.onIteration,
    computeLoss: opts.computeLoss ?? false,
  };
}

export function resolveConfidence(mode: ConfidenceMode, alpha: number, epsilon: number): ConfidenceScheme {
  if (mode !== 'linear' && mode !== 'log') {
    throw new AlsInputError('confidence', `must be 'linear' or 'log', got ${String(mode)}`);
  }
  finite('alpha', alpha);
  if (alpha <= 0) throw new AlsInputError('alpha', `must be > 0, got ${alpha}`);
  finite('epsilon', epsilon);
  if (epsilon <= 0) throw new AlsInputError('epsilon', `must be > 0, got ${epsilon}`);
  return { mode, alpha, epsilon };
}

/** c - 1 for a raw count: the extra weight an observed pair gets over an unobserved one. */
export function confidenceWeight(count: number, scheme: ConfidenceScheme): number {
  return scheme.mode === 'linear' ? scheme.alpha * count : scheme.alpha * Math.log1p(count / scheme.epsilon);
}

export function confidenceWeights(
  counts: Float32Array,
  scheme: ConfidenceScheme,
  out: Float32Array = new Float32Array(counts.length),
): Float32Array {
  for (let i = 0; i < counts.length; i++) out[i] = confidenceWeight(counts[i], scheme);
  return out;
}

/**
 * Implicit feedback needs strictly positive finite counts: a stored zero would be ambiguous
 * (observed with no strength, or unobserved?), so it is rejected rather than guessed.
 */
export function validateInteractions(matrix: CsrMatrix): void {
  if (matrix.rows === 0 || matrix.cols === 0) {
    throw new AlsInputError('userItems', `matrix is empty (${matrix.rows} x ${matrix.cols})`);
  }
  if (matrix.nnz === 0) throw new AlsInputError('userItems', 'matrix has no interactions');
  const { indptr, indices, data } = matrix;
  for (let u = 0; u < matrix.rows; u++) {
    for (let p = indptr[u]; p < indptr[u + 1]; p++) {
      const v = data[p];
      if (!(v > 0) || !Number.isFinite(v)) {
        throw new AlsInputError(
          'userItems',
          `value ${v} at (user ${u}, item ${indices[p]}): counts must be finite and > 0 (leave unobserved pairs out)`,
        );
      }
    }
  }
}

function finite(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new AlsInputError(name, `must be a finite number, got ${String(value)}`);
  }
  return value;
}

function integerIn(name: string, value: unknown, min: number, max: number): number {
  const v = finite(name, value);
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new AlsInputError(name, `must be an integer in [${min}, ${max}], got ${v}`);
  }
  return v;
}

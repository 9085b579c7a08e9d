import { Word2VecInputError } from './word2vec.errors';

/** What onProgress receives after every epoch. */
export interface Word2VecProgress {
  epoch: number;
  epochs: number;
  /** Tokens kept after minCount and subsampling in this epoch. */
  tokens: number;
  /** (input, output) pairs trained in this epoch; each also trained `negatives` noise pairs. */
  pairs: number;
  /** Mean negative-sampling loss per pair in this epoch (positive term plus its noise terms). */
  loss: number;
  /** Learning rate reached at the end of the epoch. */
  learningRate: number;
}

export interface Word2VecOptions {
  /** Tokens are integers in [0, vocabularySize). */
  vocabularySize: number;
  /** Embedding width. Default 100. */
  dim?: number;
  /** Context reach on each side of a token. Default 5. */
  window?: number;
  /**
   * Draw each token's reach uniformly from 1..window, as word2vec.c does, so near neighbours are trained more
   * often than far ones. Default true; item2vec turns it off because a listening history is a set, not an order.
   */
  shrinkWindow?: boolean;
  /** Noise tokens drawn from the unigram^0.75 distribution per positive pair. Default 5. */
  negatives?: number;
  /** Passes over the corpus. Default 5. */
  epochs?: number;
  /** Starting learning rate, decayed linearly over all epochs. Default 0.025. */
  learningRate?: number;
  /** Floor of the decay. Default learningRate * 1e-4 (as word2vec.c). */
  minLearningRate?: number;
  /**
   * Frequent-token downsampling threshold t (Mikolov et al. 2013): a token of corpus frequency f is kept with
   * probability (sqrt(f / t) + 1) * t / f. 0 turns it off. Default 1e-3.
   */
  subsample?: number;
  /** Tokens seen fewer times are left out of training and keep an all-zero vector. Default 1. */
  minCount?: number;
  /** Seeds initialisation, subsampling, window sizes and noise draws. Default 1. */
  seed?: number;
  onProgress?: (progress: Word2VecProgress) => void;
}

export type ResolvedWord2VecOptions = Required<Omit<Word2VecOptions, 'onProgress'>> &
  Pick<Word2VecOptions, 'onProgress'>;

export function resolveOptions(options: Word2VecOptions): ResolvedWord2VecOptions {
  if (options === null || typeof options !== 'object') {
    throw new Word2VecInputError('options', 'expected an object');
  }
  const learningRate = options.learningRate ?? 0.025;
  const resolved: ResolvedWord2VecOptions = {
    vocabularySize: options.vocabularySize,
    dim: options.dim ?? 100,
    window: options.window ?? 5,
    shrinkWindow: options.shrinkWindow ?? true,
    negatives: options.negatives ?? 5,
    epochs: options.epochs ?? 5,
    learningRate,
    minLearningRate: options.minLearningRate ?? learningRate * 1e-4,
    subsample: options.subsample ?? 1e-3,
    minCount: options.minCount ?? 1,
    seed: options.seed ?? 1,
    onProgress: options.onProgress,
  };
  integer('vocabularySize', resolved.vocabularySize, 1, 2 ** 31 - 1);
  integer('dim', resolved.dim, 1, 4096);
  integer('window', resolved.window, 1, 2 ** 31 - 1);
  integer('negatives', resolved.negatives, 1, 1000);
  integer('epochs', resolved.epochs, 1, 1_000_000);
  integer('minCount', resolved.minCount, 1, 2 ** 31 - 1);
  if (typeof resolved.shrinkWindow !== 'boolean') {
    throw new Word2VecInputError('shrinkWindow', `expected a boolean, got ${String(resolved.shrinkWindow)}`);
  }
  if (!(Number.isFinite(learningRate) && learningRate > 0)) {
    throw new Word2VecInputError('learningRate', `must be a finite number > 0, got ${learningRate}`);
  }
  const min = resolved.minLearningRate;
  if (!(Number.isFinite(min) && min >= 0 && min <= learningRate)) {
    throw new Word2VecInputError(
      'minLearningRate',
      `must be in [0, learningRate=${learningRate}], got ${min}`,
    );
  }
  if (!(Number.isFinite(resolved.subsample) && resolved.subsample >= 0)) {
    throw new Word2VecInputError('subsample', `must be a finite number >= 0, got ${resolved.subsample}`);
  }
  if (!Number.isFinite(resolved.seed)) {
    throw new Word2VecInputError('seed', `must be a finite number, got ${resolved.seed}`);
  }
  if (resolved.onProgress !== undefined && typeof resolved.onProgress !== 'function') {
    throw new Word2VecInputError('onProgress', 'expected a function');
  }
  return resolved;
}

function integer(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Word2VecInputError(name, `must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
}

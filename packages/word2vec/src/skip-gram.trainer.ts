import { SeededRandom, dot } from '@tunegraph/vectors';
import { MAX_EXP, SIGMOID_SCALE, keepProbabilities, sigmoidTables, unigramTable } from './sampling.tables';
import { Word2VecInputError } from './word2vec.errors';
import type { ResolvedWord2VecOptions } from './word2vec.options';

/** The options a training thread needs (a worker cannot receive the onProgress function). */
export type TrainerSettings = Omit<ResolvedWord2VecOptions, 'onProgress'>;

/** The model and sampling tables; worker threads share them (SharedArrayBuffers) and update the model Hogwild. */
export interface SkipGramTables {
  input: Float32Array;
  output: Float32Array;
  /** Corpus count of each token, 0 below minCount. */
  counts: Float64Array;
  keep: Float32Array;
  noise: Int32Array;
}

/** What one thread trained in one epoch. */
export interface EpochTally {
  tokens: number;
  pairs: number;
  loss: number;
}

/**
 * Tokens (above minCount, before subsampling) processed by all threads over all epochs: `add` records a
 * sequence's tokens and returns the new total, which drives the learning-rate decay.
 */
export interface ProgressCounter {
  add(tokens: number): number;
}

export function skipGramTables(
  input: Float32Array,
  counts: Float64Array,
  trainTokens: number,
  subsample: number,
) {
  return {
    input,
    output: new Float32Array(input.length),
    counts,
    keep: keepProbabilities(counts, trainTokens, subsample),
    noise: unigramTable(counts),
  } satisfies SkipGramTables;
}

/** word2vec.c's linear decay from learningRate over all planned tokens, floored at minLearningRate. */
export function learningRateAt(opts: TrainerSettings, processed: number, plannedTokens: number): number {
  return Math.max(opts.minLearningRate, opts.learningRate * (1 - processed / (plannedTokens + 1)));
}

/** One thread's training loop and reusable scratch buffers; nothing is allocated per sequence or per pair. */
export class SkipGramTrainer {
  private readonly dim: number;
  private readonly gradient: Float32Array;
  private readonly kept: Int32Array;
  private readonly sigmoid: Float32Array;
  private readonly logSigmoid: Float32Array;
  private readonly plannedTokens: number;
  private alpha: number;
  private tally: EpochTally = { tokens: 0, pairs: 0, loss: 0 };

  constructor(
    private readonly opts: TrainerSettings,
    private readonly tables: SkipGramTables,
    trainTokens: number,
    longest: number,
    private readonly rng: SeededRandom,
    private readonly progress: ProgressCounter,
  ) {
    this.dim = opts.dim;
    this.gradient = new Float32Array(opts.dim);
    this.kept = new Int32Array(longest);
    ({ sigmoid: this.sigmoid, logSigmoid: this.logSigmoid } = sigmoidTables());
    this.plannedTokens = opts.epochs * trainTokens;
    this.alpha = opts.learningRate;
  }

  trainSequence(seq: Int32Array): void {
    const { rng, kept } = this;
    const { keep, counts } = this.tables;
    let n = 0;
    let valid = 0;
    for (let i = 0; i < seq.length; i++) {
      const t = seq[i];
      if (!(t >= 0 && t < counts.length)) {
        throw new Word2VecInputError(
          'sequences',
          `token ${t} is outside [0, ${counts.length}) in a later pass`,
        );
      }
      if (counts[t] === 0) continue;
      valid++;
      if (keep[t] < 1 && rng.nextFloat() >= keep[t]) continue;
      kept[n++] = t;
    }
    this.alpha = learningRateAt(this.opts, this.progress.add(valid), this.plannedTokens);
    this.tally.tokens += n;
    const { window, shrinkWindow } = this.opts;
    for (let pos = 0; pos < n; pos++) {
      const reach = shrinkWindow ? 1 + rng.nextInt(window) : window;
      const from = Math.max(0, pos - reach);
      const to = Math.min(n - 1, pos + reach);
      for (let c = from; c <= to; c++) {
        if (c !== pos) this.trainPair(kept[c], kept[pos]);
      }
    }
  }

  /** This thread's figures since the last call. */
  takeTally(): EpochTally {
    const tally = this.tally;
    this.tally = { tokens: 0, pairs: 0, loss: 0 };
    return tally;
  }

  /** The rate of the last sequence trained. */
  get learningRate(): number {
    return this.alpha;
  }

  /** One positive pair (the context token's input vector predicts `target`) plus its noise pairs. */
  private trainPair(context: number, target: number): void {
    const { dim, gradient, sigmoid, logSigmoid, alpha, rng } = this;
    const { input, output, noise } = this.tables;
    const l1 = context * dim;
    gradient.fill(0);
    let loss = 0;
    for (let d = 0; d <= this.opts.negatives; d++) {
      let word = target;
      let label = 1;
      if (d > 0) {
        word = noise[rng.nextInt(noise.length)];
        if (word === target) continue;
        label = 0;
      }
      const l2 = word * dim;
      const f = dot(input, l1, output, l2, dim);
      // Margin of the correct answer: f for the positive, -f for noise.
      const margin = label === 1 ? f : -f;
      let g: number;
      if (f >= MAX_EXP) g = label - 1;
      else if (f <= -MAX_EXP) g = label;
      else g = label - sigmoid[((f + MAX_EXP) * SIGMOID_SCALE) | 0];
      if (margin <= -MAX_EXP) loss -= margin;
      else if (margin < MAX_EXP) loss -= logSigmoid[((margin + MAX_EXP) * SIGMOID_SCALE) | 0];
      g *= alpha;
      for (let i = 0; i < dim; i++) {
        gradient[i] += g * output[l2 + i];
        output[l2 + i] += g * input[l1 + i];
      }
    }
    for (let i = 0; i < dim; i++) input[l1 + i] += gradient[i];
    this.tally.pairs++;
    this.tally.loss += loss;
  }
}

import { SeededRandom, dot } from '@tunegraph/vectors';
import { MAX_EXP, SIGMOID_SCALE, keepProbabilities, sigmoidTables, unigramTable } from './sampling.tables';
import { Word2VecInputError } from './word2vec.errors';
import { Word2VecModel } from './word2vec.model';
import {
  resolveOptions,
  type ResolvedWord2VecOptions,
  type Word2VecOptions,
  type Word2VecProgress,
} from './word2vec.options';

/**
 * The corpus: an array of token sequences, or a factory that yields the same sequences on every call (it is called
 * once to count tokens and once per epoch, so a corpus need not sit in memory).
 */
export type SequenceSource = readonly Int32Array[] | (() => Iterable<Int32Array>);

interface Corpus {
  counts: Float64Array;
  /** Every token read in one pass, before minCount and subsampling. */
  tokens: number;
  longest: number;
}

/**
 * Skip-gram with negative sampling (Mikolov et al. 2013), single-threaded and deterministic for a given seed:
 * each kept token's input vector is trained to predict every token within its (optionally shrunk) window,
 * against `negatives` noise tokens drawn from the unigram^0.75 distribution. Tokens below minCount are removed
 * from the sequences before windows are formed, as word2vec.c does.
 */
export function trainWord2Vec(sequences: SequenceSource, options: Word2VecOptions): Word2VecModel {
  const opts = resolveOptions(options);
  const corpus = countTokens(sequences, opts.vocabularySize);
  const counts = corpus.counts.map((c) => (c >= opts.minCount ? c : 0));
  let trainTokens = 0;
  for (const c of counts) trainTokens += c;
  if (trainTokens === 0) {
    throw new Word2VecInputError('sequences', `no token occurs at least minCount=${opts.minCount} times`);
  }
  const rng = new SeededRandom(opts.seed);
  const vectors = new Float32Array(opts.vocabularySize * opts.dim);
  for (let t = 0; t < opts.vocabularySize; t++) {
    if (counts[t] === 0) continue;
    for (let i = t * opts.dim; i < (t + 1) * opts.dim; i++) vectors[i] = (rng.nextFloat() - 0.5) / opts.dim;
  }
  const trainer = new SkipGramTrainer(opts, vectors, counts, trainTokens, corpus.longest, rng);
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    let read = 0;
    for (const seq of iterate(sequences)) {
      if (!(seq instanceof Int32Array) || seq.length > corpus.longest) {
        throw new Word2VecInputError(
          'sequences',
          `epoch ${epoch} read a different corpus than the counting pass`,
        );
      }
      read += seq.length;
      trainer.trainSequence(seq);
    }
    if (read !== corpus.tokens) {
      throw new Word2VecInputError(
        'sequences',
        `epoch ${epoch} read ${read} tokens but the counting pass read ${corpus.tokens}: the factory must yield the same corpus every time`,
      );
    }
    opts.onProgress?.(trainer.finishEpoch(epoch));
  }
  return new Word2VecModel(opts.dim, opts.vocabularySize, vectors);
}

function iterate(sequences: SequenceSource): Iterable<Int32Array> {
  return typeof sequences === 'function' ? sequences() : sequences;
}

function countTokens(sequences: SequenceSource, vocabularySize: number): Corpus {
  if (typeof sequences !== 'function' && !Array.isArray(sequences)) {
    throw new Word2VecInputError(
      'sequences',
      'expected an array of Int32Array or a function returning an iterable of them',
    );
  }
  const counts = new Float64Array(vocabularySize);
  let tokens = 0;
  let longest = 0;
  let index = 0;
  for (const seq of iterate(sequences)) {
    if (!(seq instanceof Int32Array))
      throw new Word2VecInputError('sequences', `sequence ${index} is not an Int32Array`);
    for (let i = 0; i < seq.length; i++) {
      const t = seq[i];
      if (t < 0 || t >= vocabularySize) {
        throw new Word2VecInputError(
          'sequences',
          `sequence ${index} position ${i}: token ${t} is outside [0, ${vocabularySize})`,
        );
      }
      counts[t]++;
    }
    tokens += seq.length;
    longest = Math.max(longest, seq.length);
    index++;
  }
  return { counts, tokens, longest };
}

/** The training state and reusable scratch buffers; nothing is allocated per sequence or per pair. */
class SkipGramTrainer {
  private readonly dim: number;
  private readonly output: Float32Array;
  private readonly gradient: Float32Array;
  private readonly kept: Int32Array;
  private readonly keep: Float32Array;
  private readonly noise: Int32Array;
  private readonly sigmoid: Float32Array;
  private readonly logSigmoid: Float32Array;
  /** Tokens (above minCount, before subsampling) seen so far over all epochs; drives the learning-rate decay. */
  private processed = 0;
  private readonly plannedTokens: number;
  private alpha: number;
  private epochTokens = 0;
  private epochPairs = 0;
  private epochLoss = 0;

  constructor(
    private readonly opts: ResolvedWord2VecOptions,
    private readonly input: Float32Array,
    private readonly counts: Float64Array,
    trainTokens: number,
    longest: number,
    private readonly rng: SeededRandom,
  ) {
    this.dim = opts.dim;
    this.output = new Float32Array(input.length);
    this.gradient = new Float32Array(opts.dim);
    this.kept = new Int32Array(longest);
    this.keep = keepProbabilities(counts, trainTokens, opts.subsample);
    this.noise = unigramTable(counts);
    ({ sigmoid: this.sigmoid, logSigmoid: this.logSigmoid } = sigmoidTables());
    this.plannedTokens = opts.epochs * trainTokens;
    this.alpha = opts.learningRate;
  }

  trainSequence(seq: Int32Array): void {
    const { rng, keep, kept, counts } = this;
    let n = 0;
    for (let i = 0; i < seq.length; i++) {
      const t = seq[i];
      if (!(t >= 0 && t < counts.length)) {
        throw new Word2VecInputError(
          'sequences',
          `token ${t} is outside [0, ${counts.length}) in a later pass`,
        );
      }
      if (counts[t] === 0) continue;
      this.processed++;
      if (keep[t] < 1 && rng.nextFloat() >= keep[t]) continue;
      kept[n++] = t;
    }
    this.updateLearningRate();
    this.epochTokens += n;
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

  finishEpoch(epoch: number): Word2VecProgress {
    const progress = {
      epoch,
      epochs: this.opts.epochs,
      tokens: this.epochTokens,
      pairs: this.epochPairs,
      loss: this.epochPairs === 0 ? 0 : this.epochLoss / this.epochPairs,
      learningRate: this.alpha,
    };
    this.epochTokens = 0;
    this.epochPairs = 0;
    this.epochLoss = 0;
    return progress;
  }

  private updateLearningRate(): void {
    const { learningRate, minLearningRate } = this.opts;
    this.alpha = Math.max(minLearningRate, learningRate * (1 - this.processed / (this.plannedTokens + 1)));
  }

  /** One positive pair (the context token's input vector predicts `target`) plus its noise pairs. */
  private trainPair(context: number, target: number): void {
    const { dim, input, output, gradient, noise, sigmoid, logSigmoid, alpha, rng } = this;
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
    this.epochPairs++;
    this.epochLoss += loss;
  }
}

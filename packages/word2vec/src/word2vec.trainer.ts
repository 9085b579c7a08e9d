import { SeededRandom } from '@tunegraph/vectors';
import { SkipGramTrainer, skipGramTables, type EpochTally } from './skip-gram.trainer';
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

export interface Corpus {
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
  const { corpus, counts, trainTokens, input, rng } = prepareTraining(sequences, opts);
  const tables = skipGramTables(input, counts, trainTokens, opts.subsample);
  let processed = 0;
  const progress = { add: (tokens: number) => (processed += tokens) };
  const { onProgress, ...settings } = opts;
  const trainer = new SkipGramTrainer(settings, tables, trainTokens, corpus.longest, rng, progress);
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
    onProgress?.(epochProgress(epoch, opts.epochs, [trainer.takeTally()], trainer.learningRate));
  }
  return new Word2VecModel(opts.dim, opts.vocabularySize, input);
}

/** What every thread count shares before training: the counted corpus and the seeded initial input vectors. */
export interface PreparedTraining {
  corpus: Corpus;
  /** Corpus count of each token, 0 below minCount. */
  counts: Float64Array;
  /** Tokens at or above minCount in one pass. */
  trainTokens: number;
  input: Float32Array;
  /** Seeded by opts.seed and advanced past the initialisation; the first thread trains with it. */
  rng: SeededRandom;
}

export function prepareTraining(sequences: SequenceSource, opts: ResolvedWord2VecOptions): PreparedTraining {
  const corpus = countTokens(sequences, opts.vocabularySize);
  const counts = corpus.counts.map((c) => (c >= opts.minCount ? c : 0));
  let trainTokens = 0;
  for (const c of counts) trainTokens += c;
  if (trainTokens === 0) {
    throw new Word2VecInputError('sequences', `no token occurs at least minCount=${opts.minCount} times`);
  }
  const rng = new SeededRandom(opts.seed);
  const input = new Float32Array(opts.vocabularySize * opts.dim);
  for (let t = 0; t < opts.vocabularySize; t++) {
    if (counts[t] === 0) continue;
    for (let i = t * opts.dim; i < (t + 1) * opts.dim; i++) input[i] = (rng.nextFloat() - 0.5) / opts.dim;
  }
  return { corpus, counts, trainTokens, input, rng };
}

/** One epoch's progress from every thread's tally and the learning rate reached at its end. */
export function epochProgress(
  epoch: number,
  epochs: number,
  tallies: readonly EpochTally[],
  learningRate: number,
): Word2VecProgress {
  let tokens = 0;
  let pairs = 0;
  let loss = 0;
  for (const t of tallies) {
    tokens += t.tokens;
    pairs += t.pairs;
    loss += t.loss;
  }
  return { epoch, epochs, tokens, pairs, loss: pairs === 0 ? 0 : loss / pairs, learningRate };
}

export function iterate(sequences: SequenceSource): Iterable<Int32Array> {
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

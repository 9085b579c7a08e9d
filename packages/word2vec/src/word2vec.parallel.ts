import { availableParallelism } from 'node:os';
import { ask, compiledWorkerScript, startWorkers } from '@tunegraph/threads';
import { learningRateAt, skipGramTables, type EpochTally } from './skip-gram.trainer';
import { Word2VecInputError } from './word2vec.errors';
import { Word2VecModel } from './word2vec.model';
import { resolveOptions, type Word2VecOptions } from './word2vec.options';
import { processedTokens, rewindChunks, sharedTraining, threadTrainer, trainShare } from './word2vec.shared';
import { epochProgress, prepareTraining, trainWord2Vec, type SequenceSource } from './word2vec.trainer';

export const MAX_THREADS = 64;

export interface ParallelWord2VecOptions extends Word2VecOptions {
  /** Threads including the calling one; default os.availableParallelism(), at most MAX_THREADS. 1 runs trainWord2Vec. */
  threads?: number;
}

/**
 * trainWord2Vec on worker threads, Hogwild as word2vec.c and gensim: every thread updates the shared input and
 * output vectors without locks, each with its own seeded generator, and all decay the learning rate by the tokens
 * processed by all threads. Threads claim chunks of consecutive sequences (about 10,000 tokens) from a shared
 * counter, as gensim's job queue, so a thread slowed by other load on the machine takes fewer. Results vary from
 * run to run with more than one thread (the interleaving of updates and of claims); `threads: 1` is
 * trainWord2Vec, bit-identical.
 * The calling thread works too, so `threads: 2` starts one worker. The corpus is read once and held in memory
 * (a factory is called once); needs the compiled worker script (dist/word2vec.worker.js).
 */
export async function trainWord2VecParallel(
  sequences: SequenceSource,
  options: ParallelWord2VecOptions,
): Promise<Word2VecModel> {
  if (options === null || typeof options !== 'object')
    throw new Word2VecInputError('options', 'expected an object');
  const { threads: requested, ...word2vecOptions } = options;
  const threads = requested ?? Math.min(availableParallelism(), MAX_THREADS);
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new Word2VecInputError(
      'threads',
      `must be an integer in [1, ${MAX_THREADS}], got ${String(threads)}`,
    );
  }
  if (threads === 1) return trainWord2Vec(sequences, word2vecOptions);

  const opts = resolveOptions(word2vecOptions);
  const { onProgress, ...settings } = opts;
  const list = typeof sequences === 'function' ? Array.from(sequences()) : sequences;
  const { corpus, counts, trainTokens, input, rng } = prepareTraining(list, opts);
  const tables = skipGramTables(input, counts, trainTokens, opts.subsample);
  const state = sharedTraining(settings, tables, list, corpus.tokens, trainTokens, corpus.longest);
  const script = compiledWorkerScript(__dirname, 'word2vec.worker.js', '@tunegraph/word2vec');
  const workers = startWorkers(
    script,
    Array.from({ length: threads - 1 }, (_, i) => ({ state, slot: i + 1 })),
  );
  try {
    const trainer = threadTrainer(state, 0, rng);
    for (let epoch = 1; epoch <= opts.epochs; epoch++) {
      rewindChunks(state);
      const helpers = Promise.all(workers.map((w) => ask<EpochTally>(w, epoch, `word2vec epoch ${epoch}`)));
      const own = trainShare(state, trainer);
      const tallies = [own, ...(await helpers)];
      const learningRate = learningRateAt(settings, processedTokens(state), opts.epochs * trainTokens);
      onProgress?.(epochProgress(epoch, opts.epochs, tallies, learningRate));
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  // A copy in ordinary memory: the model outlives the workers and is serialised from its buffer.
  return new Word2VecModel(opts.dim, opts.vocabularySize, state.tables.input.slice());
}

import { shared } from '@tunegraph/threads';
import { SeededRandom } from '@tunegraph/vectors';
import {
  SkipGramTrainer,
  type EpochTally,
  type SkipGramTables,
  type TrainerSettings,
} from './skip-gram.trainer';

/**
 * Everything a training thread reads or writes, in SharedArrayBuffers: the model and sampling tables, the corpus
 * as one flat token array with sequence offsets, each thread's contiguous share of sequences, and the count of
 * tokens processed by all threads (the learning-rate clock).
 */
export interface SharedTraining {
  settings: TrainerSettings;
  tables: SkipGramTables;
  tokens: Int32Array;
  /** Sequence s is tokens[offsets[s] .. offsets[s + 1]). */
  offsets: Float64Array;
  /** Thread k trains sequences bounds[k] .. bounds[k + 1] - 1 in every epoch. */
  bounds: Int32Array;
  processed: BigInt64Array;
  trainTokens: number;
  longest: number;
}

export function sharedTraining(
  settings: TrainerSettings,
  tables: SkipGramTables,
  sequences: readonly Int32Array[],
  totalTokens: number,
  threads: number,
  trainTokens: number,
  longest: number,
): SharedTraining {
  const tokens = new Int32Array(new SharedArrayBuffer(totalTokens * 4));
  const offsets = new Float64Array(new SharedArrayBuffer((sequences.length + 1) * 8));
  let at = 0;
  sequences.forEach((seq, s) => {
    tokens.set(seq, at);
    at += seq.length;
    offsets[s + 1] = at;
  });
  // Shares of about equal token counts, as word2vec.c splits its training file by bytes.
  const bounds = new Int32Array(threads + 1);
  let s = 0;
  for (let k = 1; k < threads; k++) {
    while (s < sequences.length && offsets[s] < (k * totalTokens) / threads) s++;
    bounds[k] = s;
  }
  bounds[threads] = sequences.length;
  return {
    settings,
    tables: {
      input: shared(tables.input),
      output: shared(tables.output),
      counts: shared(tables.counts),
      keep: shared(tables.keep),
      noise: shared(tables.noise),
    },
    tokens,
    offsets,
    bounds,
    processed: new BigInt64Array(new SharedArrayBuffer(8)),
    trainTokens,
    longest,
  };
}

/**
 * A trainer for thread `slot` over the shared state. Slot 0 is given the generator that initialised the vectors (as
 * trainWord2Vec continues it); every other slot seeds its own from the seed and its slot.
 */
export function threadTrainer(state: SharedTraining, slot: number, rng?: SeededRandom): SkipGramTrainer {
  const { settings, tables, trainTokens, longest, processed } = state;
  const own = rng ?? new SeededRandom((Math.trunc(settings.seed) + Math.imul(slot, 0x9e3779b9)) >>> 0);
  const progress = { add: (tokens: number) => Number(Atomics.add(processed, 0, BigInt(tokens))) + tokens };
  return new SkipGramTrainer(settings, tables, trainTokens, longest, own, progress);
}

/** One epoch over this thread's share of the sequences (Hogwild: other threads update the same vectors). */
export function trainShare(state: SharedTraining, slot: number, trainer: SkipGramTrainer): EpochTally {
  const { tokens, offsets, bounds } = state;
  for (let s = bounds[slot]; s < bounds[slot + 1]; s++) {
    trainer.trainSequence(tokens.subarray(offsets[s], offsets[s + 1]));
  }
  return trainer.takeTally();
}

/** Tokens processed by all threads so far. */
export function processedTokens(state: SharedTraining): number {
  return Number(Atomics.load(state.processed, 0));
}

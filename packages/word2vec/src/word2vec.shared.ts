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
 * as one flat token array with sequence offsets cut into chunks of consecutive sequences, the next chunk to claim
 * in this epoch, and the count of tokens processed by all threads (the learning-rate clock).
 */
export interface SharedTraining {
  settings: TrainerSettings;
  tables: SkipGramTables;
  tokens: Int32Array;
  /** Sequence s is tokens[offsets[s] .. offsets[s + 1]). */
  offsets: Float64Array;
  /** Chunk c is sequences chunks[c] .. chunks[c + 1] - 1. */
  chunks: Int32Array;
  /** The next chunk a thread claims in this epoch (reset to 0 before each). */
  nextChunk: Int32Array;
  processed: BigInt64Array;
  trainTokens: number;
  longest: number;
}

/** About gensim's batch_words: small enough to balance threads, large enough that claiming costs nothing. */
const CHUNK_TOKENS = 10_000;

export function sharedTraining(
  settings: TrainerSettings,
  tables: SkipGramTables,
  sequences: readonly Int32Array[],
  totalTokens: number,
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
  // Chunks of about CHUNK_TOKENS tokens (gensim's batch_words): threads claim them from a shared counter, so on a
  // busy machine a thread that gets less CPU trains fewer instead of holding up the epoch's end.
  const count = Math.ceil(totalTokens / CHUNK_TOKENS);
  const chunks = new Int32Array(new SharedArrayBuffer((count + 1) * 4));
  let s = 0;
  for (let c = 1; c < count; c++) {
    while (s < sequences.length && offsets[s] < c * CHUNK_TOKENS) s++;
    chunks[c] = s;
  }
  chunks[count] = sequences.length;
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
    chunks,
    nextChunk: new Int32Array(new SharedArrayBuffer(4)),
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

/**
 * This thread's part of an epoch: chunks claimed until none is left (Hogwild: other threads update the same
 * vectors meanwhile).
 */
export function trainShare(state: SharedTraining, trainer: SkipGramTrainer): EpochTally {
  const { tokens, offsets, chunks, nextChunk } = state;
  for (let c = Atomics.add(nextChunk, 0, 1); c < chunks.length - 1; c = Atomics.add(nextChunk, 0, 1)) {
    for (let s = chunks[c]; s < chunks[c + 1]; s++) {
      trainer.trainSequence(tokens.subarray(offsets[s], offsets[s + 1]));
    }
  }
  return trainer.takeTally();
}

/** Lets the next epoch's claims start from the first chunk; only while no thread is training. */
export function rewindChunks(state: SharedTraining): void {
  Atomics.store(state.nextChunk, 0, 0);
}

/** Tokens processed by all threads so far. */
export function processedTokens(state: SharedTraining): number {
  return Number(Atomics.load(state.processed, 0));
}

/**
 * `npm run bench -- word2vec`: lyric Word2Vec training at 1 and 2 threads (trainWord2VecParallel: Hogwild on worker
 * threads; 1 thread is trainWord2Vec) against gensim's Word2Vec with 1 and 2 workers, in the same run, on the real
 * musiXmatch test head with the content service's settings and WORD2VEC_BENCH_EPOCHS epochs (default 2).
 * Words/s counts the corpus tokens at or above minCount, before subsampling, times the epochs (as word2vec.c and
 * gensim count progress), over wall and over process CPU seconds (all threads). The machine is shared, so the load
 * average before and after is in the summary.
 */
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { readBags, writeBagsCsr } from './lib/lyrics.mjs';
import { runPython } from './lib/python-env.mjs';
import { fmt, log, ratio, timed } from './lib/stats.mjs';
import { load, msdDataDir } from './lib/workspace.mjs';

export const needs = ['word2vec', 'msd-formats'];

/** services/content/src/jobs/train-word2vec.job.ts defaults, fewer epochs (each costs the same). */
const WORD2VEC = {
  dim: 64,
  window: 5,
  epochs: Number(process.env.WORD2VEC_BENCH_EPOCHS ?? 2),
  negatives: 5,
  minCount: 5,
  subsample: 1e-4,
};
const SEED = 42;
const THREADS = [1, 2];

export async function run() {
  const loadBefore = os.loadavg();
  const bags = await readBags(path.join(msdDataDir(), 'lyrics/mxm_dataset_test.head.txt.gz'), Infinity);
  const { trainWord2VecParallel, lyricsSequences } = load('word2vec');
  const sequences = lyricsSequences(bags.docs, SEED);
  const words = trainedTokens(sequences, bags.vocabularySize) * WORD2VEC.epochs;
  log(
    `real lyrics: ${bags.docs.length} songs, ${bags.tokens} tokens, ${words} words to train over ${WORD2VEC.epochs} epochs`,
  );

  const ours = {};
  for (const threads of THREADS) {
    let loss = NaN;
    const t = await timed(() =>
      trainWord2VecParallel(sequences, {
        ...WORD2VEC,
        vocabularySize: bags.vocabularySize,
        seed: SEED,
        threads,
        onProgress: (p) => {
          loss = p.loss;
          log(
            `  ours ${threads} thread(s) epoch ${p.epoch}/${p.epochs}: ${p.pairs} pairs, loss ${p.loss.toFixed(3)}`,
          );
        },
      }),
    );
    ours[threads] = rates(t, words, { finalLoss: loss });
    log(`  ours ${threads} thread(s): ${describe(ours[threads])}`);
  }

  const dir = writeBagsCsr('word2vec', 'real', bags);
  const peer = await runPython('word2vec_peers.py', {
    dir,
    vocabularySize: bags.vocabularySize,
    word2vec: WORD2VEC,
    workers: THREADS,
    seed: SEED,
  });
  const gensim = {};
  for (const threads of THREADS) gensim[threads] = rates(peer.runs[threads], words);
  const loadAfter = os.loadavg();

  const part = (threads) =>
    `${threads} thread(s): ours ${describe(ours[threads])} vs gensim ${describe(gensim[threads])} ` +
    `(ours/gensim ${fmt(ratio(ours[threads].wordsPerSecond, gensim[threads].wordsPerSecond), 2)}x wall, ` +
    `${fmt(ratio(ours[threads].wordsPerCpuSecond, gensim[threads].wordsPerCpuSecond), 2)}x per CPU-s)`;
  const speedup = (r) => fmt(ratio(r[2].wordsPerSecond, r[1].wordsPerSecond), 2);
  return {
    results: {
      settings: { word2vec: WORD2VEC, seed: SEED, threads: THREADS },
      songs: bags.docs.length,
      tokens: bags.tokens,
      words,
      ours,
      gensim: { ...gensim, versions: peer.versions },
      loadAverage: { before: loadBefore, after: loadAfter },
    },
    summary:
      `word2vec on ${bags.docs.length} real lyric songs, ${words} words (${WORD2VEC.epochs} epochs, dim ${WORD2VEC.dim}): ` +
      `${part(1)} | ${part(2)} | 2-thread speed-up (wall): ours ${speedup(ours)}x, gensim ${speedup(gensim)}x | ` +
      `ours final loss ${fmt(ours[1].finalLoss, 3)} at 1 thread, ${fmt(ours[2].finalLoss, 3)} at 2 | ` +
      `load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(2)).join(' ')} after (${os.availableParallelism()} cores)`,
  };
}

/** Tokens at or above minCount in one pass: the words an epoch processes. */
function trainedTokens(sequences, vocabularySize) {
  const counts = new Float64Array(vocabularySize);
  for (const seq of sequences) for (const t of seq) counts[t]++;
  let total = 0;
  for (const c of counts) if (c >= WORD2VEC.minCount) total += c;
  return total;
}

function rates({ seconds, cpuSeconds }, words, extra = {}) {
  return {
    seconds,
    cpuSeconds,
    wordsPerSecond: words / seconds,
    wordsPerCpuSecond: words / cpuSeconds,
    ...extra,
  };
}

function describe(r) {
  return `${fmt(r.wordsPerSecond / 1e3, 1)}k words/s (${fmt(r.seconds, 1)}s wall, ${fmt(r.cpuSeconds, 1)} CPU-s)`;
}

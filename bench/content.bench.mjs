/**
 * `npm run bench -- content`: training time of the content kernels (TF-IDF, LDA, lyric Word2Vec) against
 * scikit-learn (TfidfTransformer, online LatentDirichletAllocation) and gensim (Word2Vec, skip-gram), one thread
 * each, on the same bags of words in the same run: the real musiXmatch test head, and lyric songs of the generator's
 * `msd` preset (237,662 lyric songs; the first CONTENT_BENCH_SONGS of them, 20,000 by default, because the three
 * trainings of both implementations on all of them take over an hour on 2 shared cores).
 */
import process from 'node:process';
import path from 'node:path';
import { readBags, writeBagsCsr } from './lib/lyrics.mjs';
import { generatedTriplets } from './lib/plays.mjs';
import { runPython } from './lib/python-env.mjs';
import { fmt, log, ratio, timed } from './lib/stats.mjs';
import { load, msdDataDir } from './lib/workspace.mjs';

export const needs = ['tfidf', 'lda', 'word2vec', 'msd-formats', 'generator'];

/**
 * The content service defaults (services/content/src/jobs) but one LDA pass and one Word2Vec epoch (of 2 and 5):
 * time per pass is what compares, and more passes only multiply the run time on a shared machine.
 */
const LDA = { topics: 20, passes: 1, batchSize: 128 };
const WORD2VEC = { dim: 64, window: 5, epochs: 1, negatives: 5, minCount: 5, subsample: 1e-4 };
const SEED = 42;
/** Generated dataset: the msd preset's catalogue and lyrics, with few plays (they are not used here). */
const GENERATED = { users: 20_000, triplets: 200_000 };

export async function run() {
  const real = await readBags(path.join(msdDataDir(), 'lyrics/mxm_dataset_test.head.txt.gz'), Infinity);
  const { summary: dataset } = await generatedTriplets('msd', 7, GENERATED);
  const limit = Number(process.env.CONTENT_BENCH_SONGS ?? 20_000);
  const generated = await readBags(dataset.files.mxmBow, limit);
  const results = {};
  for (const [name, bags] of [
    ['real', real],
    ['generated', generated],
  ]) {
    log(`${name}: ${bags.docs.length} songs, ${bags.tokens} word occurrences`);
    results[name] = {
      songs: bags.docs.length,
      tokens: bags.tokens,
      ours: await ours(bags),
      peers: await peers(name, bags),
    };
  }
  const line = (name) => {
    const { songs, ours: o, peers: p } = results[name];
    const part = (label, mine, theirs, peer) =>
      `${label} ${fmt(mine.seconds, 2)}s vs ${peer} ${fmt(theirs.seconds, 2)}s (${fmt(ratio(mine.cpuSeconds, theirs.cpuSeconds), 2)}x CPU)`;
    return (
      `${name} ${songs} songs: ${part('tfidf', o.tfidf, p.tfidf, 'sklearn')}, ${part('lda', o.lda, p.lda, 'sklearn')}, ` +
      `${part('word2vec', o.word2vec, p.word2vec, 'gensim')}`
    );
  };
  return {
    results: {
      settings: { lda: LDA, word2vec: WORD2VEC, seed: SEED, generated: GENERATED, limit },
      ...results,
    },
    summary: `content training, ours vs peer (1 thread; ratio = our CPU s / theirs): ${line('real')} | ${line('generated')}`,
  };
}

async function ours({ docs, vocabularySize }) {
  const { fitTfidf } = load('tfidf');
  const { fitLda } = load('lda');
  const { trainWord2Vec, lyricsSequences } = load('word2vec');
  const tfidf = await timed(() => {
    const model = fitTfidf(docs, { vocabularySize });
    for (const d of docs) model.transform(d);
  });
  log(`  ours tfidf: ${tfidf.seconds.toFixed(2)}s`);
  const lda = await timed(() => fitLda(docs, { ...LDA, vocabularySize, seed: SEED }));
  log(`  ours lda: ${lda.seconds.toFixed(1)}s`);
  const word2vec = await timed(() =>
    trainWord2Vec(lyricsSequences(docs, SEED), {
      ...WORD2VEC,
      vocabularySize,
      seed: SEED,
      onProgress: (p) =>
        log(`  ours word2vec epoch ${p.epoch}/${p.epochs}: ${p.pairs} pairs, loss ${p.loss.toFixed(3)}`),
    }),
  );
  log(`  ours word2vec: ${word2vec.seconds.toFixed(1)}s`);
  const strip = ({ seconds, cpuSeconds }) => ({ seconds, cpuSeconds });
  return { tfidf: strip(tfidf), lda: strip(lda), word2vec: strip(word2vec) };
}

/** Writes the bags in CSR form for Python and runs the peers on them. */
async function peers(name, bags) {
  const dir = writeBagsCsr('content', name, bags);
  return runPython('content_peers.py', {
    dir,
    vocabularySize: bags.vocabularySize,
    lda: LDA,
    word2vec: WORD2VEC,
    seed: SEED,
  });
}

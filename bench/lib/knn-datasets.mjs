/** The knn benchmarks' datasets: generated clustered vectors, and song vectors learnt from the real MSD samples. */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readBags } from './lyrics.mjs';
import { readPlays } from './plays.mjs';
import { log } from './stats.mjs';
import { load, msdDataDir } from './workspace.mjs';

export const CLUSTERS = 100;
export const SPREAD = 0.75;

/** `count` generated vectors and `queries` held-out queries around 100 Gaussian centres (seeded by dim). */
export function clustered(count, dim, queries) {
  const { SeededRandom } = load('vectors');
  const rng = new SeededRandom(1000 + dim);
  const centres = new Float32Array(CLUSTERS * dim);
  for (let i = 0; i < centres.length; i++) centres[i] = rng.nextGaussian();
  const draw = (n) => {
    const out = new Float32Array(n * dim);
    for (let p = 0; p < n; p++) {
      const c = rng.nextInt(CLUSTERS);
      for (let i = 0; i < dim; i++) out[p * dim + i] = centres[c * dim + i] + SPREAD * rng.nextGaussian();
    }
    return out;
  };
  const label = `clustered-${Math.round(count / 1000)}k-d${dim}`;
  return {
    label,
    dim,
    vectors: draw(count),
    queries: draw(queries),
    source: { clusters: CLUSTERS, spread: SPREAD, seed: 1000 + dim },
  };
}

/**
 * Song vectors of implicit ALS (64 factors, 15 iterations, regularization 0.1, alpha 10, seed 42) trained on all
 * of the real Turi plays sample; the queries are 1,000 of those songs, each excluding itself.
 */
export async function alsSongVectors(factors) {
  const { CsrMatrix, trainAls } = load('als');
  const file = path.join(msdDataDir(), 'plays/turi_10000.head42739.txt.gz');
  const plays = await readPlays(file);
  const { users, items, counts } = plays.interactions;
  const matrix = CsrMatrix.fromCoo(plays.numUsers, plays.numItems, users, items, counts);
  const started = performance.now();
  const model = trainAls(matrix, { factors, iterations: 15, regularization: 0.1, alpha: 10, seed: 42 });
  log(
    `als on ${path.basename(file)}: ${plays.numItems} songs x ${factors} factors in ${((performance.now() - started) / 1000).toFixed(1)}s`,
  );
  const vectors = model.itemFactors;
  const n = Math.min(1000, plays.numItems);
  const selfIds = Array.from({ length: n }, (_, i) => Math.floor((i * plays.numItems) / n));
  const queries = new Float32Array(n * factors);
  selfIds.forEach((row, i) => queries.set(vectors.subarray(row * factors, (row + 1) * factors), i * factors));
  return {
    label: `als-turi-d${factors}`,
    dim: factors,
    vectors,
    queries,
    selfIds,
    source: { file: path.basename(file), users: plays.numUsers },
  };
}

/**
 * Song vectors of lyric Word2Vec (64 dims, 5 epochs, the content service's other defaults, seed 42, one thread)
 * trained on the real musiXmatch lyrics sample: each song the TF-IDF-weighted mean of its words' vectors less the
 * songs' common component, as the content service computes them (songs with no word in the vocabulary left out);
 * the queries are 1,000 of those songs, each excluding itself.
 */
export async function lyricSongVectors(dim) {
  const { trainWord2Vec, lyricsSequences, LyricEmbedding } = load('word2vec');
  const { fitTfidf } = load('tfidf');
  const file = path.join(msdDataDir(), 'lyrics/mxm_dataset_test.head.txt.gz');
  const bags = await readBags(file, Infinity);
  const started = performance.now();
  const model = trainWord2Vec(lyricsSequences(bags.docs, 42), {
    vocabularySize: bags.vocabularySize,
    dim,
    window: 5,
    epochs: 5,
    negatives: 5,
    minCount: 5,
    subsample: 1e-4,
    seed: 42,
  });
  const { idf } = fitTfidf(bags.docs, { vocabularySize: bags.vocabularySize });
  const embedding = LyricEmbedding.fit(model, idf, bags.docs);
  const rows = bags.docs.map((doc) => embedding.songVector(doc)).filter((v) => v.some((x) => x !== 0));
  log(
    `word2vec on ${path.basename(file)}: ${rows.length} of ${bags.docs.length} songs x ${dim} in ${((performance.now() - started) / 1000).toFixed(1)}s`,
  );
  const vectors = new Float32Array(rows.length * dim);
  rows.forEach((v, i) => vectors.set(v, i * dim));
  const n = Math.min(1000, rows.length);
  const selfIds = Array.from({ length: n }, (_, i) => Math.floor((i * rows.length) / n));
  const queries = new Float32Array(n * dim);
  selfIds.forEach((row, i) => queries.set(vectors.subarray(row * dim, (row + 1) * dim), i * dim));
  return {
    label: `lyrics-w2v-d${dim}`,
    dim,
    vectors,
    queries,
    selfIds,
    source: { file: path.basename(file), songs: bags.docs.length },
  };
}

/**
 * `npm run bench -- knn-large`: the knn benchmark at MSD catalogue size, 385 K generated clustered vectors at 64 and
 * 128 dims, with fewer timed queries (300; 30 for pgvector's sequential scan) and one LSH setting per hash family
 * (hyperplanes with the tuner's middle bits value, log2(count / 4); cross-polytopes with 2 hashes).
 */
import { clustered } from './lib/knn-datasets.mjs';
import { runKnn } from './knn.bench.mjs';

export { needs } from './knn.bench.mjs';

const COUNT = 385_000;

export function run() {
  return runKnn({
    name: 'knn-large',
    datasets: [() => clustered(COUNT, 64, 300), () => clustered(COUNT, 128, 300)],
    exactQueries: 30,
    lshSettings: (count) => [
      { family: 'hyperplane', bits: Math.round(Math.log2(count / 4)) },
      { family: 'cross-polytope', bits: 2 },
    ],
  });
}

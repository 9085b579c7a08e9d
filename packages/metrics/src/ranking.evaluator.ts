import { averagePrecisionAtK, ndcgAtK, precisionAtK, recallAtK } from './ranking.metrics';

export interface EvaluationOptions {
  /** Cut-offs for NDCG, precision and recall, e.g. [10, 50]. */
  k: number[];
  /** Catalogue size, for coverage and to validate returned ids. */
  numItems: number;
}

export interface EvaluationResult {
  /** Users evaluated (those with a non-empty test set). */
  users: number;
  ndcg: Record<number, number>;
  precision: Record<number, number>;
  recall: Record<number, number>;
  /** Mean AP@500, the MSD Challenge metric. */
  map500: number;
  /** Share of the catalogue that appears in at least one user's top max(k) list. */
  coverage: number;
}

const MAP_CUTOFF = 500;

/**
 * Averages the metrics over every test user. `recommend(user, n)` is called once per user with
 * n = max(max(k), 500) and must return item ids best first (it should leave out the user's training items).
 */
export function evaluateRanking(
  recommend: (user: number, k: number) => ArrayLike<number>,
  test: Map<number, Set<number>>,
  opts: EvaluationOptions,
): EvaluationResult {
  const { k: cutoffs, numItems } = opts;
  if (cutoffs.length === 0) throw new RangeError('k must list at least one cut-off');
  for (const k of cutoffs) {
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`every k must be a positive integer, got ${k}`);
  }
  if (!Number.isInteger(numItems) || numItems < 1) {
    throw new RangeError(`numItems must be a positive integer, got ${numItems}`);
  }
  const maxK = Math.max(...cutoffs);
  const depth = Math.max(maxK, MAP_CUTOFF);
  const sums = { ndcg: new Float64Array(cutoffs.length), precision: new Float64Array(cutoffs.length) };
  const recallSums = new Float64Array(cutoffs.length);
  let apSum = 0;
  let users = 0;
  const covered = new Uint8Array(numItems);

  const ordered = [...test.keys()].sort((a, b) => a - b);
  for (const user of ordered) {
    const relevant = test.get(user) as Set<number>;
    if (relevant.size === 0) continue;
    const ranked = recommend(user, depth);
    const top = Math.min(maxK, ranked.length);
    for (let i = 0; i < ranked.length; i++) {
      const id = ranked[i];
      if (!Number.isInteger(id) || id < 0 || id >= numItems) {
        throw new RangeError(
          `recommend(${user}) returned item ${id} outside [0, ${numItems}) at position ${i}`,
        );
      }
      if (i < top) covered[id] = 1;
    }
    cutoffs.forEach((k, c) => {
      sums.ndcg[c] += ndcgAtK(ranked, relevant, k);
      sums.precision[c] += precisionAtK(ranked, relevant, k);
      recallSums[c] += recallAtK(ranked, relevant, k);
    });
    apSum += averagePrecisionAtK(ranked, relevant, MAP_CUTOFF);
    users++;
  }

  const mean = (sum: number): number => (users === 0 ? 0 : sum / users);
  const result: EvaluationResult = {
    users,
    ndcg: {},
    precision: {},
    recall: {},
    map500: mean(apSum),
    coverage: 0,
  };
  cutoffs.forEach((k, c) => {
    result.ndcg[k] = mean(sums.ndcg[c]);
    result.precision[k] = mean(sums.precision[c]);
    result.recall[k] = mean(recallSums[c]);
  });
  result.coverage = covered.reduce((s, v) => s + v, 0) / numItems;
  return result;
}

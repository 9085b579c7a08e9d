import type { EvaluationSplit } from './evaluation.splits';
import { evaluateRanking, type EvaluationResult } from './ranking.evaluator';
import type { Recommender } from './recommender.types';

export interface RecommenderEvaluation extends EvaluationResult {
  /**
   * Mean popularity percentile of the recommended items (top max(k) per user): 1 means only the most played song,
   * about 0.5 a catalog-wide mix. High values say a model leans on popularity.
   */
  popularityBias: number;
}

/**
 * Scores a fitted recommender on a split: each test user is folded in from their `history` rows and ranks every
 * item outside that history. `numItems` is the model's catalog size.
 */
export function evaluateRecommender(
  model: Recommender,
  split: EvaluationSplit,
  opts: { k: number[]; maxUsers?: number },
): RecommenderEvaluation {
  const histories = groupByUser(split.history);
  const percentile = popularityPercentiles(split.train, model.numItems);
  const test = opts.maxUsers === undefined ? split.test : evenSample(split.test, opts.maxUsers);
  const maxK = Math.max(...opts.k);
  let biasSum = 0;
  let biasCount = 0;
  const result = evaluateRanking(
    (user, k) => {
      const rows = histories.get(user) ?? { items: [], counts: [] };
      const history = { items: Int32Array.from(rows.items), counts: Float32Array.from(rows.counts) };
      const folded = model.foldIn(history);
      const ranked = model.recommend(folded, k, folded.history.items).ids;
      for (let i = 0; i < Math.min(maxK, ranked.length); i++) {
        biasSum += percentile[ranked[i]];
        biasCount++;
      }
      return ranked;
    },
    test,
    { k: opts.k, numItems: model.numItems },
  );
  return { ...result, popularityBias: biasCount === 0 ? 0 : biasSum / biasCount };
}

/** An evenly spaced, deterministic sample of at most `max` test users (bounds evaluation time on big data). */
export function evenSample(test: Map<number, Set<number>>, max: number): Map<number, Set<number>> {
  if (!Number.isInteger(max) || max < 1)
    throw new RangeError(`maxUsers must be a positive integer, got ${max}`);
  if (test.size <= max) return test;
  const users = [...test.keys()].sort((a, b) => a - b);
  const step = users.length / max;
  const sample = new Map<number, Set<number>>();
  for (let i = 0; i < max; i++) {
    const user = users[Math.floor(i * step)];
    sample.set(user, test.get(user) as Set<number>);
  }
  return sample;
}

function groupByUser(data: EvaluationSplit['history']): Map<number, { items: number[]; counts: number[] }> {
  const byUser = new Map<number, { items: number[]; counts: number[] }>();
  for (let k = 0; k < data.users.length; k++) {
    let rows = byUser.get(data.users[k]);
    if (!rows) byUser.set(data.users[k], (rows = { items: [], counts: [] }));
    rows.items.push(data.items[k]);
    rows.counts.push(data.counts[k]);
  }
  return byUser;
}

/** Each item's share of items with strictly fewer training listeners, in [0, 1). */
function popularityPercentiles(train: EvaluationSplit['train'], numItems: number): Float64Array {
  const listeners = new Float64Array(numItems);
  const seen = new Set<number>();
  for (let k = 0; k < train.users.length; k++) {
    const key = train.users[k] * 2 ** 26 + train.items[k];
    if (train.items[k] >= numItems || seen.has(key)) continue;
    seen.add(key);
    listeners[train.items[k]]++;
  }
  const sorted = Float64Array.from(listeners).sort();
  return listeners.map((v) => lowerBound(sorted, v) / numItems);
}

function lowerBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

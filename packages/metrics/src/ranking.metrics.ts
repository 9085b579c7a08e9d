/**
 * Top-k ranking metrics with binary relevance. Every function throws on a bad k, and on a ranked list that
 * repeats an id within its first k entries (that would count a hit twice).
 */

export function precisionAtK(ranked: ArrayLike<number>, relevant: Set<number>, k: number): number {
  return hitsAtK(ranked, relevant, k) / k;
}

/** Hits / min(k, |relevant|), so a perfect list scores 1 even when |relevant| > k (Liang et al. 2018). */
export function recallAtK(ranked: ArrayLike<number>, relevant: Set<number>, k: number): number {
  return hitsAtK(ranked, relevant, k) / Math.min(k, nonEmpty(relevant));
}

/** DCG with gain 1/log2(rank + 1), over the ideal DCG of min(k, |relevant|) hits at the top. */
export function ndcgAtK(ranked: ArrayLike<number>, relevant: Set<number>, k: number): number {
  const ideal = Math.min(k, nonEmpty(relevant));
  const n = checkedLength(ranked, k);
  let dcg = 0;
  for (let i = 0; i < n; i++) if (relevant.has(ranked[i])) dcg += 1 / Math.log2(i + 2);
  let idcg = 0;
  for (let i = 0; i < ideal; i++) idcg += 1 / Math.log2(i + 2);
  return dcg / idcg;
}

/** MSD Challenge AP@k: (1 / min(k, |relevant|)) Σ_{i ≤ k} P@i · rel(i). */
export function averagePrecisionAtK(ranked: ArrayLike<number>, relevant: Set<number>, k: number): number {
  const denom = Math.min(k, nonEmpty(relevant));
  const n = checkedLength(ranked, k);
  let hits = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (relevant.has(ranked[i])) {
      hits++;
      sum += hits / (i + 1);
    }
  }
  return sum / denom;
}

function hitsAtK(ranked: ArrayLike<number>, relevant: Set<number>, k: number): number {
  const n = checkedLength(ranked, k);
  let hits = 0;
  for (let i = 0; i < n; i++) if (relevant.has(ranked[i])) hits++;
  return hits;
}

/** Validates k and the top-k prefix; returns how many ranked entries count (a short list is fine). */
function checkedLength(ranked: ArrayLike<number>, k: number): number {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  const n = Math.min(k, ranked.length);
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    if (seen.has(ranked[i])) throw new RangeError(`ranked list repeats id ${ranked[i]} at position ${i}`);
    seen.add(ranked[i]);
  }
  return n;
}

function nonEmpty(relevant: Set<number>): number {
  if (relevant.size === 0) throw new RangeError('relevant set is empty: the metric is undefined');
  return relevant.size;
}

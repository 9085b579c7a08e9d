import { TopK } from '@tunegraph/vectors';

/**
 * What every collaborative model (ALS, popularity, item-kNN, EASE, autoencoders) offers once trained, so the
 * evaluation harness and the collaborative service treat them alike. Items are dense indexes 0..numItems-1.
 */

/** Top-k items, best first, with their scores (same length). */
export interface Ranking {
  ids: Int32Array;
  scores: Float32Array;
}

/** A user's listening history: distinct item indexes and their play counts, same length. */
export interface History {
  items: Int32Array;
  counts: Float32Array;
}

/** The played item that contributed most to a recommendation, and by how much (model-specific units). */
export interface Explanation {
  item: number;
  contribution: number;
}

/** A user folded into a trained model: whatever the model needs to score (a vector, a score row), plus the history. */
export interface FoldedUser {
  readonly history: History;
}

export interface Recommender<U extends FoldedUser = FoldedUser> {
  /** The model kind, e.g. "als", "itemknn". */
  readonly kind: string;
  readonly numItems: number;
  /** Brings a history in without retraining (items outside [0, numItems) are an error). */
  foldIn(history: History): U;
  /** The k best items for the folded user, never one in `exclude` (typically the history). */
  recommend(user: U, k: number, exclude?: ArrayLike<number>): Ranking;
  /** The history item behind `item`'s score, or undefined when none contributed positively. */
  explain(user: U, item: number): Explanation | undefined;
  /** A self-contained binary form; each kind has a matching load function. */
  toBuffer(): Buffer;
}

/** Builds a History from parallel arrays, summing repeated items and checking every index against numItems. */
export function toHistory(items: ArrayLike<number>, counts: ArrayLike<number>, numItems: number): History {
  if (items.length !== counts.length) {
    throw new RangeError(`history: ${items.length} items but ${counts.length} counts`);
  }
  const sums = new Map<number, number>();
  for (let k = 0; k < items.length; k++) {
    const item = items[k];
    if (!Number.isInteger(item) || item < 0 || item >= numItems) {
      throw new RangeError(`history: item ${item} outside [0, ${numItems})`);
    }
    if (!(counts[k] > 0) || !Number.isFinite(counts[k])) {
      throw new RangeError(`history: item ${item} has count ${counts[k]}; counts must be finite and > 0`);
    }
    sums.set(item, (sums.get(item) ?? 0) + counts[k]);
  }
  const sorted = [...sums.keys()].sort((a, b) => a - b);
  return { items: Int32Array.from(sorted), counts: Float32Array.from(sorted, (i) => sums.get(i) as number) };
}

/** The k best of a dense score row (ties to the smaller index), skipping excluded items: the shared ranking step. */
export function topKOfScores(scores: ArrayLike<number>, k: number, exclude?: ArrayLike<number>): Ranking {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a non-negative integer, got ${k}`);
  const skip = new Uint8Array(scores.length);
  if (exclude !== undefined) for (let q = 0; q < exclude.length; q++) skip[exclude[q]] = 1;
  const top = new TopK(Math.min(k, scores.length));
  for (let i = 0; i < scores.length; i++) if (skip[i] === 0) top.push(i, scores[i]);
  return top.result();
}

import { SeededRandom } from '@tunegraph/vectors';
import { validateInteractions, type Interactions } from './interactions.types';

export interface HoldoutOptions {
  /** Share of each eligible user's distinct items moved to the test set, in (0, 1). */
  testFraction: number;
  seed: number;
  /** Users with fewer distinct items keep everything in train; default 2. */
  minItemsPerUser?: number;
}

/**
 * Per-user random holdout (as in Liang et al. 2018): each eligible user gives round(testFraction · n) of their
 * n distinct items to the test set, at least 1 and at most n - 1 so they stay in train too. Repeated
 * (user, item) rows move together, so an item is never on both sides. Train keeps the input row order.
 */
export function holdoutSplit(
  data: Interactions,
  opts: HoldoutOptions,
): { train: Interactions; test: Map<number, Set<number>> } {
  validateInteractions(data);
  const { testFraction, seed } = opts;
  const minItems = opts.minItemsPerUser ?? 2;
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new RangeError(`testFraction must be in (0, 1), got ${testFraction}`);
  }
  if (!Number.isInteger(minItems) || minItems < 2) {
    throw new RangeError(`minItemsPerUser must be an integer >= 2, got ${minItems}`);
  }

  const n = data.users.length;
  // Rows grouped by user, then by item, so each user's distinct items are contiguous.
  const order = Int32Array.from({ length: n }, (_, k) => k).sort(
    (a, b) => data.users[a] - data.users[b] || data.items[a] - data.items[b] || a - b,
  );
  const rng = new SeededRandom(seed);
  const inTest = new Uint8Array(n);
  const test = new Map<number, Set<number>>();
  const distinct = new Int32Array(n);

  for (let start = 0; start < n;) {
    const user = data.users[order[start]];
    let end = start;
    let count = 0;
    while (end < n && data.users[order[end]] === user) {
      if (end === start || data.items[order[end]] !== data.items[order[end - 1]]) distinct[count++] = end;
      end++;
    }
    if (count >= minItems) {
      const take = Math.min(count - 1, Math.max(1, Math.round(testFraction * count)));
      rng.shuffle(distinct, 0, count);
      const held = new Set<number>();
      for (let t = 0; t < take; t++) {
        const item = data.items[order[distinct[t]]];
        held.add(item);
        for (let q = distinct[t]; q < end && data.items[order[q]] === item; q++) inTest[order[q]] = 1;
      }
      test.set(user, held);
    }
    start = end;
  }

  const kept = n - inTest.reduce((s, v) => s + v, 0);
  const train: Interactions = {
    users: new Int32Array(kept),
    items: new Int32Array(kept),
    counts: new Float32Array(kept),
  };
  for (let k = 0, out = 0; k < n; k++) {
    if (inTest[k] === 1) continue;
    train.users[out] = data.users[k];
    train.items[out] = data.items[k];
    train.counts[out++] = data.counts[k];
  }
  return { train, test };
}

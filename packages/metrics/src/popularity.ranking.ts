import { validateInteractions, type Interactions } from './interactions.types';

/**
 * Every item 0..numItems-1 ordered by how many distinct users interacted with it (repeated rows count once),
 * most popular first; ties go to the smaller item id.
 */
export function popularityRanking(train: Interactions, numItems: number): Int32Array {
  validateInteractions(train);
  if (!Number.isInteger(numItems) || numItems < 0) {
    throw new RangeError(`numItems must be a non-negative integer, got ${numItems}`);
  }
  const n = train.items.length;
  const pairs = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const item = train.items[k];
    if (item >= numItems) throw new RangeError(`entry ${k}: item ${item} outside [0, ${numItems})`);
    pairs[k] = train.users[k] * numItems + item;
  }
  pairs.sort();
  const users = new Int32Array(numItems);
  for (let k = 0; k < n; k++) {
    if (k === 0 || pairs[k] !== pairs[k - 1]) users[pairs[k] % numItems]++;
  }
  return Int32Array.from({ length: numItems }, (_, i) => i).sort((a, b) => users[b] - users[a] || a - b);
}

import { TopK } from '@tunegraph/vectors';

/**
 * Best k catalog items of row `row` of a batch × vocabulary score matrix, skipping the row's own history slots
 * and any item `skip` rejects. Ties go to the smaller item.
 */
export function rankRow(
  scores: Float32Array,
  row: number,
  vocab: Int32Array,
  history: Int32Array,
  k: number,
  skip?: (item: number) => boolean,
): { ids: Int32Array; scores: Float32Array } {
  const V = vocab.length;
  const own = new Set(history);
  const top = new TopK(Math.min(k, V));
  for (let v = 0; v < V; v++) {
    const item = vocab[v];
    if (own.has(v) || (skip !== undefined && skip(item))) continue;
    top.push(item, scores[row * V + v]);
  }
  return top.result();
}

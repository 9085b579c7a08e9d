import { TopK } from './top-k.heap';
import { dot, rowCount } from './vector.ops';

export type Metric = 'cosine' | 'dot' | 'l2';

export interface KnnOptions {
  /** Default 'cosine'. */
  metric?: Metric;
  /** Rows for which this returns true are never returned. */
  exclude?: (id: number) => boolean;
  /** Precomputed Euclidean row norms (see computeRowNorms); only used by 'cosine', saves a pass per query. */
  rowNorms?: Float32Array;
}

/**
 * Brute-force k nearest rows of a row-major matrix. Scores are "higher is better" for every metric:
 * cosine similarity, inner product, or the negated Euclidean distance for 'l2'.
 * A zero row or zero query has cosine 0 with everything (instead of NaN).
 */
export function exactKnn(
  matrix: Float32Array,
  dim: number,
  query: Float32Array,
  k: number,
  opts: KnnOptions = {},
): { ids: Int32Array; scores: Float32Array } {
  const rows = rowCount(matrix, dim);
  if (query.length !== dim) throw new RangeError(`query length ${query.length} does not match dim ${dim}`);
  const metric = opts.metric ?? 'cosine';
  const exclude = opts.exclude;
  const top = new TopK(Math.min(k, rows));

  if (metric === 'dot') {
    for (let r = 0; r < rows; r++) {
      if (exclude !== undefined && exclude(r)) continue;
      top.push(r, dot(matrix, r * dim, query, 0, dim));
    }
  } else if (metric === 'cosine') {
    const norms = opts.rowNorms;
    if (norms !== undefined && norms.length !== rows) {
      throw new RangeError(`rowNorms length ${norms.length} does not match row count ${rows}`);
    }
    const queryNorm = Math.sqrt(dot(query, 0, query, 0, dim));
    for (let r = 0; r < rows; r++) {
      if (exclude !== undefined && exclude(r)) continue;
      const offset = r * dim;
      const rowNorm = norms !== undefined ? norms[r] : Math.sqrt(dot(matrix, offset, matrix, offset, dim));
      const denom = rowNorm * queryNorm;
      top.push(r, denom === 0 ? 0 : dot(matrix, offset, query, 0, dim) / denom);
    }
  } else if (metric === 'l2') {
    for (let r = 0; r < rows; r++) {
      if (exclude !== undefined && exclude(r)) continue;
      const offset = r * dim;
      let sum = 0;
      for (let i = 0; i < dim; i++) {
        const d = matrix[offset + i] - query[i];
        sum += d * d;
      }
      top.push(r, -Math.sqrt(sum));
    }
  } else {
    throw new RangeError(`unknown metric ${String(metric)}; expected 'cosine', 'dot' or 'l2'`);
  }
  return top.result();
}

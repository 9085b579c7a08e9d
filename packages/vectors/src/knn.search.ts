import { TopK } from './top-k.heap';
import { computeRowNorms, dot, rowCount } from './vector.ops';

export type Metric = 'cosine' | 'dot' | 'l2';

export interface KnnOptions {
  /** Default 'cosine'. */
  metric?: Metric;
  /** Rows for which this returns true are never returned (asked only of rows that would enter the top k). */
  exclude?: (id: number) => boolean;
  /** Precomputed Euclidean row norms (see computeRowNorms); only used by 'cosine', saves a pass per query. */
  rowNorms?: Float32Array;
}

export interface KnnResult {
  ids: Int32Array;
  scores: Float32Array;
}

/** Queries scanned together per pass over a tile of rows: each row loaded once feeds four dot products. */
const QUERY_BLOCK = 4;
/** Rows per tile in batched scans: 1,024 rows x 64 dims = 256 KB, so the tile stays in L2 across query blocks. */
const TILE_BYTES = 256 * 1024;

/**
 * Brute-force k nearest rows of a row-major matrix. Scores are "higher is better" for every metric:
 * cosine similarity, inner product, or the negated Euclidean distance for 'l2'.
 * A zero row or zero query has cosine 0 with everything (instead of NaN).
 *
 * One pass over the matrix with an 8-way unrolled dot product per row and no allocation per row: a row is
 * offered to the top-k heap only when it beats the current k-th score (threshold selection), so the heap and
 * `exclude` cost nothing for the great majority of rows.
 */
export function exactKnn(
  matrix: Float32Array,
  dim: number,
  query: Float32Array,
  k: number,
  opts: KnnOptions = {},
): KnnResult {
  return exactKnnBatch(matrix, dim, query, k, opts)[0];
}

/**
 * exactKnn for several queries (row-major in `queries`, a multiple of dim) in one pass over the matrix:
 * rows are taken in L2-sized tiles and each tile is scored against blocks of four queries at once, so the
 * matrix is read from memory once per call instead of once per query. Results are identical to exactKnn.
 */
export function exactKnnBatch(
  matrix: Float32Array,
  dim: number,
  queries: Float32Array,
  k: number,
  opts: KnnOptions = {},
): KnnResult[] {
  const rows = rowCount(matrix, dim);
  if (queries.length === 0 || queries.length % dim !== 0) {
    throw new RangeError(`query length ${queries.length} does not match dim ${dim}`);
  }
  const metric = opts.metric ?? 'cosine';
  if (metric !== 'cosine' && metric !== 'dot' && metric !== 'l2') {
    throw new RangeError(`unknown metric ${String(metric)}; expected 'cosine', 'dot' or 'l2'`);
  }
  const norms = metric === 'cosine' ? (opts.rowNorms ?? computeRowNorms(matrix, dim)) : undefined;
  if (norms !== undefined && norms.length !== rows) {
    throw new RangeError(`rowNorms length ${norms.length} does not match row count ${rows}`);
  }
  const count = queries.length / dim;
  const tops = Array.from({ length: count }, () => new TopK(Math.min(k, rows)));
  if (metric === 'l2') {
    for (let q = 0; q < count; q++) l2Scan(matrix, dim, rows, queries, q * dim, tops[q], opts.exclude);
    return tops.map((top) => top.result());
  }
  // Cosine divides each dot product by (row norm x query norm); a zero norm scores 0.
  const queryNorms = new Float64Array(count);
  for (let q = 0; q < count; q++) queryNorms[q] = Math.sqrt(dot(queries, q * dim, queries, q * dim, dim));
  const tileRows = Math.max(1, Math.floor(TILE_BYTES / (4 * dim)));
  for (let start = 0; start < rows; start += tileRows) {
    const end = Math.min(rows, start + tileRows);
    let q = 0;
    for (; q + QUERY_BLOCK <= count; q += QUERY_BLOCK) {
      dotScan4(matrix, dim, start, end, queries, q, tops, norms, queryNorms, opts.exclude);
    }
    for (; q < count; q++)
      dotScan1(matrix, dim, start, end, queries, q, tops[q], norms, queryNorms[q], opts.exclude);
  }
  return tops.map((top) => top.result());
}

/** Scores rows [start, end) against query q, offering only rows that beat the current k-th score. */
function dotScan1(
  m: Float32Array,
  dim: number,
  start: number,
  end: number,
  queries: Float32Array,
  q: number,
  top: TopK,
  norms: Float32Array | undefined,
  queryNorm: number,
  exclude: ((id: number) => boolean) | undefined,
): void {
  const qo = q * dim;
  const end8 = dim - (dim & 7);
  for (let r = start, o = start * dim; r < end; r++, o += dim) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let s5 = 0;
    let s6 = 0;
    let s7 = 0;
    let i = 0;
    for (; i < end8; i += 8) {
      const p = o + i;
      const x = qo + i;
      s0 += m[p] * queries[x];
      s1 += m[p + 1] * queries[x + 1];
      s2 += m[p + 2] * queries[x + 2];
      s3 += m[p + 3] * queries[x + 3];
      s4 += m[p + 4] * queries[x + 4];
      s5 += m[p + 5] * queries[x + 5];
      s6 += m[p + 6] * queries[x + 6];
      s7 += m[p + 7] * queries[x + 7];
    }
    for (; i < dim; i++) s0 += m[o + i] * queries[qo + i];
    offer(top, r, s0 + s1 + (s2 + s3) + (s4 + s5 + (s6 + s7)), norms, queryNorm, exclude);
  }
}

/** dotScan1 for queries q..q+3 at once: each matrix element is loaded once for four multiply-adds. */
function dotScan4(
  m: Float32Array,
  dim: number,
  start: number,
  end: number,
  queries: Float32Array,
  q: number,
  tops: TopK[],
  norms: Float32Array | undefined,
  queryNorms: Float64Array,
  exclude: ((id: number) => boolean) | undefined,
): void {
  const a = q * dim;
  const b = a + dim;
  const c = b + dim;
  const d = c + dim;
  for (let r = start, o = start * dim; r < end; r++, o += dim) {
    let sa0 = 0;
    let sa1 = 0;
    let sb0 = 0;
    let sb1 = 0;
    let sc0 = 0;
    let sc1 = 0;
    let sd0 = 0;
    let sd1 = 0;
    let i = 0;
    for (; i + 1 < dim; i += 2) {
      const x0 = m[o + i];
      const x1 = m[o + i + 1];
      sa0 += x0 * queries[a + i];
      sa1 += x1 * queries[a + i + 1];
      sb0 += x0 * queries[b + i];
      sb1 += x1 * queries[b + i + 1];
      sc0 += x0 * queries[c + i];
      sc1 += x1 * queries[c + i + 1];
      sd0 += x0 * queries[d + i];
      sd1 += x1 * queries[d + i + 1];
    }
    if (i < dim) {
      const x = m[o + i];
      sa0 += x * queries[a + i];
      sb0 += x * queries[b + i];
      sc0 += x * queries[c + i];
      sd0 += x * queries[d + i];
    }
    offer(tops[q], r, sa0 + sa1, norms, queryNorms[q], exclude);
    offer(tops[q + 1], r, sb0 + sb1, norms, queryNorms[q + 1], exclude);
    offer(tops[q + 2], r, sc0 + sc1, norms, queryNorms[q + 2], exclude);
    offer(tops[q + 3], r, sd0 + sd1, norms, queryNorms[q + 3], exclude);
  }
}

function l2Scan(
  m: Float32Array,
  dim: number,
  rows: number,
  queries: Float32Array,
  qo: number,
  top: TopK,
  exclude: ((id: number) => boolean) | undefined,
): void {
  for (let r = 0, o = 0; r < rows; r++, o += dim) {
    let sum = 0;
    for (let i = 0; i < dim; i++) {
      const diff = m[o + i] - queries[qo + i];
      sum += diff * diff;
    }
    offer(top, r, -Math.sqrt(sum), undefined, 1, exclude);
  }
}

/**
 * Offers row r to `top` when its score beats the current k-th (so the heap and `exclude` are skipped for most rows);
 * with norms, `score` is an inner product turned into a cosine here, and a zero norm scores 0.
 */
function offer(
  top: TopK,
  r: number,
  score: number,
  norms: Float32Array | undefined,
  queryNorm: number,
  exclude: ((id: number) => boolean) | undefined,
): void {
  if (norms !== undefined) {
    const denom = norms[r] * queryNorm;
    score = denom === 0 ? 0 : score / denom;
  }
  if (score > top.threshold || top.length < top.capacity) {
    if (exclude !== undefined && exclude(r)) return;
    top.push(r, score);
  }
}

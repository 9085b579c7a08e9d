import { TopK } from './top-k.heap';
import { queryScales, VectorTable, type KnnResult, type ScanMetric, type ScanOptions } from './vector.table';
import { rowCount } from './vector.ops';

export type Metric = ScanMetric | 'l2';

export interface KnnOptions extends Omit<ScanOptions, 'metric'> {
  /** Default 'cosine'. */
  metric?: Metric;
}

/** Rows streamed through the per-thread scan table at a time: 1 MB of 64-dim rows stays in L2. */
const TILE_FLOATS = 256 * 1024;

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
): KnnResult {
  return exactKnnBatch(matrix, dim, query, k, opts)[0];
}

/**
 * exactKnn for several queries (row-major in `queries`, a multiple of dim) in one pass over the matrix.
 * Cosine and inner product stream the matrix in tiles through this thread's VectorTable and its SIMD kernels
 * (inner products summed in float32 lanes, as BLAS sdot does); a matrix searched repeatedly is faster in a
 * VectorTable of its own, which skips the copy.
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
  const count = queries.length / dim;
  const tops = Array.from({ length: count }, () => new TopK(Math.min(k, rows)));
  if (metric === 'l2') {
    for (let q = 0; q < count; q++) l2Scan(matrix, dim, rows, queries, q * dim, tops[q], opts.exclude);
    return tops.map((top) => top.result());
  }
  const scales = queryScales(queries, dim, metric);
  const table = scanTable(dim);
  for (let start = 0; start < rows; start += table.capacity) {
    const end = Math.min(rows, start + table.capacity);
    table.load(matrix, start, end);
    table.offerAll(queries, scales, tops, start, { ...opts, metric });
  }
  return tops.map((top) => top.result());
}

const scanTables = new Map<number, VectorTable>();

/** This thread's tile-sized table for rows of `dim` floats. */
function scanTable(dim: number): VectorTable {
  let table = scanTables.get(dim);
  if (table === undefined) {
    table = new VectorTable(Math.max(4, Math.floor(TILE_FLOATS / dim)), dim);
    scanTables.set(dim, table);
  }
  return table;
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
    const score = -Math.sqrt(sum);
    if (score > top.threshold || top.length < top.capacity) {
      if (exclude !== undefined && exclude(r)) continue;
      top.push(r, score);
    }
  }
}

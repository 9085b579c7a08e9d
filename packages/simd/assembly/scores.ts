import { dot4, hsum } from './lanes';

// The exact-scan kernels of @tunegraph/vectors: inner products of many matrix rows with one or four queries,
// keeping only the rows that beat a threshold (the current k-th best score of each query), so the caller's
// top-k only ever sees candidates. `dim` is a multiple of 4 (rows are zero-padded); matrix rows are packed with
// that stride. A score is row · query, times invNorms[r] when invNorms is not 0 (cosine), times scale.

/** Rows of one query: writes ids (row numbers) and scores of rows scoring above `threshold`; returns their count. */
export function scanAbove(
  matrix: usize,
  rows: i32,
  dim: i32,
  query: usize,
  invNorms: usize,
  scale: f32,
  threshold: f32,
  ids: usize,
  scores: usize,
): i32 {
  const stride = (<usize>dim) << 2;
  const pairs = stride & ~31;
  let found = 0;
  let m = matrix;
  // One row at a time: a single sequential stream is what the hardware prefetcher follows best, and a large
  // matrix is read at memory speed (blocking four rows measured 40% slower there).
  for (let r = 0; r < rows; r++) {
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let i: usize = 0;
    for (; i < pairs; i += 32) {
      a0 = f32x4.add(a0, f32x4.mul(v128.load(m + i), v128.load(query + i)));
      a1 = f32x4.add(a1, f32x4.mul(v128.load(m + i, 16), v128.load(query + i, 16)));
    }
    if (i < stride) a0 = f32x4.add(a0, f32x4.mul(v128.load(m + i), v128.load(query + i)));
    found = keep(r, hsum(f32x4.add(a0, a1)), invNorms, scale, threshold, ids, scores, found);
    m += stride;
  }
  return found;
}

/**
 * scanAbove for four queries packed at `queries`, each row loaded once for all four. scales and thresholds are
 * four floats each; query j writes its candidates at ids/scores + j·rows·4 and their count to counts[j].
 * Each row sums its lanes in the same order as scanAbove, so both give bit-identical scores.
 */
export function scanAbove4(
  matrix: usize,
  rows: i32,
  dim: i32,
  queries: usize,
  invNorms: usize,
  scales: usize,
  thresholds: usize,
  ids: usize,
  scores: usize,
  counts: usize,
): void {
  const stride = (<usize>dim) << 2;
  const lane = (<usize>rows) << 2;
  const qb = queries + stride;
  const qc = qb + stride;
  const qd = qc + stride;
  const sa = load<f32>(scales);
  const sb = load<f32>(scales, 4);
  const sc = load<f32>(scales, 8);
  const sd = load<f32>(scales, 12);
  const ta = load<f32>(thresholds);
  const tb = load<f32>(thresholds, 4);
  const tc = load<f32>(thresholds, 8);
  const td = load<f32>(thresholds, 12);
  let fa = 0;
  let fb = 0;
  let fc = 0;
  let fd = 0;
  let m = matrix;
  for (let r = 0; r < rows; r++) {
    const s = dot4(queries, qb, qc, qd, m, dim);
    fa = keep(r, f32x4.extract_lane(s, 0), invNorms, sa, ta, ids, scores, fa);
    fb = keep(r, f32x4.extract_lane(s, 1), invNorms, sb, tb, ids + lane, scores + lane, fb);
    fc = keep(r, f32x4.extract_lane(s, 2), invNorms, sc, tc, ids + 2 * lane, scores + 2 * lane, fc);
    fd = keep(r, f32x4.extract_lane(s, 3), invNorms, sd, td, ids + 3 * lane, scores + 3 * lane, fd);
    m += stride;
  }
  store<i32>(counts, fa);
  store<i32>(counts, fb, 4);
  store<i32>(counts, fc, 8);
  store<i32>(counts, fd, 12);
}

/** Appends row r to the candidates when its score beats the threshold; returns the new count. */
@inline
function keep(
  r: i32,
  dotProduct: f32,
  invNorms: usize,
  scale: f32,
  threshold: f32,
  ids: usize,
  scores: usize,
  found: i32,
): i32 {
  let s = dotProduct * scale;
  if (invNorms != 0) s *= load<f32>(invNorms + ((<usize>r) << 2));
  if (s > threshold) {
    store<i32>(ids + ((<usize>found) << 2), r);
    store<f32>(scores + ((<usize>found) << 2), s);
    return found + 1;
  }
  return found;
}

/** out[r] = 1 / |row r|, or 0 for an all-zero row (so its cosine with anything is 0, not NaN). */
export function inverseNorms(matrix: usize, rows: i32, dim: i32, out: usize): void {
  const stride = (<usize>dim) << 2;
  let m = matrix;
  for (let r = 0; r < rows; r++) {
    let a = f32x4.splat(0);
    for (let i: usize = 0; i < stride; i += 16) {
      const x = v128.load(m + i);
      a = f32x4.add(a, f32x4.mul(x, x));
    }
    const norm = Mathf.sqrt(hsum(a));
    store<f32>(out + ((<usize>r) << 2), norm > 0 ? 1 / norm : 0);
    m += stride;
  }
}

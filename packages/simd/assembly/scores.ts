import { hsum } from './lanes';

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
  let found = 0;
  let m = matrix;
  let r = 0;
  // Four rows per pass, so each query load feeds four multiply-adds.
  for (; r + 3 < rows; r += 4) {
    const mb = m + stride;
    const mc = mb + stride;
    const md = mc + stride;
    let a = f32x4.splat(0);
    let b = f32x4.splat(0);
    let c = f32x4.splat(0);
    let d = f32x4.splat(0);
    for (let i: usize = 0; i < stride; i += 16) {
      const x = v128.load(query + i);
      a = f32x4.add(a, f32x4.mul(v128.load(m + i), x));
      b = f32x4.add(b, f32x4.mul(v128.load(mb + i), x));
      c = f32x4.add(c, f32x4.mul(v128.load(mc + i), x));
      d = f32x4.add(d, f32x4.mul(v128.load(md + i), x));
    }
    found = keep(r, hsum(a), invNorms, scale, threshold, ids, scores, found);
    found = keep(r + 1, hsum(b), invNorms, scale, threshold, ids, scores, found);
    found = keep(r + 2, hsum(c), invNorms, scale, threshold, ids, scores, found);
    found = keep(r + 3, hsum(d), invNorms, scale, threshold, ids, scores, found);
    m = md + stride;
  }
  for (; r < rows; r++) {
    let a = f32x4.splat(0);
    for (let i: usize = 0; i < stride; i += 16) a = f32x4.add(a, f32x4.mul(v128.load(m + i), v128.load(query + i)));
    found = keep(r, hsum(a), invNorms, scale, threshold, ids, scores, found);
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
    let a = f32x4.splat(0);
    let b = f32x4.splat(0);
    let c = f32x4.splat(0);
    let d = f32x4.splat(0);
    for (let i: usize = 0; i < stride; i += 16) {
      const x = v128.load(m + i);
      a = f32x4.add(a, f32x4.mul(x, v128.load(queries + i)));
      b = f32x4.add(b, f32x4.mul(x, v128.load(qb + i)));
      c = f32x4.add(c, f32x4.mul(x, v128.load(qc + i)));
      d = f32x4.add(d, f32x4.mul(x, v128.load(qd + i)));
    }
    fa = keep(r, hsum(a), invNorms, sa, ta, ids, scores, fa);
    fb = keep(r, hsum(b), invNorms, sb, tb, ids + lane, scores + lane, fb);
    fc = keep(r, hsum(c), invNorms, sc, tc, ids + 2 * lane, scores + 2 * lane, fc);
    fd = keep(r, hsum(d), invNorms, sd, td, ids + 3 * lane, scores + 3 * lane, fd);
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

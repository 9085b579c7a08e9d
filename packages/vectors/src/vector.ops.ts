/**
 * Dot product of `dim` floats starting at `aOffset` in `a` and `bOffset` in `b`.
 * Four independent accumulators break the add dependency chain so V8 can overlap the multiplies;
 * no bounds checks here because it sits in every hot loop (callers validate shapes once).
 */
export function dot(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, dim: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const end4 = dim - (dim & 3);
  let i = 0;
  for (; i < end4; i += 4) {
    s0 += a[aOffset + i] * b[bOffset + i];
    s1 += a[aOffset + i + 1] * b[bOffset + i + 1];
    s2 += a[aOffset + i + 2] * b[bOffset + i + 2];
    s3 += a[aOffset + i + 3] * b[bOffset + i + 3];
  }
  for (; i < dim; i++) s0 += a[aOffset + i] * b[bOffset + i];
  return s0 + s1 + s2 + s3;
}

/** Cosine similarity of two equal-length vectors; 0 when either is all zeros (instead of NaN). */
export function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError(`vector lengths differ: ${a.length} and ${b.length}`);
  const n = a.length;
  const denom = Math.sqrt(dot(a, 0, a, 0, n) * dot(b, 0, b, 0, n));
  return denom === 0 ? 0 : dot(a, 0, b, 0, n) / denom;
}

/** Throws unless `matrix` is a whole number of rows of width `dim`; returns the row count. */
export function rowCount(matrix: Float32Array, dim: number): number {
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`dim must be a positive integer, got ${dim}`);
  if (matrix.length % dim !== 0) {
    throw new RangeError(`matrix length ${matrix.length} is not a multiple of dim ${dim}`);
  }
  return matrix.length / dim;
}

/** Euclidean norm of every row of a row-major matrix. */
export function computeRowNorms(matrix: Float32Array, dim: number): Float32Array {
  const rows = rowCount(matrix, dim);
  const norms = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const offset = r * dim;
    norms[r] = Math.sqrt(dot(matrix, offset, matrix, offset, dim));
  }
  return norms;
}

/** Scales every row to unit length in place; all-zero rows stay zero rather than becoming NaN. */
export function normalizeRows(matrix: Float32Array, dim: number): void {
  const rows = rowCount(matrix, dim);
  for (let r = 0; r < rows; r++) {
    const offset = r * dim;
    const norm = Math.sqrt(dot(matrix, offset, matrix, offset, dim));
    if (norm === 0) continue;
    const inv = 1 / norm;
    for (let i = 0; i < dim; i++) matrix[offset + i] *= inv;
  }
}

/**
 * Copies numbers into a new Float32Array. Rejects values that are not finite or that overflow float32,
 * because a NaN/Infinity inside a factor matrix silently poisons every score computed from it.
 */
export function toFloat32(values: ArrayLike<number>): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v;
    if (!Number.isFinite(out[i])) {
      throw new RangeError(`value at index ${i} is not a finite float32: ${v}`);
    }
  }
  return out;
}

/**
 * Rows per Gram block. Partial sums are always taken over these fixed blocks and added in block order,
 * so the Gram matrix (and hence training) is bit-identical however many threads compute the blocks.
 */
export const GRAM_BLOCK_ROWS = 4096;

/** Adds Σ yᵀy over rows [start, end) of `m` into the upper triangle of `out` (f × f, row-major). */
export function accumulateGram(
  m: Float32Array,
  start: number,
  end: number,
  f: number,
  out: Float64Array,
): void {
  for (let r = start; r < end; r++) {
    const o = r * f;
    for (let a = 0; a < f; a++) {
      const ya = m[o + a];
      if (ya === 0) continue;
      const go = a * f;
      for (let b = a; b < f; b++) out[go + b] += ya * m[o + b];
    }
  }
}

/** Sums per-block partial Gram upper triangles (in block order), mirrors them and adds λ to the diagonal. */
export function finishGram(
  partials: Float64Array,
  blocks: number,
  f: number,
  lambda: number,
  out: Float64Array,
): void {
  const size = f * f;
  out.fill(0);
  for (let k = 0; k < blocks; k++) {
    const po = k * size;
    for (let i = 0; i < size; i++) out[i] += partials[po + i];
  }
  for (let a = 0; a < f; a++) {
    out[a * f + a] += lambda;
    for (let b = a + 1; b < f; b++) out[b * f + a] = out[a * f + b];
  }
}

/** mᵀm + λI computed on the calling thread with the same blocking as the multi-threaded path. */
export function computeGram(
  m: Float32Array,
  rows: number,
  f: number,
  lambda: number,
  out: Float64Array,
): void {
  const blocks = Math.max(1, Math.ceil(rows / GRAM_BLOCK_ROWS));
  const partials = new Float64Array(blocks * f * f);
  for (let k = 0; k < blocks; k++) {
    const start = k * GRAM_BLOCK_ROWS;
    accumulateGram(
      m,
      start,
      Math.min(rows, start + GRAM_BLOCK_ROWS),
      f,
      partials.subarray(k * f * f, (k + 1) * f * f),
    );
  }
  finishGram(partials, blocks, f, lambda, out);
}

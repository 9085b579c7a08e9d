import { instantiateKernels, WasmHeap, type Kernels } from '@tunegraph/simd';

/**
 * Rows per Gram block. Partial sums are always taken over these fixed blocks and added in block order,
 * so the Gram matrix (and hence training) is bit-identical however many threads compute the blocks.
 */
export const GRAM_BLOCK_ROWS = 4096;

export function gramBlockCount(rows: number): number {
  return Math.max(1, Math.ceil(rows / GRAM_BLOCK_ROWS));
}

/**
 * Writes Σ yᵀy over the rows of block `k` of `m` into the upper triangle of partial `k` (f × f each), by the
 * gramBlock SIMD kernel: `m`, `partials` and `tmp` (f × f floats) must live in the kernels' memory.
 */
export function computeGramBlock(
  kernels: Kernels,
  m: Float32Array,
  rows: number,
  f: number,
  k: number,
  partials: Float64Array,
  tmp: Float32Array,
): void {
  const start = k * GRAM_BLOCK_ROWS;
  const count = Math.min(rows, start + GRAM_BLOCK_ROWS) - start;
  kernels.gramBlock(
    m.byteOffset + 4 * start * f,
    count,
    f,
    partials.byteOffset + 8 * k * f * f,
    tmp.byteOffset,
  );
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

/**
 * mᵀm + λI for any row-major matrix, blocked exactly like training: `m` is copied into a WebAssembly memory of
 * its own for the kernel (once per call; models cache the result).
 */
export function computeGram(
  m: Float32Array,
  rows: number,
  f: number,
  lambda: number,
  out: Float64Array,
): void {
  const blocks = gramBlockCount(rows);
  const heap = new WasmHeap(4 * (rows * f + f * f) + 8 * blocks * f * f + 1024);
  const kernels = instantiateKernels(heap.memory);
  const copy = heap.float32(rows * f);
  copy.set(m.subarray(0, rows * f));
  const partials = heap.float64(blocks * f * f);
  const tmp = heap.float32(f * f);
  for (let k = 0; k < blocks; k++) computeGramBlock(kernels, copy, rows, f, k, partials, tmp);
  finishGram(partials, blocks, f, lambda, out);
}

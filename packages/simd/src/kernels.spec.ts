import { describe, expect, it } from 'vitest';
import { instantiateKernels } from './kernels';
import { WasmHeap } from './wasm-heap';

function setup() {
  const heap = new WasmHeap();
  return { heap, kernels: instantiateKernels(heap.memory) };
}

/** Deterministic values in [-1, 1) without any dependency. */
function fill(view: Float32Array, seed: number): void {
  let s = seed;
  for (let i = 0; i < view.length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    view[i] = s / 1073741824 - 1;
  }
}

function dotRef(a: Float32Array, ao: number, b: Float32Array, bo: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[ao + i] * b[bo + i];
  return s;
}

describe('scan kernels', () => {
  const rows = 23; // five passes of four rows and a tail of three
  const dim = 12;

  it('scanAbove keeps exactly the rows whose scaled score beats the threshold, in row order', () => {
    const { heap, kernels } = setup();
    const m = heap.float32(rows * dim);
    const q = heap.float32(dim);
    const ids = heap.int32(rows);
    const scores = heap.float32(rows);
    fill(m, 1);
    fill(q, 2);
    const found = kernels.scanAbove(
      m.byteOffset,
      rows,
      dim,
      q.byteOffset,
      0,
      2,
      0.5,
      ids.byteOffset,
      scores.byteOffset,
    );
    const expected = Array.from({ length: rows }, (_, r) => r).filter(
      (r) => 2 * dotRef(m, r * dim, q, 0, dim) > 0.5,
    );
    expect(expected.length).toBeGreaterThan(2);
    expect(Array.from(ids.subarray(0, found))).toEqual(expected);
    expected.forEach((r, c) => expect(scores[c]).toBeCloseTo(2 * dotRef(m, r * dim, q, 0, dim), 5));
  });

  it('scanAbove4 gives each of four queries the same candidates and scores as scanAbove', () => {
    const { heap, kernels } = setup();
    const m = heap.float32(rows * dim);
    const qs = heap.float32(4 * dim);
    const invNorms = heap.float32(rows);
    const scales = heap.float32(4);
    const thresholds = heap.float32(4);
    const ids = heap.int32(4 * rows);
    const scores = heap.float32(4 * rows);
    const counts = heap.int32(4);
    const oneIds = heap.int32(rows);
    const oneScores = heap.float32(rows);
    fill(m, 3);
    fill(qs, 4);
    kernels.inverseNorms(m.byteOffset, rows, dim, invNorms.byteOffset);
    scales.set([1, 0.5, 2, 1]);
    thresholds.set([-Infinity, 0, 0.1, 0.3]);
    kernels.scanAbove4(
      m.byteOffset,
      rows,
      dim,
      qs.byteOffset,
      invNorms.byteOffset,
      scales.byteOffset,
      thresholds.byteOffset,
      ids.byteOffset,
      scores.byteOffset,
      counts.byteOffset,
    );
    expect(counts[0]).toBe(rows);
    for (let j = 0; j < 4; j++) {
      const found = kernels.scanAbove(
        m.byteOffset,
        rows,
        dim,
        qs.byteOffset + 4 * j * dim,
        invNorms.byteOffset,
        scales[j],
        thresholds[j],
        oneIds.byteOffset,
        oneScores.byteOffset,
      );
      expect(counts[j]).toBe(found);
      expect(ids.subarray(j * rows, j * rows + found)).toEqual(oneIds.subarray(0, found));
      expect(scores.subarray(j * rows, j * rows + found)).toEqual(oneScores.subarray(0, found));
    }
  });

  it('inverseNorms gives 1/|row|, and 0 for a zero row', () => {
    const { heap, kernels } = setup();
    const m = heap.float32(3 * 4);
    m.set([3, 4, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
    const out = heap.float32(3);
    kernels.inverseNorms(m.byteOffset, 3, 4, out.byteOffset);
    expect(Array.from(out)).toEqual([0.2, 0, 0.5].map(Math.fround));
  });
});

describe('WasmHeap', () => {
  it('hands out aligned, disjoint views that stay valid when the memory grows', () => {
    const heap = new WasmHeap();
    const first = heap.float32(3);
    first.set([1, 2, 3]);
    const big = heap.float64(100_000); // grows the memory past its first page
    const after = heap.int32(5);
    expect(first.byteOffset % 16).toBe(0);
    expect(big.byteOffset % 16).toBe(0);
    expect(after.byteOffset).toBeGreaterThanOrEqual(big.byteOffset + big.byteLength);
    expect(Array.from(first)).toEqual([1, 2, 3]);
    expect(heap.memory.buffer.byteLength).toBeGreaterThanOrEqual(heap.used);
  });

  it('refuses more than wasm32 can address', () => {
    expect(() => new WasmHeap().alloc(5 * 2 ** 30)).toThrow(/exceed 4 GiB/);
    expect(() => new WasmHeap().alloc(-1)).toThrow(/cannot allocate/);
  });
});

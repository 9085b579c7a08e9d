import { instantiateKernels, WasmHeap, type Kernels } from '@tunegraph/simd';
import { TopK } from './top-k.heap';
import { dot, rowCount } from './vector.ops';

export type ScanMetric = 'cosine' | 'dot';

export interface ScanOptions {
  /** Default 'cosine'. */
  metric?: ScanMetric;
  /** Rows for which this returns true are never returned (asked only of rows that would enter the top k). */
  exclude?: (id: number) => boolean;
}

export interface KnnResult {
  ids: Int32Array;
  scores: Float32Array;
}

/** Queries scored together: each row loaded once feeds four of them. */
const BLOCK = 4;
/** Rows per kernel call: between calls each query's threshold rises to its current k-th best score. */
const CHUNK = 4096;
/**
 * The first call's rows: with no threshold yet, every one of them goes to the JavaScript top-k, so it is kept short
 * (about a tenth of the scan time on a 9 K-row catalogue went there at 4,096).
 */
const FIRST_CHUNK = 256;

/**
 * Rows of `dim` floats held in their own WebAssembly memory, so the SIMD kernels of @tunegraph/simd scan them
 * in place: exact k-nearest-neighbour search by inner product or cosine. Only rows that beat a query's current
 * k-th best score ever leave the kernel, so the top-k heap and `exclude` cost nothing for most rows. Build one
 * per matrix that is searched repeatedly (VectorTable.from); exactKnn streams other matrices through a small
 * table of its own.
 */
export class VectorTable {
  /** Row stride in floats: dim rounded up to the kernels' four lanes, the padding zero. */
  private readonly stride: number;
  private readonly kernels: Kernels;
  private readonly data: Float32Array;
  private readonly invNorms: Float32Array;
  private readonly queryBlock: Float32Array;
  private readonly scales: Float32Array;
  private readonly thresholds: Float32Array;
  private readonly counts: Int32Array;
  private readonly ids: Int32Array;
  private readonly scores: Float32Array;
  private loaded = 0;
  private normsKnown = false;

  constructor(
    readonly capacity: number,
    readonly dim: number,
  ) {
    if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`dim must be a positive integer, got ${dim}`);
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`capacity must be an integer >= 0`);
    this.stride = Math.ceil(dim / 4) * 4;
    const chunk = Math.min(CHUNK, Math.max(capacity, 1));
    const heap = new WasmHeap(
      4 * (capacity * (this.stride + 1) + BLOCK * (this.stride + 3 + 2 * chunk)) + 1024,
    );
    this.kernels = instantiateKernels(heap.memory);
    this.data = heap.float32(capacity * this.stride);
    this.invNorms = heap.float32(capacity);
    this.queryBlock = heap.float32(BLOCK * this.stride);
    this.scales = heap.float32(BLOCK);
    this.thresholds = heap.float32(BLOCK);
    this.counts = heap.int32(BLOCK);
    this.ids = heap.int32(BLOCK * chunk);
    this.scores = heap.float32(BLOCK * chunk);
  }

  /** A table holding every row of the row-major `matrix`. */
  static from(matrix: Float32Array, dim: number): VectorTable {
    const table = new VectorTable(rowCount(matrix, dim), dim);
    table.load(matrix, 0, table.capacity);
    return table;
  }

  /** How many rows the table holds. */
  get rows(): number {
    return this.loaded;
  }

  /** Replaces the table's rows with rows [start, end) of the row-major `matrix` (at most `capacity` of them). */
  load(matrix: Float32Array, start: number, end: number): void {
    const count = end - start;
    if (count < 0 || count > this.capacity)
      throw new RangeError(`cannot load ${count} rows into ${this.capacity}`);
    const { dim, stride, data } = this;
    if (stride === dim) {
      data.set(matrix.subarray(start * dim, end * dim));
    } else {
      for (let r = start, o = 0; r < end; r++, o += stride)
        data.set(matrix.subarray(r * dim, (r + 1) * dim), o);
    }
    this.loaded = count;
    this.normsKnown = false;
  }

  /** The k best rows for each query (row-major in `queries`); see exactKnnBatch for the scores. */
  knnBatch(queries: Float32Array, k: number, opts: ScanOptions = {}): KnnResult[] {
    const count = this.queryCount(queries);
    const tops = Array.from({ length: count }, () => new TopK(Math.min(k, this.loaded)));
    this.offerAll(queries, queryScales(queries, this.dim, opts.metric ?? 'cosine'), tops, 0, opts);
    return tops.map((top) => top.result());
  }

  /**
   * Offers every row, numbered from `firstId`, to each query's `tops` (whose thresholds only rise); `scales`
   * is each query's factor on its scores (see queryScales).
   */
  offerAll(
    queries: Float32Array,
    scales: Float32Array,
    tops: TopK[],
    firstId: number,
    opts: ScanOptions,
  ): void {
    const count = this.queryCount(queries);
    const cosine = (opts.metric ?? 'cosine') === 'cosine';
    if (cosine && !this.normsKnown) {
      this.kernels.inverseNorms(this.data.byteOffset, this.loaded, this.stride, this.invNorms.byteOffset);
      this.normsKnown = true;
    }
    const rowBytes = 4 * this.stride;
    for (let start = 0, n = 0; start < this.loaded; start += n) {
      n = Math.min(start === 0 ? FIRST_CHUNK : CHUNK, this.loaded - start);
      const matrix = this.data.byteOffset + start * rowBytes;
      const invNorms = cosine ? this.invNorms.byteOffset + 4 * start : 0;
      let q = 0;
      for (; q + BLOCK <= count; q += BLOCK) {
        for (let j = 0; j < BLOCK; j++) {
          this.setQuery(j, queries, q + j);
          this.scales[j] = scales[q + j];
          this.thresholds[j] = tops[q + j].threshold;
        }
        this.kernels.scanAbove4(
          matrix,
          n,
          this.stride,
          this.queryBlock.byteOffset,
          invNorms,
          this.scales.byteOffset,
          this.thresholds.byteOffset,
          this.ids.byteOffset,
          this.scores.byteOffset,
          this.counts.byteOffset,
        );
        for (let j = 0; j < BLOCK; j++)
          this.offer(tops[q + j], j * n, this.counts[j], firstId + start, opts.exclude);
      }
      for (; q < count; q++) {
        this.setQuery(0, queries, q);
        const found = this.kernels.scanAbove(
          matrix,
          n,
          this.stride,
          this.queryBlock.byteOffset,
          invNorms,
          scales[q],
          tops[q].threshold,
          this.ids.byteOffset,
          this.scores.byteOffset,
        );
        this.offer(tops[q], 0, found, firstId + start, opts.exclude);
      }
    }
  }

  private queryCount(queries: Float32Array): number {
    if (queries.length === 0 || queries.length % this.dim !== 0) {
      throw new RangeError(`query length ${queries.length} does not match dim ${this.dim}`);
    }
    return queries.length / this.dim;
  }

  private setQuery(slot: number, queries: Float32Array, q: number): void {
    this.queryBlock.set(queries.subarray(q * this.dim, (q + 1) * this.dim), slot * this.stride);
  }

  /** Pushes the kernel's candidates [from, from + found) into `top`, skipping excluded rows. */
  private offer(
    top: TopK,
    from: number,
    found: number,
    idBase: number,
    exclude: ((id: number) => boolean) | undefined,
  ): void {
    const { ids, scores } = this;
    for (let c = from; c < from + found; c++) {
      const score = scores[c];
      // The kernel compared against the threshold at the start of its chunk; it may have risen since.
      if (!(score > top.threshold || top.length < top.capacity)) continue;
      const id = idBase + ids[c];
      if (exclude !== undefined && exclude(id)) continue;
      top.push(id, score);
    }
  }
}

/** Each query's factor on its inner products: 1 for 'dot', 1 / |query| for 'cosine' (0 for a zero query). */
export function queryScales(queries: Float32Array, dim: number, metric: ScanMetric): Float32Array {
  if (metric !== 'cosine' && metric !== 'dot') {
    throw new RangeError(`unknown metric ${String(metric)}; expected 'cosine', 'dot' or 'l2'`);
  }
  const count = queries.length / dim;
  const scales = new Float32Array(count).fill(1);
  if (metric === 'cosine') {
    for (let q = 0; q < count; q++) {
      const norm = Math.sqrt(dot(queries, q * dim, queries, q * dim, dim));
      scales[q] = norm > 0 ? 1 / norm : 0;
    }
  }
  return scales;
}

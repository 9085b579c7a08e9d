import { AutoencoderInputError } from './autoencoder.errors';

/**
 * Row-compressed interactions (e.g. `CsrMatrix` of @tunegraph/als): row r's items are
 * indices[indptr[r] .. indptr[r+1]). Values are not read: the models take binary input, as in Liang et al. 2018.
 */
export interface SparseRows {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
}

export function checkSparseRows(name: string, m: SparseRows): void {
  if (!Number.isInteger(m.rows) || m.rows < 0 || !Number.isInteger(m.cols) || m.cols < 0) {
    throw new AutoencoderInputError(name, `rows ${m.rows} and cols ${m.cols} must be non-negative integers`);
  }
  if (m.indptr.length !== m.rows + 1 || m.indptr[0] !== 0) {
    throw new AutoencoderInputError(name, `indptr must have rows + 1 = ${m.rows + 1} entries starting at 0`);
  }
  if (m.indptr[m.rows] !== m.indices.length) {
    throw new AutoencoderInputError(
      name,
      `indptr ends at ${m.indptr[m.rows]} but there are ${m.indices.length} indices`,
    );
  }
  for (let r = 0; r < m.rows; r++) {
    if (m.indptr[r + 1] < m.indptr[r]) throw new AutoencoderInputError(name, `indptr decreases at row ${r}`);
  }
  for (let p = 0; p < m.indices.length; p++) {
    const c = m.indices[p];
    if (!(c >= 0 && c < m.cols)) throw new AutoencoderInputError(name, `column ${c} outside [0, ${m.cols})`);
  }
}

/**
 * One mini-batch in the network's item space: the kept input entries as (row, vocabulary index) pairs sorted by row,
 * each row's input scale (L2 normalisation of the binary history, divided by the keep probability under dropout),
 * and the binary target over the whole vocabulary. Only the target is dense: batch rows × vocabulary.
 */
export interface SparseBatch {
  size: number;
  segments: Int32Array;
  items: Int32Array;
  scales: Float32Array;
  target: Float32Array;
}

/**
 * Builds a batch from histories already mapped to vocabulary indexes (distinct, any order).
 * `keep()` is drawn once per history entry for input dropout; leave it out for the deterministic forward pass.
 */
export function buildBatch(
  histories: readonly Int32Array[],
  vocabSize: number,
  keep?: () => boolean,
  keepProbability = 1,
): SparseBatch {
  const size = histories.length;
  const total = histories.reduce((s, h) => s + h.length, 0);
  const segments = new Int32Array(total);
  const items = new Int32Array(total);
  const scales = new Float32Array(size);
  const target = new Float32Array(size * vocabSize);
  let out = 0;
  for (let b = 0; b < size; b++) {
    const history = histories[b];
    if (history.length > 0) scales[b] = 1 / Math.sqrt(history.length) / keepProbability;
    for (let q = 0; q < history.length; q++) {
      const v = history[q];
      target[b * vocabSize + v] = 1;
      if (keep !== undefined && !keep()) continue;
      segments[out] = b;
      items[out++] = v;
    }
  }
  return { size, segments: segments.slice(0, out), items: items.slice(0, out), scales, target };
}

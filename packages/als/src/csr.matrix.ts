import { AlsInputError } from './als.errors';

/**
 * Compressed sparse row matrix with sorted, unique column indices per row.
 * Rows are zero-copy views, which is what the ALS row solves iterate over.
 */
export class CsrMatrix {
  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly indptr: Int32Array,
    readonly indices: Int32Array,
    readonly data: Float32Array,
  ) {
    checkDimension('rows', rows);
    checkDimension('cols', cols);
    if (indptr.length !== rows + 1) {
      throw new AlsInputError('indptr', `length ${indptr.length}, expected rows + 1 = ${rows + 1}`);
    }
    if (indptr[0] !== 0) throw new AlsInputError('indptr', `must start at 0, got ${indptr[0]}`);
    const nnz = indptr[rows];
    if (indices.length !== nnz || data.length !== nnz) {
      throw new AlsInputError(
        'indices',
        `indices (${indices.length}) and data (${data.length}) must both have indptr[rows] = ${nnz} entries`,
      );
    }
    for (let r = 0; r < rows; r++) {
      const start = indptr[r];
      const end = indptr[r + 1];
      if (end < start) throw new AlsInputError('indptr', `decreases at row ${r} (${start} -> ${end})`);
      for (let p = start; p < end; p++) {
        const c = indices[p];
        if (c < 0 || c >= cols)
          throw new AlsInputError('indices', `row ${r}: column ${c} outside [0, ${cols})`);
        if (p > start && c <= indices[p - 1]) {
          throw new AlsInputError('indices', `row ${r}: columns not strictly increasing at column ${c}`);
        }
      }
    }
  }

  get nnz(): number {
    return this.indptr[this.rows];
  }

  /**
   * Builds a CSR matrix from coordinate triplets, summing duplicate (row, col) pairs (in input order).
   * Entries are scattered into their rows, then each row is sorted by column in place: the only memory beyond
   * the result is one row's permutation, which is what lets the 48 M-play MSD matrix build within its budget.
   */
  static fromCoo(rows: number, cols: number, r: Int32Array, c: Int32Array, v: Float32Array): CsrMatrix {
    checkDimension('rows', rows);
    checkDimension('cols', cols);
    const n = r.length;
    if (c.length !== n || v.length !== n) {
      throw new AlsInputError(
        'coo',
        `row (${n}), column (${c.length}) and value (${v.length}) arrays differ in length`,
      );
    }
    for (let i = 0; i < n; i++) {
      if (r[i] < 0 || r[i] >= rows)
        throw new AlsInputError('coo', `entry ${i}: row ${r[i]} outside [0, ${rows})`);
      if (c[i] < 0 || c[i] >= cols)
        throw new AlsInputError('coo', `entry ${i}: column ${c[i]} outside [0, ${cols})`);
      if (!Number.isFinite(v[i])) throw new AlsInputError('coo', `entry ${i}: value ${v[i]} is not finite`);
    }

    const indptr = new Int32Array(rows + 1);
    for (let i = 0; i < n; i++) indptr[r[i] + 1]++;
    for (let i = 0; i < rows; i++) indptr[i + 1] += indptr[i];
    const next = indptr.slice(0, rows);
    const indices = new Int32Array(n);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const dest = next[r[i]]++;
      indices[dest] = c[i];
      data[dest] = v[i];
    }

    // Sort each row by column (stable, so duplicates are summed in input order), then merge duplicates while
    // compacting the rows to the left.
    let out = 0;
    for (let row = 0; row < rows; row++) {
      const start = indptr[row];
      const end = indptr[row + 1];
      sortRow(indices, data, start, end);
      indptr[row] = out;
      for (let p = start; p < end; p++) {
        if (out > indptr[row] && indices[out - 1] === indices[p]) {
          data[out - 1] += data[p];
          continue;
        }
        indices[out] = indices[p];
        data[out] = data[p];
        out++;
      }
    }
    indptr[rows] = out;
    return out === n
      ? new CsrMatrix(rows, cols, indptr, indices, data)
      : new CsrMatrix(rows, cols, indptr, indices.slice(0, out), data.slice(0, out));
  }

  transpose(): CsrMatrix {
    const t = transposeCsr(
      this,
      (length) => new Int32Array(length),
      (length) => new Float32Array(length),
    );
    return new CsrMatrix(this.cols, this.rows, t.indptr, t.indices, t.data);
  }

  row(i: number): { indices: Int32Array; data: Float32Array } {
    if (!Number.isInteger(i) || i < 0 || i >= this.rows) {
      throw new RangeError(`row ${i} outside [0, ${this.rows})`);
    }
    const start = this.indptr[i];
    const end = this.indptr[i + 1];
    return { indices: this.indices.subarray(start, end), data: this.data.subarray(start, end) };
  }
}

function checkDimension(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0x7fffffff) {
    throw new AlsInputError(name, `must be a non-negative 32-bit integer, got ${value}`);
  }
}

/**
 * The transpose's arrays, allocated by the caller (ALS puts them on SharedArrayBuffers); `data` may be any
 * per-entry values aligned with `m.indices`, e.g. confidence weights instead of counts.
 */
export function transposeCsr(
  m: { rows: number; cols: number; indptr: Int32Array; indices: Int32Array; data: Float32Array },
  allocInt: (length: number) => Int32Array,
  allocFloat: (length: number) => Float32Array,
): { indptr: Int32Array; indices: Int32Array; data: Float32Array } {
  const nnz = m.indptr[m.rows];
  const indptr = allocInt(m.cols + 1);
  for (let p = 0; p < nnz; p++) indptr[m.indices[p] + 1]++;
  for (let c = 0; c < m.cols; c++) indptr[c + 1] += indptr[c];
  const next = indptr.slice(0, m.cols);
  const indices = allocInt(nnz);
  const data = allocFloat(nnz);
  // Walking rows in order makes each transposed row's columns come out sorted.
  for (let r = 0; r < m.rows; r++) {
    for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) {
      const dest = next[m.indices[p]]++;
      indices[dest] = r;
      data[dest] = m.data[p];
    }
  }
  return { indptr, indices, data };
}

const INSERTION_SORT_MAX = 32;

/** Stable in-place sort of entries [start, end) by column, carrying their values along. */
function sortRow(indices: Int32Array, data: Float32Array, start: number, end: number): void {
  let sorted = true;
  for (let p = start + 1; p < end && sorted; p++) sorted = indices[p - 1] <= indices[p];
  if (sorted) return;
  if (end - start <= INSERTION_SORT_MAX) {
    for (let p = start + 1; p < end; p++) {
      const col = indices[p];
      const value = data[p];
      let q = p - 1;
      for (; q >= start && indices[q] > col; q--) {
        indices[q + 1] = indices[q];
        data[q + 1] = data[q];
      }
      indices[q + 1] = col;
      data[q + 1] = value;
    }
    return;
  }
  const cols = indices.slice(start, end);
  const values = data.slice(start, end);
  const order = Int32Array.from({ length: end - start }, (_, k) => k).sort(
    (a, b) => cols[a] - cols[b] || a - b,
  );
  for (let k = 0; k < order.length; k++) {
    indices[start + k] = cols[order[k]];
    data[start + k] = values[order[k]];
  }
}

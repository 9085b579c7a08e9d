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
   * Builds a CSR matrix from coordinate triplets, summing duplicate (row, col) pairs.
   * Two stable counting sorts (by column, then by row) give sorted columns in O(nnz + rows + cols).
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

    const byCol = countingOrder(c, cols, null);
    const order = countingOrder(r, rows, byCol);

    const indptr = new Int32Array(rows + 1);
    const indices = new Int32Array(n);
    const data = new Float32Array(n);
    let out = 0;
    let prevRow = -1;
    let prevCol = -1;
    for (let k = 0; k < n; k++) {
      const e = order[k];
      const row = r[e];
      const col = c[e];
      if (row === prevRow && col === prevCol) {
        data[out - 1] += v[e];
        continue;
      }
      indices[out] = col;
      data[out] = v[e];
      out++;
      indptr[row + 1]++;
      prevRow = row;
      prevCol = col;
    }
    for (let i = 0; i < rows; i++) indptr[i + 1] += indptr[i];
    return new CsrMatrix(rows, cols, indptr, indices.slice(0, out), data.slice(0, out));
  }

  transpose(): CsrMatrix {
    const nnz = this.nnz;
    const indptr = new Int32Array(this.cols + 1);
    for (let p = 0; p < nnz; p++) indptr[this.indices[p] + 1]++;
    for (let c = 0; c < this.cols; c++) indptr[c + 1] += indptr[c];
    const next = indptr.slice(0, this.cols);
    const indices = new Int32Array(nnz);
    const data = new Float32Array(nnz);
    // Walking rows in order makes each transposed row's columns come out sorted.
    for (let r = 0; r < this.rows; r++) {
      for (let p = this.indptr[r]; p < this.indptr[r + 1]; p++) {
        const dest = next[this.indices[p]]++;
        indices[dest] = r;
        data[dest] = this.data[p];
      }
    }
    return new CsrMatrix(this.cols, this.rows, indptr, indices, data);
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

/** Stable counting sort of entry positions by `keys` (0 <= key < range), optionally refining `previous`. */
function countingOrder(keys: Int32Array, range: number, previous: Int32Array | null): Int32Array {
  const n = keys.length;
  const start = new Int32Array(range + 1);
  for (let i = 0; i < n; i++) start[keys[i] + 1]++;
  for (let k = 0; k < range; k++) start[k + 1] += start[k];
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const e = previous === null ? i : previous[i];
    order[start[keys[e]]++] = e;
  }
  return order;
}

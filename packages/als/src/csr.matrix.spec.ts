import { describe, expect, it } from 'vitest';
import { AlsInputError } from './als.errors';
import { CsrMatrix } from './csr.matrix';

function dense(m: CsrMatrix): number[][] {
  const out = Array.from({ length: m.rows }, () => new Array<number>(m.cols).fill(0));
  for (let r = 0; r < m.rows; r++) {
    const { indices, data } = m.row(r);
    indices.forEach((c, k) => (out[r][c] = data[k]));
  }
  return out;
}

const coo = CsrMatrix.fromCoo(
  3,
  4,
  Int32Array.from([2, 0, 2, 0, 2, 0]),
  Int32Array.from([3, 2, 0, 2, 3, 1]),
  Float32Array.from([1, 2, 3, 4, 5, 6]),
);

describe('CsrMatrix.fromCoo', () => {
  it('sums duplicates and sorts the columns of every row', () => {
    expect(Array.from(coo.indptr)).toEqual([0, 2, 2, 4]);
    expect(Array.from(coo.indices)).toEqual([1, 2, 0, 3]);
    expect(Array.from(coo.data)).toEqual([6, 6, 3, 6]);
    expect(coo.nnz).toBe(4);
  });

  it('returns rows as views and an empty row as empty arrays', () => {
    expect(Array.from(coo.row(2).indices)).toEqual([0, 3]);
    expect(coo.row(1).indices.length).toBe(0);
    expect(coo.row(0).data.buffer).toBe(coo.data.buffer);
    expect(() => coo.row(3)).toThrow(/row 3 outside \[0, 3\)/);
  });

  it('rejects entries outside the shape, non-finite values and mismatched arrays, naming the entry', () => {
    const one = (r: number, c: number, v: number): CsrMatrix =>
      CsrMatrix.fromCoo(2, 2, Int32Array.of(0, r), Int32Array.of(0, c), Float32Array.of(1, v));
    expect(() => one(2, 0, 1)).toThrow(/entry 1: row 2 outside \[0, 2\)/);
    expect(() => one(0, -1, 1)).toThrow(/entry 1: column -1 outside/);
    expect(() => one(0, 1, NaN)).toThrow(/entry 1: value NaN is not finite/);
    expect(() => CsrMatrix.fromCoo(2, 2, Int32Array.of(0), Int32Array.of(0, 1), Float32Array.of(1))).toThrow(
      AlsInputError,
    );
    expect(() => CsrMatrix.fromCoo(-1, 2, new Int32Array(0), new Int32Array(0), new Float32Array(0))).toThrow(
      /rows: must be a non-negative 32-bit integer/,
    );
  });
});

describe('CsrMatrix', () => {
  it('transposes', () => {
    const t = coo.transpose();
    expect(t.rows).toBe(4);
    expect(t.cols).toBe(3);
    const d = dense(coo);
    expect(dense(t)).toEqual(d[0].map((_, c) => d.map((row) => row[c])));
    expect(dense(t.transpose())).toEqual(d);
  });

  it('validates a hand-built structure', () => {
    const ok = (indptr: number[], indices: number[]): CsrMatrix =>
      new CsrMatrix(
        2,
        3,
        Int32Array.from(indptr),
        Int32Array.from(indices),
        new Float32Array(indices.length),
      );
    expect(() => ok([0, 1, 2], [2, 0])).not.toThrow();
    expect(() => ok([0, 2, 2], [2, 1])).toThrow(/row 0: columns not strictly increasing/);
    expect(() => ok([0, 1, 2], [0, 3])).toThrow(/row 1: column 3 outside \[0, 3\)/);
    expect(() => ok([0, 2, 1], [0, 1])).toThrow(
      /indices \(2\) and data \(2\) must both have indptr\[rows\] = 1/,
    );
    expect(() => ok([0, 1], [0])).toThrow(/indptr: length 2, expected rows \+ 1 = 3/);
  });
});

import { SeededRandom, dot } from '@tunegraph/vectors';

/**
 * Random-hyperplane (SimHash) codes: bit j of table t is set when the vector lies on the positive side
 * of hyperplane t*bits+j. Planes are Gaussian then scaled to unit length, so |projection| is the distance
 * to the plane and margins of different bits can be compared when choosing which bits to probe.
 */
export class HyperplaneHasher {
  constructor(
    readonly dim: number,
    readonly tables: number,
    readonly bits: number,
    /** tables*bits unit rows of length dim, row t*bits+j is bit j of table t. */
    readonly planes: Float32Array,
  ) {}

  static random(dim: number, tables: number, bits: number, seed: number): HyperplaneHasher {
    const rng = new SeededRandom(seed);
    const rows = tables * bits;
    const planes = new Float32Array(rows * dim);
    for (let r = 0; r < rows; r++) {
      const offset = r * dim;
      let sumSquares = 0;
      for (let i = 0; i < dim; i++) {
        const value = rng.nextGaussian();
        planes[offset + i] = value;
        sumSquares += value * value;
      }
      const inv = 1 / Math.sqrt(sumSquares);
      for (let i = 0; i < dim; i++) planes[offset + i] *= inv;
    }
    return new HyperplaneHasher(dim, tables, bits, planes);
  }

  /** The code of the vector at `offset` in `data` for one table. */
  hash(data: Float32Array, offset: number, table: number): number {
    const { dim, bits, planes } = this;
    let code = 0;
    let row = table * bits * dim;
    for (let j = 0; j < bits; j++, row += dim) {
      if (dot(planes, row, data, offset, dim) >= 0) code |= 1 << j;
    }
    return code >>> 0;
  }

  /** Codes of `count` consecutive vectors for one table: one pass over the data against this table's planes. */
  hashAll(data: Float32Array, count: number, table: number, out: Uint32Array): void {
    for (let i = 0; i < count; i++) out[i] = this.hash(data, i * this.dim, table);
  }

  /** Like hash, and also writes each bit's distance to its plane into `margins`. */
  project(query: Float32Array, table: number, margins: Float64Array): number {
    const { dim, bits, planes } = this;
    let code = 0;
    let row = table * bits * dim;
    for (let j = 0; j < bits; j++, row += dim) {
      const projection = dot(planes, row, query, 0, dim);
      if (projection >= 0) code |= 1 << j;
      margins[j] = Math.abs(projection);
    }
    return code >>> 0;
  }
}

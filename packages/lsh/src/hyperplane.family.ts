import { SeededRandom, dot } from '@tunegraph/vectors';
import { smallestMargins, type LshFamily } from './lsh.family';
import { LshInputError } from './lsh.errors';

export const HYPERPLANE_KIND = 1;

/**
 * Random-hyperplane (SimHash) codes for cosine similarity: bit j of table t is set when the vector lies on
 * the positive side of hyperplane t*bits+j. Vectors are stored at unit length, so the score is a dot product.
 * Planes are Gaussian then scaled to unit length, so |projection| is the distance to the plane and the
 * margins of different bits can be compared when choosing which bits to flip for multi-probe.
 */
export class HyperplaneFamily implements LshFamily {
  readonly kind = HYPERPLANE_KIND;
  readonly maxProbes: number;
  readonly codeBits: number;
  private readonly margins: Float64Array;
  private readonly flips: Int32Array;

  constructor(
    readonly dim: number,
    readonly tables: number,
    readonly bits: number,
    /** tables*bits unit rows of length dim; row t*bits+j is bit j of table t. */
    readonly planes: Float32Array,
  ) {
    this.maxProbes = bits;
    this.codeBits = bits;
    this.margins = new Float64Array(bits);
    this.flips = new Int32Array(bits);
  }

  static random(dim: number, tables: number, bits: number, seed: number): HyperplaneFamily {
    return new HyperplaneFamily(
      dim,
      tables,
      bits,
      randomUnitRows(tables * bits, dim, new SeededRandom(seed)),
    );
  }

  get byteLength(): number {
    return this.planes.byteLength + this.margins.byteLength + this.flips.byteLength;
  }

  prepare(
    source: Float32Array,
    sourceOffset: number,
    target: Float32Array,
    targetOffset: number,
    what: string,
  ): void {
    const dim = this.dim;
    let sumSquares = 0;
    for (let i = 0; i < dim; i++) sumSquares += source[sourceOffset + i] * source[sourceOffset + i];
    if (!Number.isFinite(sumSquares)) throw new LshInputError(`${what} contains a non-finite value`);
    if (sumSquares === 0) throw new LshInputError(`${what} is the zero vector, which has no cosine`);
    const inv = 1 / Math.sqrt(sumSquares);
    for (let i = 0; i < dim; i++) target[targetOffset + i] = source[sourceOffset + i] * inv;
  }

  hash(data: Float32Array, offset: number, table: number): number {
    const { dim, bits, planes } = this;
    let code = 0;
    let row = table * bits * dim;
    for (let j = 0; j < bits; j++, row += dim) {
      if (dot(planes, row, data, offset, dim) >= 0) code |= 1 << j;
    }
    return code >>> 0;
  }

  probe(query: Float32Array, table: number, probes: number, out: Uint32Array): number {
    const { dim, bits, planes, margins, flips } = this;
    let code = 0;
    let row = table * bits * dim;
    for (let j = 0; j < bits; j++, row += dim) {
      const projection = dot(planes, row, query, 0, dim);
      if (projection >= 0) code |= 1 << j;
      margins[j] = Math.abs(projection);
    }
    out[0] = code >>> 0;
    const flipped = smallestMargins(margins, probes, flips);
    for (let p = 0; p < flipped; p++) out[p + 1] = (code ^ (1 << flips[p])) >>> 0;
    return flipped + 1;
  }

  score(data: Float32Array, offset: number, query: Float32Array): number {
    return dot(data, offset, query, 0, this.dim);
  }
}

/** `rows` Gaussian directions of length `dim`, each scaled to unit length. */
export function randomUnitRows(rows: number, dim: number, rng: SeededRandom): Float32Array {
  const matrix = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) randomUnitRow(rng, matrix, r * dim, dim);
  return matrix;
}

/** Fills `target[offset, offset + dim)` with a uniformly random unit direction. */
export function randomUnitRow(rng: SeededRandom, target: Float32Array, offset: number, dim: number): void {
  let sumSquares = 0;
  for (let i = 0; i < dim; i++) {
    const value = rng.nextGaussian();
    target[offset + i] = value;
    sumSquares += value * value;
  }
  const inv = 1 / Math.sqrt(sumSquares);
  for (let i = 0; i < dim; i++) target[offset + i] *= inv;
}

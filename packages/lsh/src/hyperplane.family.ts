import { SeededRandom, dot } from '@tunegraph/vectors';
import type { LshFamily } from './lsh.family';
import { ProbeHeap } from './probe.heap';
import { LshInputError } from './lsh.errors';

export const HYPERPLANE_KIND = 1;

/** Largest number of bits per table a probe may flip: flip sets are 32-bit masks over sorted positions. */
const MAX_PROBE_POSITIONS = 24;
/** Rows sampled to fit the thresholds: plenty for a median, cheap at any collection size. */
const FIT_SAMPLE = 4096;

/**
 * Random-hyperplane (SimHash) codes for cosine similarity: bit j of table t is set when the vector's projection
 * on hyperplane t*bits+j is at least that plane's threshold. Vectors are stored at unit length, so the score is a
 * dot product. Planes are Gaussian then scaled to unit length, so |projection - threshold| is the distance to
 * the plane and margins of different bits and tables can be compared.
 *
 * Thresholds are fitted to the data (the median projection), not 0: learned embeddings such as ALS factors sit
 * in a narrow cone, where planes through the origin put most vectors on the same side and buckets become huge.
 * A median split halves the data at every bit, which keeps buckets even. A threshold of 0 is the textbook hash.
 *
 * Probing is query-directed multi-probe across all tables at once (Lv et al. 2007, with one global order): every
 * table's own bucket, then the perturbation sets with the smallest sum of squared margins of the flipped bits,
 * generated lazily with the shift/expand heap, whichever table they belong to.
 */
export class HyperplaneFamily implements LshFamily {
  readonly kind = HYPERPLANE_KIND;
  readonly maxProbes: number;
  readonly codeBits: number;
  /** Bits considered for flipping, per table (the smallest margins only). */
  private readonly positions: number;
  private readonly base: Uint32Array;
  /** Per table, bit numbers in ascending order of squared margin, and those squared margins. */
  private readonly order: Int32Array;
  private readonly squares: Float64Array;
  private readonly heap = new ProbeHeap();
  private readonly popped = new Float64Array(4);

  constructor(
    readonly dim: number,
    readonly tables: number,
    readonly bits: number,
    /** tables*bits unit rows of length dim; row t*bits+j is bit j of table t. */
    readonly planes: Float32Array,
    /** One threshold per plane. */
    readonly thresholds: Float32Array = new Float32Array(tables * bits),
  ) {
    this.positions = Math.min(bits, MAX_PROBE_POSITIONS);
    this.maxProbes = tables * (2 ** this.positions - 1);
    this.codeBits = bits;
    this.base = new Uint32Array(tables);
    this.order = new Int32Array(tables * bits);
    this.squares = new Float64Array(tables * bits);
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
    return (
      this.planes.byteLength +
      this.thresholds.byteLength +
      this.base.byteLength +
      this.order.byteLength +
      this.squares.byteLength
    );
  }

  prepare(
    source: Float32Array,
    sourceOffset: number,
    target: Float32Array,
    targetOffset: number,
    what: string,
  ): void {
    prepareUnit(source, sourceOffset, target, targetOffset, this.dim, what);
  }

  /** Sets every plane's threshold to the median projection of (an even sample of) the stored vectors. */
  fit(data: Float32Array, count: number): void {
    const { dim, planes, thresholds } = this;
    if (count === 0) return;
    const sample = Math.min(count, FIT_SAMPLE);
    const projections = new Float32Array(sample);
    for (let plane = 0; plane < thresholds.length; plane++) {
      for (let i = 0; i < sample; i++) {
        const row = Math.floor((i * count) / sample);
        projections[i] = dot(planes, plane * dim, data, row * dim, dim);
      }
      projections.sort();
      thresholds[plane] = projections[sample >> 1];
    }
  }

  hash(data: Float32Array, offset: number, table: number): number {
    const { dim, bits, planes, thresholds } = this;
    let code = 0;
    for (let j = 0, plane = table * bits; j < bits; j++, plane++) {
      if (dot(planes, plane * dim, data, offset, dim) >= thresholds[plane]) code |= 1 << j;
    }
    return code >>> 0;
  }

  probeLength(probes: number): number {
    return this.tables + probes;
  }

  probe(query: Float32Array, probes: number, tables: Int32Array, codes: Uint32Array): number {
    const { dim, bits, planes, thresholds, base, order, squares, positions, heap, popped } = this;
    for (let t = 0; t < this.tables; t++) {
      let code = 0;
      const first = t * bits;
      for (let j = 0; j < bits; j++) {
        const plane = first + j;
        const margin = dot(planes, plane * dim, query, 0, dim) - thresholds[plane];
        if (margin >= 0) code |= 1 << j;
        // Insertion into this table's ascending list of squared margins (bits is small).
        const square = margin * margin;
        let pos = j;
        while (pos > 0 && squares[first + pos - 1] > square) {
          squares[first + pos] = squares[first + pos - 1];
          order[first + pos] = order[first + pos - 1];
          pos--;
        }
        squares[first + pos] = square;
        order[first + pos] = j;
      }
      base[t] = code >>> 0;
      tables[t] = t;
      codes[t] = code >>> 0;
    }
    let written = this.tables;
    if (probes === 0) return written;
    // Each table's best single flip seeds the heap; popping a set emits it and pushes its shift (largest
    // element moved one position on) and expand (next position added): every flip set once, in score order.
    heap.clear();
    for (let t = 0; t < this.tables; t++) heap.push(squares[t * bits], t, 1 << order[t * bits], 0);
    const end = this.tables + probes;
    while (written < end && heap.size > 0) {
      heap.pop(popped);
      const score = popped[0];
      const t = popped[1];
      const flip = popped[2] | 0;
      const last = popped[3];
      tables[written] = t;
      codes[written++] = (base[t] ^ flip) >>> 0;
      const next = last + 1;
      if (next < positions) {
        const first = t * bits;
        const nextBit = 1 << order[first + next];
        const shifted = (flip ^ (1 << order[first + last])) | nextBit;
        heap.push(score - squares[first + last] + squares[first + next], t, shifted, next);
        heap.push(score + squares[first + next], t, flip | nextBit, next);
      }
    }
    return written;
  }

  score(data: Float32Array, offset: number, query: Float32Array): number {
    return dot(data, offset, query, 0, this.dim);
  }
}

/** Copies one vector at unit length (the stored form of cosine indexes); zero or non-finite vectors throw. */
export function prepareUnit(
  source: Float32Array,
  sourceOffset: number,
  target: Float32Array,
  targetOffset: number,
  dim: number,
  what: string,
): void {
  let sumSquares = 0;
  for (let i = 0; i < dim; i++) sumSquares += source[sourceOffset + i] * source[sourceOffset + i];
  if (!Number.isFinite(sumSquares)) throw new LshInputError(`${what} contains a non-finite value`);
  if (sumSquares === 0) throw new LshInputError(`${what} is the zero vector, which has no cosine`);
  const inv = 1 / Math.sqrt(sumSquares);
  for (let i = 0; i < dim; i++) target[targetOffset + i] = source[sourceOffset + i] * inv;
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

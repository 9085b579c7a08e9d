import { SeededRandom, dot } from '@tunegraph/vectors';
import { randomUnitRow } from './hyperplane.family';
import { smallestMargins, type LshFamily } from './lsh.family';
import { LshInputError } from './lsh.errors';

export const PROJECTION_KIND = 2;

/**
 * Bucketed random projections for Euclidean distance (as Spark's BucketedRandomProjectionLSH, plus the
 * random offset of Datar et al. so bucket borders do not all pass through the origin): projection j of
 * table t puts x in bucket floor((a_j . x + b_j) / bucketLength). A table's code mixes its `projections`
 * bucket numbers into 32 bits; a rare mixing collision only adds candidates, which re-ranking discards.
 * Multi-probe moves one projection to the adjacent bucket nearest to x, smallest distance to the border first.
 * Scores are negated squared distances (higher is better, monotone in the distance).
 */
export class ProjectionFamily implements LshFamily {
  readonly kind = PROJECTION_KIND;
  readonly maxProbes: number;
  readonly codeBits = 32;
  private readonly buckets: Int32Array;
  private readonly margins: Float64Array;
  private readonly moves: Int32Array;

  constructor(
    readonly dim: number,
    readonly tables: number,
    readonly projections: number,
    readonly bucketLength: number,
    /** tables*projections unit rows of length dim; row t*projections+j is projection j of table t. */
    readonly directions: Float32Array,
    /** One offset in [0, bucketLength) per row of `directions`. */
    readonly offsets: Float32Array,
  ) {
    this.maxProbes = 2 * projections;
    this.buckets = new Int32Array(projections);
    this.margins = new Float64Array(2 * projections);
    this.moves = new Int32Array(2 * projections);
  }

  static random(
    dim: number,
    tables: number,
    projections: number,
    bucketLength: number,
    seed: number,
  ): ProjectionFamily {
    // Row by row (direction, then its offset), so an index with fewer tables has a prefix of these tables.
    const rng = new SeededRandom(seed);
    const rows = tables * projections;
    const directions = new Float32Array(rows * dim);
    const offsets = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      randomUnitRow(rng, directions, r * dim, dim);
      offsets[r] = rng.nextFloat() * bucketLength;
    }
    return new ProjectionFamily(dim, tables, projections, bucketLength, directions, offsets);
  }

  get byteLength(): number {
    return (
      this.directions.byteLength +
      this.offsets.byteLength +
      this.buckets.byteLength +
      this.margins.byteLength +
      this.moves.byteLength
    );
  }

  prepare(
    source: Float32Array,
    sourceOffset: number,
    target: Float32Array,
    targetOffset: number,
    what: string,
  ): void {
    for (let i = 0; i < this.dim; i++) {
      const value = source[sourceOffset + i];
      if (!Number.isFinite(value)) throw new LshInputError(`${what} contains a non-finite value`);
      target[targetOffset + i] = value;
    }
  }

  hash(data: Float32Array, offset: number, table: number): number {
    const { dim, projections, directions, offsets, bucketLength, buckets } = this;
    for (let j = 0, row = table * projections; j < projections; j++, row++) {
      buckets[j] =
        Math.floor((dot(directions, row * dim, data, offset, dim) + offsets[row]) / bucketLength) | 0;
    }
    return mixBuckets(buckets);
  }

  probeLength(probes: number): number {
    return this.tables * (1 + probes);
  }

  /** Per table: its own bucket, then `probes` single-projection moves, nearest border first. */
  probe(query: Float32Array, probes: number, tables: Int32Array, codes: Uint32Array): number {
    const { dim, projections, directions, offsets, bucketLength, buckets, margins, moves } = this;
    let written = 0;
    for (let table = 0; table < this.tables; table++) {
      for (let j = 0, row = table * projections; j < projections; j++, row++) {
        const position = (dot(directions, row * dim, query, 0, dim) + offsets[row]) / bucketLength;
        const bucket = Math.floor(position);
        buckets[j] = bucket | 0;
        margins[2 * j] = position - bucket; // distance (in buckets) to the lower border: move to bucket - 1
        margins[2 * j + 1] = bucket + 1 - position; // to the upper border: move to bucket + 1
      }
      tables[written] = table;
      codes[written++] = mixBuckets(buckets);
      const moved = smallestMargins(margins, probes, moves);
      for (let p = 0; p < moved; p++) {
        const j = moves[p] >> 1;
        const home = buckets[j];
        buckets[j] = (home + ((moves[p] & 1) === 0 ? -1 : 1)) | 0;
        tables[written] = table;
        codes[written++] = mixBuckets(buckets);
        buckets[j] = home;
      }
    }
    return written;
  }

  score(data: Float32Array, offset: number, query: Float32Array): number {
    let sum = 0;
    for (let i = 0; i < this.dim; i++) {
      const difference = data[offset + i] - query[i];
      sum += difference * difference;
    }
    return -sum;
  }
}

/** Order-sensitive 32-bit mix of bucket numbers (murmur3-style rounds and finaliser). */
function mixBuckets(buckets: Int32Array): number {
  let h = 0x2545f491;
  for (let j = 0; j < buckets.length; j++) {
    h = Math.imul(h ^ buckets[j], 0xcc9e2d51);
    h = Math.imul((h << 15) | (h >>> 17), 0x1b873593);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

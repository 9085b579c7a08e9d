import { CROSS_POLYTOPE_KIND, CrossPolytopeFamily } from './cross-polytope.family';
import { HYPERPLANE_KIND, HyperplaneFamily } from './hyperplane.family';
import { readLshState, writeLshState } from './lsh.codec';
import { LshEngine, assertProbes } from './lsh.engine';
import { LshInputError } from './lsh.errors';

/** The hash family of a cosine index: random hyperplanes (SimHash) or cross-polytopes (see their classes). */
export type CosineFamily = 'hyperplane' | 'cross-polytope';

export interface LshOptions {
  dim: number;
  /** Default 'hyperplane'. */
  family?: CosineFamily;
  /** L: more tables raise recall and the number of candidates scored. */
  tables: number;
  /**
   * K per table: hyperplane bits (at most 32), or cross-polytope hashes (at most CrossPolytopeFamily.maxHashes(dim)).
   * A larger K makes buckets smaller (fewer candidates, lower recall).
   */
  bits: number;
  seed: number;
  /**
   * Multi-probe default: extra buckets visited per query, counted over all tables, most promising first (see the
   * families). tuneCosineLsh picks it for a recall.
   */
  probes?: number;
}

export interface LshQueryResult {
  ids: Int32Array;
  /** Exact cosine similarity, best first. */
  scores: Float32Array;
  /** Distinct indexed vectors whose exact cosine was computed. */
  candidates: number;
  /** candidates / size. */
  scannedFraction: number;
}

/**
 * Approximate cosine kNN: random-hyperplane or cross-polytope LSH picks candidates, which are then re-ranked by
 * exact cosine, so returned scores are exact and only recall is approximate.
 *
 * The index keeps its own L2-normalised copy of every vector (the caller's arrays are not referenced),
 * so re-ranking is a dot product. Buckets are CSR tables (see LshEngine for add/remove maintenance).
 */
export class CosineLsh {
  readonly dim: number;
  readonly family: CosineFamily;
  readonly tables: number;
  readonly bits: number;
  readonly seed: number;
  private defaultProbes: number;
  private hashes: HyperplaneFamily | CrossPolytopeFamily;
  private engine: LshEngine;

  constructor(opts: LshOptions) {
    const { dim, tables, bits, seed } = opts;
    const family = opts.family ?? 'hyperplane';
    const probes = opts.probes ?? 0;
    if (!Number.isInteger(dim) || dim < 1)
      throw new LshInputError(`dim must be a positive integer, got ${dim}`);
    if (!Number.isInteger(tables) || tables < 1) {
      throw new LshInputError(`tables must be a positive integer, got ${tables}`);
    }
    if (family !== 'hyperplane' && family !== 'cross-polytope') {
      throw new LshInputError(`family must be 'hyperplane' or 'cross-polytope', got ${String(family)}`);
    }
    const maxBits = family === 'hyperplane' ? 32 : CrossPolytopeFamily.maxHashes(dim);
    if (!Number.isInteger(bits) || bits < 1 || bits > maxBits) {
      throw new LshInputError(`bits must be an integer in [1, ${maxBits}] for ${family} LSH, got ${bits}`);
    }
    if (!Number.isSafeInteger(seed)) throw new LshInputError(`seed must be an integer, got ${seed}`);
    this.dim = dim;
    this.family = family;
    this.tables = tables;
    this.bits = bits;
    this.seed = seed;
    this.hashes =
      family === 'hyperplane'
        ? HyperplaneFamily.random(dim, tables, bits, seed)
        : CrossPolytopeFamily.random(dim, tables, bits, seed);
    assertProbes(probes, this.hashes.maxProbes);
    this.defaultProbes = probes;
    this.engine = new LshEngine(this.hashes);
  }

  /** Extra buckets probed per query when the query does not say. */
  get probes(): number {
    return this.defaultProbes;
  }

  set probes(probes: number) {
    assertProbes(probes, this.hashes.maxProbes);
    this.defaultProbes = probes;
  }

  /** Highest probes value a query accepts. */
  get maxProbes(): number {
    return this.hashes.maxProbes;
  }

  /** Number of vectors currently indexed. */
  get size(): number {
    return this.engine.size;
  }

  /**
   * Replaces the whole content with `count` row-major vectors (ids default to 0..count-1), copied and
   * normalised. Zero, non-finite or wrongly sized input and duplicate ids throw LshInputError and leave
   * the index unchanged.
   */
  build(vectors: Float32Array, count: number, ids?: Int32Array): void {
    this.engine.build(vectors, count, ids);
  }

  /** Indexes one more vector (copied and normalised). Duplicate ids throw; remove the old one first. */
  add(id: number, vector: Float32Array): void {
    this.engine.add(id, vector);
  }

  /** Unknown ids throw LshInputError. */
  remove(id: number): void {
    this.engine.remove(id);
  }

  /**
   * The index's unit-length copy of `id`'s vector (a view into the index: do not modify it), so callers can query
   * by an indexed item without keeping vectors of their own. Unknown ids throw LshInputError.
   */
  vector(id: number): Float32Array {
    return this.engine.vectorOf(id);
  }

  /**
   * The k most cosine-similar indexed vectors among the LSH candidates, best first (ties: smaller id).
   * `probes` overrides the index default for this query. An empty index throws LshEmptyIndexError.
   */
  query(
    vector: Float32Array,
    k: number,
    opts: { exclude?: (id: number) => boolean; probes?: number } = {},
  ): LshQueryResult {
    return this.engine.query(vector, k, opts.probes ?? this.probes, opts.exclude);
  }

  /** Bytes held by this index's typed arrays (vectors, ids, tables, id map, planes, scratch). */
  memoryBytes(): number {
    return this.engine.memoryBytes();
  }

  /** Little-endian binary snapshot (options, hash parameters, ids, normalised vectors, CSR tables). */
  toBuffer(): Buffer {
    const hashes = this.hashes;
    return writeLshState({
      kind: hashes.kind,
      dim: this.dim,
      tables: this.tables,
      bits: this.bits,
      probes: this.probes,
      seed: this.seed,
      bucketLength: 0,
      ...(hashes instanceof HyperplaneFamily
        ? { planes: hashes.planes, offsets: hashes.thresholds }
        : { planes: hashes.signs, offsets: hashes.center }),
      ...this.engine.content(),
    });
  }

  static fromBuffer(buffer: Buffer): CosineLsh {
    const state = readLshState(buffer, [HYPERPLANE_KIND, CROSS_POLYTOPE_KIND]);
    const hyperplane = state.kind === HYPERPLANE_KIND;
    const index = new CosineLsh({ ...state, family: hyperplane ? 'hyperplane' : 'cross-polytope' });
    // The stored parameters win over regenerating them from the seed, so a snapshot never depends on the PRNG.
    const { dim, tables, bits, planes, offsets } = state;
    index.hashes = hyperplane
      ? new HyperplaneFamily(dim, tables, bits, planes, offsets)
      : new CrossPolytopeFamily(dim, tables, bits, planes, offsets);
    index.engine = new LshEngine(index.hashes);
    index.engine.restore(state);
    return index;
  }
}

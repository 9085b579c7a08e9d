import { HYPERPLANE_KIND, HyperplaneFamily } from './hyperplane.family';
import { readLshState, writeLshState } from './lsh.codec';
import { LshEngine, assertProbes } from './lsh.engine';
import { LshInputError } from './lsh.errors';

export interface LshOptions {
  dim: number;
  /** L: more tables raise recall and the number of candidates scored. */
  tables: number;
  /** K bits per table, at most 32: more bits make buckets smaller (fewer candidates, lower recall). */
  bits: number;
  seed: number;
  /**
   * Multi-probe default: extra buckets visited per query, counted over all tables, in ascending order of the
   * summed squared margins of the flipped bits (see HyperplaneFamily). tuneCosineLsh picks it for a recall.
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
 * Approximate cosine kNN: random-hyperplane LSH picks candidates, which are then re-ranked by exact
 * cosine, so returned scores are exact and only recall is approximate.
 *
 * The index keeps its own L2-normalised copy of every vector (the caller's arrays are not referenced),
 * so re-ranking is a dot product. Buckets are CSR tables (see LshEngine for add/remove maintenance).
 */
export class CosineLsh {
  readonly dim: number;
  readonly tables: number;
  readonly bits: number;
  readonly seed: number;
  private defaultProbes: number;
  private family: HyperplaneFamily;
  private engine: LshEngine;

  constructor(opts: LshOptions) {
    const { dim, tables, bits, seed } = opts;
    const probes = opts.probes ?? 0;
    if (!Number.isInteger(dim) || dim < 1)
      throw new LshInputError(`dim must be a positive integer, got ${dim}`);
    if (!Number.isInteger(tables) || tables < 1) {
      throw new LshInputError(`tables must be a positive integer, got ${tables}`);
    }
    if (!Number.isInteger(bits) || bits < 1 || bits > 32) {
      throw new LshInputError(`bits must be an integer in [1, 32], got ${bits}`);
    }
    if (!Number.isSafeInteger(seed)) throw new LshInputError(`seed must be an integer, got ${seed}`);
    this.dim = dim;
    this.tables = tables;
    this.bits = bits;
    this.seed = seed;
    this.family = HyperplaneFamily.random(dim, tables, bits, seed);
    assertProbes(probes, this.family.maxProbes);
    this.defaultProbes = probes;
    this.engine = new LshEngine(this.family);
  }

  /** Extra buckets probed per query when the query does not say. */
  get probes(): number {
    return this.defaultProbes;
  }

  set probes(probes: number) {
    assertProbes(probes, this.family.maxProbes);
    this.defaultProbes = probes;
  }

  /** Highest probes value a query accepts. */
  get maxProbes(): number {
    return this.family.maxProbes;
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

  /** Little-endian binary snapshot (options, hyperplanes and thresholds, ids, normalised vectors, CSR tables). */
  toBuffer(): Buffer {
    return writeLshState({
      kind: HYPERPLANE_KIND,
      dim: this.dim,
      tables: this.tables,
      bits: this.bits,
      probes: this.probes,
      seed: this.seed,
      bucketLength: 0,
      planes: this.family.planes,
      offsets: this.family.thresholds,
      ...this.engine.content(),
    });
  }

  static fromBuffer(buffer: Buffer): CosineLsh {
    const state = readLshState(buffer, HYPERPLANE_KIND);
    const index = new CosineLsh(state);
    // The stored planes win over regenerating them from the seed, so a snapshot never depends on the PRNG.
    index.family = new HyperplaneFamily(state.dim, state.tables, state.bits, state.planes, state.offsets);
    index.engine = new LshEngine(index.family);
    index.engine.restore(state);
    return index;
  }
}

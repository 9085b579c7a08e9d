import { readLshState, writeLshState } from './lsh.codec';
import { LshEngine, assertProbes } from './lsh.engine';
import { LshInputError } from './lsh.errors';
import { PROJECTION_KIND, ProjectionFamily } from './projection.family';

export interface BucketedRandomProjectionOptions {
  dim: number;
  /** L: a vector is a candidate if it shares a bucket with the query in any table (Spark's numHashTables). */
  tables: number;
  /** Width of a bucket along each projection (Spark's bucketLength); about the distances you care about. */
  bucketLength: number;
  seed: number;
  /** Projections combined per table, all of which must match (AND); default 1 as in Spark. */
  projections?: number;
  /** Multi-probe default: adjacent buckets per table to visit, at most 2 * projections; default 0. */
  probes?: number;
}

export interface EuclideanQueryResult {
  ids: Int32Array;
  /** Exact Euclidean distances, nearest first. */
  distances: Float32Array;
  candidates: number;
  scannedFraction: number;
}

/**
 * Approximate Euclidean kNN with bucketed random projections (see ProjectionFamily), re-ranked by exact
 * distance. Stores its own copy of every vector; add/remove maintenance as CosineLsh.
 */
export class BucketedRandomProjectionLsh {
  readonly dim: number;
  readonly tables: number;
  readonly bucketLength: number;
  readonly seed: number;
  readonly projections: number;
  readonly probes: number;
  private family: ProjectionFamily;
  private engine: LshEngine;

  constructor(opts: BucketedRandomProjectionOptions) {
    const { dim, tables, bucketLength, seed } = opts;
    const projections = opts.projections ?? 1;
    const probes = opts.probes ?? 0;
    if (!Number.isInteger(dim) || dim < 1)
      throw new LshInputError(`dim must be a positive integer, got ${dim}`);
    if (!Number.isInteger(tables) || tables < 1) {
      throw new LshInputError(`tables must be a positive integer, got ${tables}`);
    }
    if (!(bucketLength > 0 && Number.isFinite(bucketLength))) {
      throw new LshInputError(`bucketLength must be a positive finite number, got ${bucketLength}`);
    }
    if (!Number.isInteger(projections) || projections < 1 || projections > 32) {
      throw new LshInputError(`projections must be an integer in [1, 32], got ${projections}`);
    }
    if (!Number.isSafeInteger(seed)) throw new LshInputError(`seed must be an integer, got ${seed}`);
    assertProbes(probes, 2 * projections);
    this.dim = dim;
    this.tables = tables;
    this.bucketLength = bucketLength;
    this.seed = seed;
    this.projections = projections;
    this.probes = probes;
    this.family = ProjectionFamily.random(dim, tables, projections, bucketLength, seed);
    this.engine = new LshEngine(this.family);
  }

  get size(): number {
    return this.engine.size;
  }

  /** Replaces the whole content (ids default to 0..count-1); bad input throws and leaves the index unchanged. */
  build(vectors: Float32Array, count: number, ids?: Int32Array): void {
    this.engine.build(vectors, count, ids);
  }

  add(id: number, vector: Float32Array): void {
    this.engine.add(id, vector);
  }

  remove(id: number): void {
    this.engine.remove(id);
  }

  /** The k nearest indexed vectors among the candidates, nearest first (ties: smaller id). */
  query(
    vector: Float32Array,
    k: number,
    opts: { exclude?: (id: number) => boolean; probes?: number } = {},
  ): EuclideanQueryResult {
    const { ids, scores, candidates, scannedFraction } = this.engine.query(
      vector,
      k,
      opts.probes ?? this.probes,
      opts.exclude,
    );
    const distances = new Float32Array(scores.length);
    for (let i = 0; i < scores.length; i++) distances[i] = Math.sqrt(-scores[i]);
    return { ids, distances, candidates, scannedFraction };
  }

  memoryBytes(): number {
    return this.engine.memoryBytes();
  }

  toBuffer(): Buffer {
    return writeLshState({
      kind: PROJECTION_KIND,
      dim: this.dim,
      tables: this.tables,
      bits: this.projections,
      probes: this.probes,
      seed: this.seed,
      bucketLength: this.bucketLength,
      planes: this.family.directions,
      offsets: this.family.offsets,
      ...this.engine.content(),
    });
  }

  static fromBuffer(buffer: Buffer): BucketedRandomProjectionLsh {
    const state = readLshState(buffer, [PROJECTION_KIND]);
    const index = new BucketedRandomProjectionLsh({ ...state, projections: state.bits });
    index.family = new ProjectionFamily(
      state.dim,
      state.tables,
      state.bits,
      state.bucketLength,
      state.planes,
      state.offsets,
    );
    index.engine = new LshEngine(index.family);
    index.engine.restore(state);
    return index;
  }
}

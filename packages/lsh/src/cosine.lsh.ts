import { TopK, dot } from '@tunegraph/vectors';
import { BucketTable } from './bucket.table';
import { HyperplaneHasher } from './hyperplane.hasher';
import { IdSlotMap } from './id-slot.map';
import { LshEmptyIndexError, LshInputError } from './lsh.errors';
import { readLshState, writeLshState, type LshState } from './lsh.codec';

export interface LshOptions {
  dim: number;
  /** L: more tables raise recall and the number of candidates scored. */
  tables: number;
  /** K bits per table, at most 32: more bits make buckets smaller (fewer candidates, lower recall). */
  bits: number;
  seed: number;
  /** Multi-probe default: also visit this many buckets at Hamming distance 1 per table, smallest margin first. */
  probes?: number;
}

export interface LshQueryResult {
  ids: Int32Array;
  scores: Float32Array;
  /** Distinct indexed vectors whose exact cosine was computed. */
  candidates: number;
  /** candidates / size. */
  scannedFraction: number;
}

/** Adds beyond this many (or a sixteenth of the bucketed vectors) are merged into the CSR tables. */
const MIN_OVERFLOW_BEFORE_MERGE = 256;
/** Removals beyond this many (or a quarter of the slots) trigger compaction. */
const MIN_DEAD_BEFORE_COMPACT = 256;

/**
 * Approximate cosine kNN: random-hyperplane LSH picks candidates, which are then re-ranked by exact
 * cosine, so returned scores are exact and only recall is approximate.
 *
 * Storage: the index keeps its own L2-normalised copy of every vector (so callers may reuse their arrays
 * and re-ranking is a plain dot product), and per table a CSR bucket table over those slots. Vectors added
 * after the last build sit in an overflow list that queries scan linearly; it is merged into the tables
 * once it grows past a sixteenth of them. Removed vectors are tombstoned and compacted away the same way.
 */
export class CosineLsh {
  readonly dim: number;
  readonly tables: number;
  readonly bits: number;
  readonly seed: number;
  readonly probes: number;

  private hasher: HyperplaneHasher;
  private vectors: Float32Array = new Float32Array(0);
  private ids: Int32Array = new Int32Array(0);
  private alive: Uint8Array = new Uint8Array(0);
  private seenIn: Uint32Array = new Uint32Array(0);
  private generation = 0;
  private idToSlot = new IdSlotMap();
  private buckets: BucketTable[];
  /** Slots [0, bucketedSlots) are in `buckets`; [bucketedSlots, usedSlots) are the overflow. */
  private bucketedSlots = 0;
  private usedSlots = 0;
  /** Codes of overflow slots, tables per slot: overflowCodes[(slot - bucketedSlots) * tables + t]. */
  private overflowCodes: Uint32Array = new Uint32Array(0);
  private live = 0;
  private readonly query1: Float32Array;
  private readonly margins: Float64Array;
  private readonly probeBits: Int32Array;

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
    assertProbes(probes, bits);
    this.dim = dim;
    this.tables = tables;
    this.bits = bits;
    this.seed = seed;
    this.probes = probes;
    this.hasher = HyperplaneHasher.random(dim, tables, bits, seed);
    this.buckets = new Array<BucketTable>(tables).fill(BucketTable.empty);
    this.query1 = new Float32Array(dim);
    this.margins = new Float64Array(bits);
    this.probeBits = new Int32Array(bits);
  }

  /** Number of vectors currently indexed. */
  get size(): number {
    return this.live;
  }

  /**
   * Replaces the whole content with `count` row-major vectors (ids default to 0..count-1). The rows are
   * copied and normalised; zero, non-finite or wrongly sized input and duplicate ids throw LshInputError
   * and leave the index unchanged.
   */
  build(vectors: Float32Array, count: number, ids?: Int32Array): void {
    if (!Number.isInteger(count) || count < 0)
      throw new LshInputError(`count must be a non-negative integer, got ${count}`);
    if (vectors.length !== count * this.dim) {
      throw new LshInputError(
        `vectors has length ${vectors.length}, expected count * dim = ${count * this.dim}`,
      );
    }
    if (ids !== undefined && ids.length !== count) {
      throw new LshInputError(`ids has length ${ids.length}, expected ${count}`);
    }
    const copy = new Float32Array(vectors.length);
    for (let row = 0; row < count; row++)
      normaliseInto(vectors, row * this.dim, copy, row * this.dim, this.dim, `row ${row}`);
    const slotIds =
      ids === undefined ? Int32Array.from({ length: count }, (_, i) => i) : Int32Array.from(ids);
    const idToSlot = indexIds(slotIds);

    const keys = new Uint32Array(count);
    const buckets: BucketTable[] = [];
    for (let t = 0; t < this.tables; t++) {
      this.hasher.hashAll(copy, count, t, keys);
      buckets.push(BucketTable.fromKeys(keys, this.bits));
    }
    this.install({ vectors: copy, ids: slotIds, buckets }, idToSlot);
  }

  /** Indexes one more vector (copied and normalised). Duplicate ids throw; remove the old one first. */
  add(id: number, vector: Float32Array): void {
    assertId(id);
    if (vector.length !== this.dim) {
      throw new LshInputError(
        `vector for id ${id} has length ${vector.length}, index dimension is ${this.dim}`,
      );
    }
    if (this.idToSlot.get(id) >= 0) throw new LshInputError(`id ${id} is already in the index`);
    const slot = this.usedSlots;
    this.ensureSlotCapacity(slot + 1);
    normaliseInto(vector, 0, this.vectors, slot * this.dim, this.dim, `vector for id ${id}`);
    const overflowSlot = slot - this.bucketedSlots;
    if ((overflowSlot + 1) * this.tables > this.overflowCodes.length) {
      this.overflowCodes = grow(this.overflowCodes, Math.max(16, 2 * (overflowSlot + 1)) * this.tables);
    }
    for (let t = 0; t < this.tables; t++) {
      this.overflowCodes[overflowSlot * this.tables + t] = this.hasher.hash(this.vectors, slot * this.dim, t);
    }
    this.ids[slot] = id;
    this.alive[slot] = 1;
    this.idToSlot.set(id, slot);
    this.usedSlots++;
    this.live++;
    if (overflowSlot + 1 > Math.max(MIN_OVERFLOW_BEFORE_MERGE, this.bucketedSlots >> 4)) this.compact();
  }

  remove(id: number): void {
    assertId(id);
    const slot = this.idToSlot.get(id);
    if (slot < 0) throw new LshInputError(`id ${id} is not in the index`);
    this.alive[slot] = 0;
    this.idToSlot.delete(id);
    this.live--;
    const dead = this.usedSlots - this.live;
    if (dead > Math.max(MIN_DEAD_BEFORE_COMPACT, this.usedSlots >> 2)) this.compact();
  }

  /**
   * The k most cosine-similar indexed vectors among the LSH candidates, best first, with exact scores.
   * `probes` overrides the index default for this query.
   */
  query(
    vector: Float32Array,
    k: number,
    opts: { exclude?: (id: number) => boolean; probes?: number } = {},
  ): LshQueryResult {
    if (vector.length !== this.dim) {
      throw new LshInputError(`query has length ${vector.length}, index dimension is ${this.dim}`);
    }
    if (!Number.isInteger(k) || k < 1) throw new LshInputError(`k must be a positive integer, got ${k}`);
    const probes = opts.probes ?? this.probes;
    assertProbes(probes, this.bits);
    if (this.live === 0)
      throw new LshEmptyIndexError('cannot query an empty LSH index: build or add vectors first');
    const query = this.query1;
    normaliseInto(vector, 0, query, 0, this.dim, 'query');

    const generation = this.nextGeneration();
    const { seenIn, alive, ids, vectors, dim, margins, probeBits, tables } = this;
    const exclude = opts.exclude;
    const top = new TopK(k);
    let candidates = 0;
    const visit = (slot: number): void => {
      if (seenIn[slot] === generation) return;
      seenIn[slot] = generation;
      if (alive[slot] === 0) return;
      const id = ids[slot];
      if (exclude !== undefined && exclude(id)) return;
      candidates++;
      top.push(id, dot(vectors, slot * dim, query, 0, dim));
    };

    for (let t = 0; t < tables; t++) {
      const code = this.hasher.project(query, t, margins);
      const probeCount = smallestMargins(margins, probes, probeBits);
      const table = this.buckets[t];
      for (let p = -1; p < probeCount; p++) {
        const probed = p < 0 ? code : (code ^ (1 << probeBits[p])) >>> 0;
        const bucket = table.find(probed);
        if (bucket < 0) continue;
        for (let i = table.starts[bucket]; i < table.starts[bucket + 1]; i++) visit(table.slots[i]);
      }
      for (let slot = this.bucketedSlots; slot < this.usedSlots; slot++) {
        const difference = (this.overflowCodes[(slot - this.bucketedSlots) * tables + t] ^ code) >>> 0;
        if (difference === 0) visit(slot);
        else if (
          (difference & (difference - 1)) === 0 &&
          isProbed(31 - Math.clz32(difference), probeBits, probeCount)
        ) {
          visit(slot);
        }
      }
    }
    const { ids: topIds, scores } = top.result();
    return { ids: topIds, scores, candidates, scannedFraction: candidates / this.live };
  }

  /** Bytes held by this index's typed arrays (vectors, ids, tables, id map, planes, scratch). */
  memoryBytes(): number {
    let bytes =
      this.vectors.byteLength +
      this.ids.byteLength +
      this.alive.byteLength +
      this.seenIn.byteLength +
      this.overflowCodes.byteLength +
      this.idToSlot.byteLength +
      this.hasher.planes.byteLength +
      this.query1.byteLength +
      this.margins.byteLength +
      this.probeBits.byteLength;
    for (const table of this.buckets) bytes += table.byteLength;
    return bytes;
  }

  /** Little-endian binary snapshot (options, hyperplanes, ids, normalised vectors, CSR tables). */
  toBuffer(): Buffer {
    if (this.usedSlots !== this.live || this.bucketedSlots !== this.usedSlots) this.compact();
    return writeLshState({
      dim: this.dim,
      tables: this.tables,
      bits: this.bits,
      seed: this.seed,
      probes: this.probes,
      planes: this.hasher.planes,
      ids: this.ids.subarray(0, this.live),
      vectors: this.vectors.subarray(0, this.live * this.dim),
      buckets: this.buckets,
    });
  }

  static fromBuffer(buffer: Buffer): CosineLsh {
    const state: LshState = readLshState(buffer);
    const index = new CosineLsh(state);
    index.hasher = new HyperplaneHasher(state.dim, state.tables, state.bits, state.planes);
    index.install(state, indexIds(state.ids));
    return index;
  }

  private install(
    state: { vectors: Float32Array; ids: Int32Array; buckets: BucketTable[] },
    idToSlot: IdSlotMap,
  ): void {
    const count = state.ids.length;
    this.vectors = state.vectors;
    this.ids = state.ids;
    this.alive = new Uint8Array(count).fill(1);
    this.seenIn = new Uint32Array(count);
    this.generation = 0;
    this.idToSlot = idToSlot;
    this.buckets = state.buckets;
    this.bucketedSlots = count;
    this.usedSlots = count;
    this.overflowCodes = new Uint32Array(0);
    this.live = count;
  }

  /** Drops removed slots and merges the overflow into fresh CSR tables without rehashing anything. */
  private compact(): void {
    const remap = new Int32Array(this.usedSlots).fill(-1);
    const ids = new Int32Array(this.live);
    const vectors = new Float32Array(this.live * this.dim);
    let next = 0;
    for (let slot = 0; slot < this.usedSlots; slot++) {
      if (this.alive[slot] === 0) continue;
      remap[slot] = next;
      ids[next] = this.ids[slot];
      vectors.set(this.vectors.subarray(slot * this.dim, (slot + 1) * this.dim), next * this.dim);
      next++;
    }
    const keys = new Uint32Array(this.live);
    const buckets: BucketTable[] = [];
    for (let t = 0; t < this.tables; t++) {
      this.buckets[t].scatterCodes(remap, keys);
      for (let slot = this.bucketedSlots; slot < this.usedSlots; slot++) {
        if (remap[slot] >= 0)
          keys[remap[slot]] = this.overflowCodes[(slot - this.bucketedSlots) * this.tables + t];
      }
      buckets.push(BucketTable.fromKeys(keys, this.bits));
    }
    this.install({ vectors, ids, buckets }, indexIds(ids));
  }

  private ensureSlotCapacity(needed: number): void {
    if (needed <= this.ids.length) return;
    const capacity = Math.max(16, needed, Math.ceil(this.ids.length * 1.5));
    this.vectors = grow(this.vectors, capacity * this.dim);
    this.ids = grow(this.ids, capacity);
    this.alive = grow(this.alive, capacity);
    this.seenIn = new Uint32Array(capacity);
    this.generation = 0;
  }

  /** Generation stamps avoid clearing `seenIn` per query; on wrap-around it is cleared once. */
  private nextGeneration(): number {
    if (this.generation === 0xffffffff) {
      this.seenIn.fill(0);
      this.generation = 0;
    }
    return ++this.generation;
  }
}

/** Writes into `out` the `probes` bit positions with the smallest margins, smallest first; returns how many. */
function smallestMargins(margins: Float64Array, probes: number, out: Int32Array): number {
  if (probes === 0) return 0;
  let filled = 0;
  for (let j = 0; j < margins.length; j++) {
    if (filled === probes && margins[j] >= margins[out[filled - 1]]) continue;
    let pos = filled < probes ? filled++ : filled - 1;
    while (pos > 0 && margins[out[pos - 1]] > margins[j]) {
      out[pos] = out[pos - 1];
      pos--;
    }
    out[pos] = j;
  }
  return filled;
}

function isProbed(bit: number, probeBits: Int32Array, probeCount: number): boolean {
  for (let p = 0; p < probeCount; p++) if (probeBits[p] === bit) return true;
  return false;
}

function normaliseInto(
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

function indexIds(ids: Int32Array): IdSlotMap {
  const map = new IdSlotMap(ids.length);
  for (let slot = 0; slot < ids.length; slot++) {
    if (map.get(ids[slot]) >= 0)
      throw new LshInputError(`duplicate id ${ids[slot]} (rows ${map.get(ids[slot])} and ${slot})`);
    map.set(ids[slot], slot);
  }
  return map;
}

function assertId(id: number): void {
  if (!Number.isInteger(id) || id < -0x80000000 || id > 0x7fffffff) {
    throw new LshInputError(`id ${id} is not a 32-bit integer`);
  }
}

function assertProbes(probes: number, bits: number): void {
  if (!Number.isInteger(probes) || probes < 0 || probes > bits) {
    throw new LshInputError(`probes must be an integer in [0, bits = ${bits}], got ${probes}`);
  }
}

/** A longer copy of `array` (`length` must not be smaller). */
function grow<T extends Float32Array | Int32Array | Uint8Array | Uint32Array>(array: T, length: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(length);
  bigger.set(array);
  return bigger;
}

import { TopK } from '@tunegraph/vectors';
import { BucketTable } from './bucket.table';
import { IdSlotMap } from './id-slot.map';
import { LshEmptyIndexError, LshInputError } from './lsh.errors';
import type { LshFamily } from './lsh.family';

/** Adds beyond this many (or a sixteenth of the bucketed vectors) are merged into the CSR tables. */
const MIN_OVERFLOW_BEFORE_MERGE = 256;
/** Removals beyond this many (or a quarter of the slots) trigger compaction. */
const MIN_DEAD_BEFORE_COMPACT = 256;

/** The stored content of an engine with every slot live and bucketed (what serialization writes). */
export interface LshContent {
  ids: Int32Array;
  vectors: Float32Array;
  buckets: BucketTable[];
}

export interface LshCandidates {
  ids: Int32Array;
  scores: Float32Array;
  candidates: number;
  scannedFraction: number;
}

/**
 * Storage and candidate search shared by every LSH flavour. It keeps its own copy of every vector in the
 * family's stored form (callers may reuse their arrays) and, per table, a CSR bucket table over those slots.
 * Vectors added after the last build sit in an overflow list that queries scan linearly; it is merged into
 * the tables once it outgrows a sixteenth of them. Removed vectors are tombstoned, then compacted away.
 */
export class LshEngine {
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
  private readonly prepared: Float32Array;
  /** The (table, code) buckets of the current query, grown to the largest probe count asked. */
  private probeTables = new Int32Array(0);
  private probeCodes = new Uint32Array(0);

  constructor(readonly family: LshFamily) {
    this.buckets = new Array<BucketTable>(family.tables).fill(BucketTable.empty);
    this.prepared = new Float32Array(family.dim);
  }

  get size(): number {
    return this.live;
  }

  build(vectors: Float32Array, count: number, ids?: Int32Array): void {
    const { dim, tables } = this.family;
    if (!Number.isInteger(count) || count < 0) {
      throw new LshInputError(`count must be a non-negative integer, got ${count}`);
    }
    if (vectors.length !== count * dim) {
      throw new LshInputError(`vectors has length ${vectors.length}, expected count * dim = ${count * dim}`);
    }
    if (ids !== undefined && ids.length !== count) {
      throw new LshInputError(`ids has length ${ids.length}, expected ${count}`);
    }
    const copy = new Float32Array(vectors.length);
    for (let row = 0; row < count; row++)
      this.family.prepare(vectors, row * dim, copy, row * dim, `row ${row}`);
    this.family.fit?.(copy, count);
    const slotIds =
      ids === undefined ? Int32Array.from({ length: count }, (_, i) => i) : Int32Array.from(ids);
    const idToSlot = indexIds(slotIds);

    // One pass over all vectors per table, against that table's projections only.
    const keys = new Uint32Array(count);
    const buckets: BucketTable[] = [];
    for (let t = 0; t < tables; t++) {
      for (let row = 0; row < count; row++) keys[row] = this.family.hash(copy, row * dim, t);
      buckets.push(BucketTable.fromKeys(keys, this.family.codeBits));
    }
    this.install({ vectors: copy, ids: slotIds, buckets }, idToSlot);
  }

  add(id: number, vector: Float32Array): void {
    const { dim, tables } = this.family;
    assertId(id);
    if (vector.length !== dim) {
      throw new LshInputError(`vector for id ${id} has length ${vector.length}, index dimension is ${dim}`);
    }
    if (this.idToSlot.get(id) >= 0) throw new LshInputError(`id ${id} is already in the index`);
    const slot = this.usedSlots;
    this.ensureSlotCapacity(slot + 1);
    this.family.prepare(vector, 0, this.vectors, slot * dim, `vector for id ${id}`);
    const overflowSlot = slot - this.bucketedSlots;
    if ((overflowSlot + 1) * tables > this.overflowCodes.length) {
      this.overflowCodes = grow(this.overflowCodes, Math.max(16, 2 * (overflowSlot + 1)) * tables);
    }
    for (let t = 0; t < tables; t++) {
      this.overflowCodes[overflowSlot * tables + t] = this.family.hash(this.vectors, slot * dim, t);
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

  /** Top k by the family's exact score among the vectors sharing a (probed) bucket with the query. */
  query(vector: Float32Array, k: number, probes: number, exclude?: (id: number) => boolean): LshCandidates {
    const family = this.family;
    const { dim, tables } = family;
    if (vector.length !== dim) {
      throw new LshInputError(`query has length ${vector.length}, index dimension is ${dim}`);
    }
    if (!Number.isInteger(k) || k < 1) throw new LshInputError(`k must be a positive integer, got ${k}`);
    assertProbes(probes, family.maxProbes);
    if (this.live === 0)
      throw new LshEmptyIndexError('cannot query an empty LSH index: build or add vectors first');
    const query = this.prepared;
    family.prepare(vector, 0, query, 0, 'query');

    const length = family.probeLength(probes);
    if (this.probeCodes.length < length) {
      this.probeTables = new Int32Array(length);
      this.probeCodes = new Uint32Array(length);
    }
    const { probeTables, probeCodes } = this;
    const probed = family.probe(query, probes, probeTables, probeCodes);

    const generation = this.nextGeneration();
    const { seenIn, alive, ids, vectors, overflowCodes, bucketedSlots, usedSlots, buckets } = this;
    const top = new TopK(Math.min(k, this.live));
    let candidates = 0;
    const visit = (slot: number): void => {
      if (seenIn[slot] === generation) return;
      seenIn[slot] = generation;
      if (alive[slot] === 0) return;
      const id = ids[slot];
      if (exclude !== undefined && exclude(id)) return;
      candidates++;
      top.push(id, family.score(vectors, slot * dim, query));
    };

    for (let p = 0; p < probed; p++) {
      const table = buckets[probeTables[p]];
      const bucket = table.find(probeCodes[p]);
      if (bucket < 0) continue;
      const end = table.starts[bucket + 1];
      for (let i = table.starts[bucket]; i < end; i++) visit(table.slots[i]);
    }
    for (let slot = bucketedSlots; slot < usedSlots; slot++) {
      const codesOf = (slot - bucketedSlots) * tables;
      for (let p = 0; p < probed; p++) {
        if (overflowCodes[codesOf + probeTables[p]] === probeCodes[p]) {
          visit(slot);
          break;
        }
      }
    }
    const { ids: topIds, scores } = top.result();
    return { ids: topIds, scores, candidates, scannedFraction: candidates / this.live };
  }

  /** The stored (prepared) copy of `id`'s vector, a view: do not modify it. Unknown ids throw. */
  vectorOf(id: number): Float32Array {
    const slot = this.idToSlot.get(id);
    if (slot < 0) throw new LshInputError(`id ${id} is not in the index`);
    const dim = this.family.dim;
    return this.vectors.subarray(slot * dim, (slot + 1) * dim);
  }

  /** Bytes of the stored content and fixed state; per-query probe scratch (a few KB) is not counted. */
  memoryBytes(): number {
    let bytes =
      this.vectors.byteLength +
      this.ids.byteLength +
      this.alive.byteLength +
      this.seenIn.byteLength +
      this.overflowCodes.byteLength +
      this.idToSlot.byteLength +
      this.family.byteLength +
      this.prepared.byteLength;
    for (const table of this.buckets) bytes += table.byteLength;
    return bytes;
  }

  /** The live content, compacted first if anything was removed or added since the last merge. */
  content(): LshContent {
    if (this.usedSlots !== this.live || this.bucketedSlots !== this.usedSlots) this.compact();
    return {
      ids: this.ids.subarray(0, this.live),
      vectors: this.vectors.subarray(0, this.live * this.family.dim),
      buckets: this.buckets,
    };
  }

  /** Replaces everything with deserialized content (already validated by the codec). */
  restore(content: LshContent): void {
    this.install(content, indexIds(content.ids));
  }

  private install(content: LshContent, idToSlot: IdSlotMap): void {
    const count = content.ids.length;
    this.vectors = content.vectors;
    this.ids = content.ids;
    this.alive = new Uint8Array(count).fill(1);
    this.seenIn = new Uint32Array(count);
    this.generation = 0;
    this.idToSlot = idToSlot;
    this.buckets = content.buckets;
    this.bucketedSlots = count;
    this.usedSlots = count;
    this.overflowCodes = new Uint32Array(0);
    this.live = count;
  }

  /** Drops removed slots and merges the overflow into fresh CSR tables without rehashing anything. */
  private compact(): void {
    const { dim, tables, codeBits } = this.family;
    const remap = new Int32Array(this.usedSlots).fill(-1);
    const ids = new Int32Array(this.live);
    const vectors = new Float32Array(this.live * dim);
    let next = 0;
    for (let slot = 0; slot < this.usedSlots; slot++) {
      if (this.alive[slot] === 0) continue;
      remap[slot] = next;
      ids[next] = this.ids[slot];
      vectors.set(this.vectors.subarray(slot * dim, (slot + 1) * dim), next * dim);
      next++;
    }
    const keys = new Uint32Array(this.live);
    const buckets: BucketTable[] = [];
    for (let t = 0; t < tables; t++) {
      this.buckets[t].scatterCodes(remap, keys);
      for (let slot = this.bucketedSlots; slot < this.usedSlots; slot++) {
        if (remap[slot] >= 0)
          keys[remap[slot]] = this.overflowCodes[(slot - this.bucketedSlots) * tables + t];
      }
      buckets.push(BucketTable.fromKeys(keys, codeBits));
    }
    this.install({ vectors, ids, buckets }, indexIds(ids));
  }

  private ensureSlotCapacity(needed: number): void {
    if (needed <= this.ids.length) return;
    const capacity = Math.max(16, needed, Math.ceil(this.ids.length * 1.5));
    this.vectors = grow(this.vectors, capacity * this.family.dim);
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

export function assertProbes(probes: number, maxProbes: number): void {
  if (!Number.isInteger(probes) || probes < 0 || probes > maxProbes) {
    throw new LshInputError(`probes must be an integer in [0, ${maxProbes}], got ${probes}`);
  }
}

function indexIds(ids: Int32Array): IdSlotMap {
  const map = new IdSlotMap(ids.length);
  for (let slot = 0; slot < ids.length; slot++) {
    const previous = map.get(ids[slot]);
    if (previous >= 0) throw new LshInputError(`duplicate id ${ids[slot]} (rows ${previous} and ${slot})`);
    map.set(ids[slot], slot);
  }
  return map;
}

function assertId(id: number): void {
  if (!Number.isInteger(id) || id < -0x80000000 || id > 0x7fffffff) {
    throw new LshInputError(`id ${id} is not a 32-bit integer`);
  }
}

/** A longer copy of `array` (`length` must not be smaller). */
function grow<T extends Float32Array | Int32Array | Uint8Array | Uint32Array>(array: T, length: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(length);
  bigger.set(array);
  return bigger;
}

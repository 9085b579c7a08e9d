import { endianness } from 'node:os';
import { BucketTable } from './bucket.table';
import { CROSS_POLYTOPE_KIND, CrossPolytopeFamily } from './cross-polytope.family';
import { HYPERPLANE_KIND } from './hyperplane.family';
import type { LshContent } from './lsh.engine';
import { PROJECTION_KIND } from './projection.family';
import { LshInputError } from './lsh.errors';

/** Parameters of an index: the header of its serialized form. */
export interface LshHeader {
  kind: number;
  dim: number;
  tables: number;
  /** Hyperplane bits, projections or cross-polytope hashes, per table. */
  bits: number;
  probes: number;
  seed: number;
  /** Bucket width of Euclidean projections; 0 for cosine. */
  bucketLength: number;
}

/** Everything an index needs to answer queries, with all slots live and bucketed. */
export interface LshState extends LshHeader, LshContent {
  /** tables*bits unit rows of length dim, or the cross-polytope rotations' signs. */
  planes: Float32Array;
  /** One per plane: Euclidean projection offsets, or cosine hyperplane thresholds; cross-polytope: the center. */
  offsets: Float32Array;
}

const MAGIC = 0x534c4754; // "TGLS" read as a little-endian uint32
// Version 2 added the family kind and bucket length to the header; version 3 stores hyperplane thresholds in
// the offsets section and counts cosine probes over all tables (older snapshots are rejected: rebuild them).
const FORMAT_VERSION = 3;
const HEADER_BYTES = 48;
const KIND_NAMES: Record<number, string> = {
  [HYPERPLANE_KIND]: 'CosineLsh',
  [PROJECTION_KIND]: 'BucketedRandomProjectionLsh',
  [CROSS_POLYTOPE_KIND]: 'CosineLsh (cross-polytope)',
};

/** Lengths of the planes and offsets sections, and the bound on bucket codes, of a family. */
function familyShape(kind: number, dim: number, tables: number, bits: number) {
  if (kind === CROSS_POLYTOPE_KIND) {
    if (bits > CrossPolytopeFamily.maxHashes(dim)) {
      throw new LshInputError(
        `${bits} cross-polytope hashes per table do not fit a 32-bit key at dim ${dim}`,
      );
    }
    return {
      planes: CrossPolytopeFamily.signsLength(dim, tables, bits),
      offsets: dim,
      codeLimit: 2 ** (bits * CrossPolytopeFamily.vertexBits(dim)),
    };
  }
  return {
    planes: tables * bits * dim,
    offsets: tables * bits,
    codeLimit: kind === HYPERPLANE_KIND ? 2 ** bits : 2 ** 32,
  };
}

/*
 * Layout (little-endian, every section 4-byte aligned): header {magic, version, kind, dim, tables, bits,
 * probes, count: u32; seed, bucketLength: f64}, planes f32[tables*bits*dim], offsets f32[tables*bits] (other
 * lengths for cross-polytope: see familyShape),
 * ids i32[count], vectors f32[count*dim], then per table {buckets: u32, codes u32[buckets],
 * starts i32[buckets+1], slots i32[count]}. Bulk sections are raw typed-array bytes, hence the
 * little-endian host requirement.
 */
export function writeLshState(state: LshState): Buffer {
  assertLittleEndianHost();
  const count = state.ids.length;
  const parts: Buffer[] = [];
  const header = Buffer.alloc(HEADER_BYTES);
  const words = [MAGIC, FORMAT_VERSION, state.kind, state.dim, state.tables, state.bits, state.probes, count];
  words.forEach((value, i) => header.writeUInt32LE(value, 4 * i));
  header.writeDoubleLE(state.seed, 32);
  header.writeDoubleLE(state.bucketLength, 40);
  parts.push(
    header,
    bytesOf(state.planes),
    bytesOf(state.offsets),
    bytesOf(state.ids),
    bytesOf(state.vectors),
  );
  for (const table of state.buckets) {
    const size = Buffer.alloc(4);
    size.writeUInt32LE(table.codes.length, 0);
    parts.push(size, bytesOf(table.codes), bytesOf(table.starts), bytesOf(table.slots));
  }
  return Buffer.concat(parts);
}

/**
 * Parses and checks a buffer from writeLshState for an index of one of `kinds` (the first names it in errors);
 * any inconsistency throws LshInputError.
 */
export function readLshState(buffer: Buffer, kinds: readonly number[]): LshState {
  assertLittleEndianHost();
  const name = KIND_NAMES[kinds[0]];
  if (buffer.length < HEADER_BYTES || buffer.readUInt32LE(0) !== MAGIC) {
    throw new LshInputError(`not a serialized ${name} (bad magic number or too short)`);
  }
  const version = buffer.readUInt32LE(4);
  if (version !== FORMAT_VERSION) {
    throw new LshInputError(`unsupported ${name} format version ${version}, expected ${FORMAT_VERSION}`);
  }
  const [kind, dim, tables, bits, probes, count] = [8, 12, 16, 20, 24, 28].map((at) =>
    buffer.readUInt32LE(at),
  );
  if (!kinds.includes(kind)) {
    throw new LshInputError(`buffer holds a ${KIND_NAMES[kind] ?? `kind ${kind}`} index, not a ${name}`);
  }
  const seed = buffer.readDoubleLE(32);
  const bucketLength = buffer.readDoubleLE(40);
  const shape = familyShape(kind, dim, tables, bits);
  const reader = new SectionReader(buffer, HEADER_BYTES);
  const planes = reader.float32(shape.planes, 'planes');
  const offsets = reader.float32(shape.offsets, 'offsets');
  const ids = reader.int32(count, 'ids');
  const vectors = reader.float32(count * dim, 'vectors');
  for (let i = 0; i < vectors.length; i++) {
    if (!Number.isFinite(vectors[i])) throw new LshInputError(`vector component ${i} is not finite`);
  }
  const buckets: BucketTable[] = [];
  for (let t = 0; t < tables; t++) {
    const bucketCount = reader.uint32(1, `table ${t} size`)[0];
    const table = new BucketTable(
      reader.uint32(bucketCount, `table ${t} codes`),
      reader.int32(bucketCount + 1, `table ${t} starts`),
      reader.int32(count, `table ${t} slots`),
    );
    assertTable(table, count, shape.codeLimit, t);
    buckets.push(table);
  }
  if (reader.offset !== buffer.length) {
    throw new LshInputError(`${name} buffer has ${buffer.length - reader.offset} trailing bytes`);
  }
  return { kind, dim, tables, bits, probes, seed, bucketLength, planes, offsets, ids, vectors, buckets };
}

function assertTable(table: BucketTable, count: number, codeLimit: number, t: number): void {
  const { codes, starts, slots } = table;
  if (starts[0] !== 0 || starts[codes.length] !== count) {
    throw new LshInputError(`table ${t}: bucket starts do not span the ${count} slots`);
  }
  for (let b = 0; b < codes.length; b++) {
    if (codes[b] >= codeLimit || (b > 0 && codes[b] <= codes[b - 1]) || starts[b + 1] <= starts[b]) {
      throw new LshInputError(`table ${t}: bucket ${b} is out of order, empty or has a code out of range`);
    }
  }
  const seen = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const slot = slots[i];
    if (!(slot >= 0 && slot < count) || seen[slot] === 1) {
      throw new LshInputError(`table ${t}: slot ${slot} at position ${i} is out of range or repeated`);
    }
    seen[slot] = 1;
  }
}

/** Copies aligned typed arrays out of a Buffer whose own byteOffset may be unaligned. */
class SectionReader {
  constructor(
    private readonly buffer: Buffer,
    public offset: number,
  ) {}

  float32(length: number, what: string): Float32Array {
    return new Float32Array(this.take(length, what));
  }

  int32(length: number, what: string): Int32Array {
    return new Int32Array(this.take(length, what));
  }

  uint32(length: number, what: string): Uint32Array {
    return new Uint32Array(this.take(length, what));
  }

  private take(length: number, what: string): ArrayBuffer {
    const bytes = 4 * length;
    if (this.offset + bytes > this.buffer.length) {
      throw new LshInputError(`LSH index buffer is truncated in ${what}`);
    }
    const start = this.buffer.byteOffset + this.offset;
    this.offset += bytes;
    return this.buffer.buffer.slice(start, start + bytes) as ArrayBuffer;
  }
}

function bytesOf(array: Float32Array | Int32Array | Uint32Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

function assertLittleEndianHost(): void {
  if (endianness() !== 'LE') throw new LshInputError('LSH index serialization requires a little-endian host');
}

import { endianness } from 'node:os';
import { BucketTable } from './bucket.table';
import { LshInputError } from './lsh.errors';

/** Everything a CosineLsh needs to answer queries, with all slots live and bucketed. */
export interface LshState {
  dim: number;
  tables: number;
  bits: number;
  seed: number;
  probes: number;
  planes: Float32Array;
  ids: Int32Array;
  vectors: Float32Array;
  buckets: BucketTable[];
}

const MAGIC = 0x534c4754; // "TGLS" read as a little-endian uint32
const FORMAT_VERSION = 1;
const HEADER_BYTES = 40;

/*
 * Layout (little-endian, every section 4-byte aligned): header {magic, version, dim, tables, bits, probes,
 * count, reserved: u32; seed: f64}, planes f32[tables*bits*dim], ids i32[count], vectors f32[count*dim], then
 * per table {buckets: u32, codes u32[buckets], starts i32[buckets+1], slots i32[count]}.
 * Bulk sections are copied as raw typed-array bytes, hence the little-endian host requirement.
 */
export function writeLshState(state: LshState): Buffer {
  assertLittleEndianHost();
  const count = state.ids.length;
  const parts: Buffer[] = [];
  const header = Buffer.alloc(HEADER_BYTES);
  [MAGIC, FORMAT_VERSION, state.dim, state.tables, state.bits, state.probes, count, 0].forEach((value, i) =>
    header.writeUInt32LE(value, 4 * i),
  );
  header.writeDoubleLE(state.seed, 32);
  parts.push(header, bytesOf(state.planes), bytesOf(state.ids), bytesOf(state.vectors));
  for (const table of state.buckets) {
    const size = Buffer.alloc(4);
    size.writeUInt32LE(table.codes.length, 0);
    parts.push(size, bytesOf(table.codes), bytesOf(table.starts), bytesOf(table.slots));
  }
  return Buffer.concat(parts);
}

/** Parses and checks a buffer from writeLshState; any inconsistency throws LshInputError. */
export function readLshState(buffer: Buffer): LshState {
  assertLittleEndianHost();
  if (buffer.length < HEADER_BYTES || buffer.readUInt32LE(0) !== MAGIC) {
    throw new LshInputError('not a serialized CosineLsh (bad magic number or too short)');
  }
  const version = buffer.readUInt32LE(4);
  if (version !== FORMAT_VERSION) {
    throw new LshInputError(`unsupported CosineLsh format version ${version}, expected ${FORMAT_VERSION}`);
  }
  const [dim, tables, bits, probes, count] = [8, 12, 16, 20, 24].map((offset) => buffer.readUInt32LE(offset));
  const seed = buffer.readDoubleLE(32);
  const reader = new SectionReader(buffer, HEADER_BYTES);
  const planes = reader.float32(tables * bits * dim, 'hyperplanes');
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
    assertTable(table, count, bits, t);
    buckets.push(table);
  }
  if (reader.offset !== buffer.length) {
    throw new LshInputError(`CosineLsh buffer has ${buffer.length - reader.offset} trailing bytes`);
  }
  return { dim, tables, bits, seed, probes, planes, ids, vectors, buckets };
}

function assertTable(table: BucketTable, count: number, bits: number, t: number): void {
  const { codes, starts, slots } = table;
  const limit = 2 ** bits;
  if (starts[0] !== 0 || starts[codes.length] !== count) {
    throw new LshInputError(`table ${t}: bucket starts do not span the ${count} slots`);
  }
  for (let b = 0; b < codes.length; b++) {
    if (codes[b] >= limit || (b > 0 && codes[b] <= codes[b - 1]) || starts[b + 1] <= starts[b]) {
      throw new LshInputError(
        `table ${t}: bucket ${b} is out of order, empty or has a code over ${bits} bits`,
      );
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
      throw new LshInputError(`CosineLsh buffer is truncated in ${what}`);
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
  if (endianness() !== 'LE') throw new LshInputError('CosineLsh serialization requires a little-endian host');
}

import { crc32 } from 'node:zlib';
import { AlsInputError } from './als.errors';
import type { ConfidenceScheme } from './als.options';

/** Everything an AlsModel needs; what the codec writes and reads. */
export interface AlsModelState {
  readonly factors: number;
  readonly numUsers: number;
  readonly numItems: number;
  readonly userFactors: Float32Array;
  readonly itemFactors: Float32Array;
  readonly regularization: number;
  readonly confidence: ConfidenceScheme;
}

// Layout (little-endian): magic[8] version:u32 factors:u32 numUsers:u32 numItems:u32
// regularization:f64 alpha:f64 epsilon:f64 confidenceMode:u32 crc32:u32, then user and item factors as f32.
// The CRC covers the header before it and the whole payload, so any flipped byte is caught.
const MAGIC = Buffer.from('TGALSMDL', 'ascii');
export const MODEL_FORMAT_VERSION = 1;
const HEADER_BYTES = 56;
const CRC_OFFSET = 52;
const MODES = ['linear', 'log'] as const;

export function encodeModel(state: AlsModelState): Buffer {
  const userBytes = state.userFactors.length * 4;
  const buf = Buffer.alloc(HEADER_BYTES + userBytes + state.itemFactors.length * 4);
  MAGIC.copy(buf, 0);
  buf.writeUInt32LE(MODEL_FORMAT_VERSION, 8);
  buf.writeUInt32LE(state.factors, 12);
  buf.writeUInt32LE(state.numUsers, 16);
  buf.writeUInt32LE(state.numItems, 20);
  buf.writeDoubleLE(state.regularization, 24);
  buf.writeDoubleLE(state.confidence.alpha, 32);
  buf.writeDoubleLE(state.confidence.epsilon, 40);
  buf.writeUInt32LE(MODES.indexOf(state.confidence.mode), 48);
  writeFloats(buf, HEADER_BYTES, state.userFactors);
  writeFloats(buf, HEADER_BYTES + userBytes, state.itemFactors);
  buf.writeUInt32LE(checksum(buf), CRC_OFFSET);
  return buf;
}

export function decodeModel(buf: Buffer): AlsModelState {
  if (!Buffer.isBuffer(buf)) throw new AlsInputError('buffer', 'expected a Buffer');
  if (buf.length < HEADER_BYTES) {
    throw new AlsInputError('buffer', `${buf.length} bytes is shorter than the ${HEADER_BYTES}-byte header`);
  }
  if (!buf.subarray(0, 8).equals(MAGIC))
    throw new AlsInputError('buffer', 'not an ALS model (bad magic bytes)');
  const version = buf.readUInt32LE(8);
  if (version !== MODEL_FORMAT_VERSION) {
    throw new AlsInputError(
      'buffer',
      `unsupported model format version ${version} (expected ${MODEL_FORMAT_VERSION})`,
    );
  }
  const factors = buf.readUInt32LE(12);
  const numUsers = buf.readUInt32LE(16);
  const numItems = buf.readUInt32LE(20);
  if (factors < 1 || factors > 1024)
    throw new AlsInputError('buffer', `factors ${factors} outside [1, 1024]`);
  const expected = HEADER_BYTES + 4 * factors * (numUsers + numItems);
  if (buf.length !== expected) {
    throw new AlsInputError(
      'buffer',
      `length ${buf.length} bytes, expected ${expected} for ${numUsers} users, ${numItems} items, ${factors} factors (truncated?)`,
    );
  }
  const stored = buf.readUInt32LE(CRC_OFFSET);
  const actual = checksum(buf);
  if (stored !== actual) {
    throw new AlsInputError(
      'buffer',
      `checksum mismatch (stored ${stored}, computed ${actual}): corrupt model`,
    );
  }
  const modeIndex = buf.readUInt32LE(48);
  const mode = MODES[modeIndex];
  if (mode === undefined) throw new AlsInputError('buffer', `unknown confidence mode ${modeIndex}`);
  // Value checks (finite factors, regularization, alpha, epsilon) are the AlsModel constructor's.
  const regularization = buf.readDoubleLE(24);
  const confidence = { mode, alpha: buf.readDoubleLE(32), epsilon: buf.readDoubleLE(40) };
  const userFactors = readFloats(buf, HEADER_BYTES, numUsers * factors);
  const itemFactors = readFloats(buf, HEADER_BYTES + userFactors.byteLength, numItems * factors);
  return { factors, numUsers, numItems, userFactors, itemFactors, regularization, confidence };
}

function checksum(buf: Buffer): number {
  return crc32(buf.subarray(HEADER_BYTES), crc32(buf.subarray(0, CRC_OFFSET)));
}

// Float arrays are copied byte-for-byte, which is only little-endian on a little-endian host.
if (new Uint8Array(Uint32Array.of(1).buffer)[0] !== 1) {
  throw new Error('@tunegraph/als model serialisation requires a little-endian platform');
}

function writeFloats(buf: Buffer, offset: number, values: Float32Array): void {
  Buffer.from(values.buffer, values.byteOffset, values.byteLength).copy(buf, offset);
}

function readFloats(buf: Buffer, offset: number, count: number): Float32Array {
  // Copy (never view) so the model does not alias the caller's buffer or depend on its alignment.
  const out = new Float32Array(count);
  Buffer.from(out.buffer).set(buf.subarray(offset, offset + 4 * count));
  return out;
}

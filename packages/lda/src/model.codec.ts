import { crc32 } from 'node:zlib';
import { LdaInputError } from './lda.errors';

/** Everything an LdaModel needs; what the codec writes and reads. */
export interface LdaModelState {
  readonly topics: number;
  readonly vocabularySize: number;
  readonly alpha: number;
  readonly eta: number;
  readonly maxDocIterations: number;
  readonly meanChangeTolerance: number;
  /** K x V, topic-major. */
  readonly lambda: Float32Array;
}

// Layout (little-endian): magic[8] version:u32 topics:u32 vocabularySize:u32 maxDocIterations:u32
// alpha:f64 eta:f64 meanChangeTolerance:f64 crc32:u32 pad:u32, then lambda as f32. The CRC covers the
// header before it and the whole payload, so any flipped byte is caught.
const MAGIC = Buffer.from('TGLDAMDL', 'ascii');
export const LDA_FORMAT_VERSION = 1;
const HEADER_BYTES = 56;
const CRC_OFFSET = 48;

export function encodeModel(state: LdaModelState): Buffer {
  const buf = Buffer.alloc(HEADER_BYTES + state.lambda.byteLength);
  MAGIC.copy(buf, 0);
  buf.writeUInt32LE(LDA_FORMAT_VERSION, 8);
  buf.writeUInt32LE(state.topics, 12);
  buf.writeUInt32LE(state.vocabularySize, 16);
  buf.writeUInt32LE(state.maxDocIterations, 20);
  buf.writeDoubleLE(state.alpha, 24);
  buf.writeDoubleLE(state.eta, 32);
  buf.writeDoubleLE(state.meanChangeTolerance, 40);
  for (let i = 0; i < state.lambda.length; i++) buf.writeFloatLE(state.lambda[i], HEADER_BYTES + 4 * i);
  buf.writeUInt32LE(checksum(buf), CRC_OFFSET);
  return buf;
}

/** Structural checks only; value checks (positive finite lambda, priors) are the LdaModel constructor's. */
export function decodeModel(buf: Buffer): LdaModelState {
  if (!Buffer.isBuffer(buf)) throw new LdaInputError('LdaModel.fromBuffer: expected a Buffer');
  if (buf.length < HEADER_BYTES) {
    throw new LdaInputError(
      `LdaModel.fromBuffer: ${buf.length} bytes is shorter than the ${HEADER_BYTES}-byte header`,
    );
  }
  if (!buf.subarray(0, 8).equals(MAGIC)) {
    throw new LdaInputError('LdaModel.fromBuffer: not a serialized LdaModel (bad magic bytes)');
  }
  const version = buf.readUInt32LE(8);
  if (version !== LDA_FORMAT_VERSION) {
    throw new LdaInputError(
      `LdaModel.fromBuffer: unsupported format version ${version} (expected ${LDA_FORMAT_VERSION})`,
    );
  }
  const topics = buf.readUInt32LE(12);
  const vocabularySize = buf.readUInt32LE(16);
  const expected = HEADER_BYTES + 4 * topics * vocabularySize;
  if (buf.length !== expected) {
    throw new LdaInputError(
      `LdaModel.fromBuffer: ${buf.length} bytes, expected ${expected} for ${topics} topics x ${vocabularySize} terms (truncated?)`,
    );
  }
  const stored = buf.readUInt32LE(CRC_OFFSET);
  const actual = checksum(buf);
  if (stored !== actual) {
    throw new LdaInputError(
      `LdaModel.fromBuffer: checksum mismatch (stored ${stored}, computed ${actual}): corrupt model`,
    );
  }
  const lambda = new Float32Array(topics * vocabularySize);
  for (let i = 0; i < lambda.length; i++) lambda[i] = buf.readFloatLE(HEADER_BYTES + 4 * i);
  return {
    topics,
    vocabularySize,
    maxDocIterations: buf.readUInt32LE(20),
    alpha: buf.readDoubleLE(24),
    eta: buf.readDoubleLE(32),
    meanChangeTolerance: buf.readDoubleLE(40),
    lambda,
  };
}

function checksum(buf: Buffer): number {
  return crc32(buf.subarray(HEADER_BYTES), crc32(buf.subarray(0, CRC_OFFSET)));
}

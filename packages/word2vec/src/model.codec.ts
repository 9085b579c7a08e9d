import { crc32 } from 'node:zlib';
import { Word2VecInputError } from './word2vec.errors';

export interface Word2VecModelState {
  readonly dim: number;
  readonly vocabularySize: number;
  readonly vectors: Float32Array;
}

// Layout (little-endian): magic[8] version:u32 dim:u32 vocabularySize:u32 crc32:u32, then the vectors as f32.
// The CRC covers the header before it and the whole payload, so any flipped byte is caught.
const MAGIC = Buffer.from('TGW2VMDL', 'ascii');
export const WORD2VEC_FORMAT_VERSION = 1;
const HEADER_BYTES = 24;
const CRC_OFFSET = 20;

export function encodeModel(state: Word2VecModelState): Buffer {
  const buf = Buffer.alloc(HEADER_BYTES + state.vectors.length * 4);
  MAGIC.copy(buf, 0);
  buf.writeUInt32LE(WORD2VEC_FORMAT_VERSION, 8);
  buf.writeUInt32LE(state.dim, 12);
  buf.writeUInt32LE(state.vocabularySize, 16);
  const payload = new Float32Array(buf.buffer, buf.byteOffset + HEADER_BYTES, state.vectors.length);
  payload.set(state.vectors); // Buffer.alloc starts on an 8-byte boundary and the header is 24 bytes
  buf.writeUInt32LE(checksum(buf), CRC_OFFSET);
  return buf;
}

export function decodeModel(buf: Buffer): Word2VecModelState {
  if (!Buffer.isBuffer(buf)) throw new Word2VecInputError('buffer', 'expected a Buffer');
  if (buf.length < HEADER_BYTES) {
    throw new Word2VecInputError(
      'buffer',
      `${buf.length} bytes is shorter than the ${HEADER_BYTES}-byte header`,
    );
  }
  if (!buf.subarray(0, 8).equals(MAGIC)) {
    throw new Word2VecInputError('buffer', 'not a word2vec model (bad magic bytes)');
  }
  const version = buf.readUInt32LE(8);
  if (version !== WORD2VEC_FORMAT_VERSION) {
    throw new Word2VecInputError(
      'buffer',
      `unsupported model format version ${version} (expected ${WORD2VEC_FORMAT_VERSION})`,
    );
  }
  const dim = buf.readUInt32LE(12);
  const vocabularySize = buf.readUInt32LE(16);
  const expected = HEADER_BYTES + dim * vocabularySize * 4;
  if (buf.length !== expected) {
    throw new Word2VecInputError(
      'buffer',
      `${buf.length} bytes but dim ${dim} x vocabularySize ${vocabularySize} needs ${expected}`,
    );
  }
  const stored = buf.readUInt32LE(CRC_OFFSET);
  if (checksum(buf) !== stored) throw new Word2VecInputError('buffer', 'checksum mismatch (corrupted model)');
  const vectors = new Float32Array(dim * vocabularySize);
  for (let i = 0; i < vectors.length; i++) vectors[i] = buf.readFloatLE(HEADER_BYTES + i * 4);
  return { dim, vocabularySize, vectors };
}

function checksum(buf: Buffer): number {
  return crc32(buf.subarray(CRC_OFFSET + 4), crc32(buf.subarray(0, CRC_OFFSET)));
}

import { crc32 } from 'node:zlib';
import { AutoencoderInputError } from './autoencoder.errors';
import type { Variant } from './network';

/** Everything a trained model is: what the codec writes and reads. */
export interface AutoencoderState {
  variant: Variant;
  hidden: number[];
  /** Catalog size: item indexes are 0..numItems-1. */
  numItems: number;
  /** The network's items, as catalog indexes in increasing order; other items are never read nor recommended. */
  vocab: Int32Array;
  /** Weight and bias of every layer, in layer order. */
  parameters: Float32Array[];
  /** Catalog id of each item index, when the trainer was given them. */
  itemIds?: string[];
}

// Layout (little-endian): magic[8] version:u32 headerBytes:u32 crc32:u32, a UTF-8 JSON header (variant, hidden,
// numItems, vocabSize, parameter lengths, item ids), then the vocabulary as i32 and every parameter as f32.
// The CRC covers everything after itself, so any flipped byte is caught.
const MAGIC = Buffer.from('TGAEMODL', 'ascii');
export const AUTOENCODER_FORMAT_VERSION = 1;
const CRC_OFFSET = 16;
const PREFIX_BYTES = 20;

interface Header {
  variant: string;
  hidden: number[];
  numItems: number;
  vocabSize: number;
  parameterLengths: number[];
  itemIds?: string[];
}

export function encodeModel(state: AutoencoderState): Buffer {
  const header: Header = {
    variant: state.variant,
    hidden: state.hidden,
    numItems: state.numItems,
    vocabSize: state.vocab.length,
    parameterLengths: state.parameters.map((p) => p.length),
    itemIds: state.itemIds,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const arrays = [state.vocab, ...state.parameters];
  const payload = arrays.reduce((s, a) => s + a.byteLength, 0);
  const buf = Buffer.alloc(PREFIX_BYTES + json.length + payload);
  MAGIC.copy(buf, 0);
  buf.writeUInt32LE(AUTOENCODER_FORMAT_VERSION, 8);
  buf.writeUInt32LE(json.length, 12);
  json.copy(buf, PREFIX_BYTES);
  let offset = PREFIX_BYTES + json.length;
  for (const a of arrays) {
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(buf, offset);
    offset += a.byteLength;
  }
  buf.writeUInt32LE(crc32(buf.subarray(PREFIX_BYTES)), CRC_OFFSET);
  return buf;
}

/** Reads what encodeModel wrote; shapes and values are checked again when the model is built from the state. */
export function decodeModel(buf: Buffer): AutoencoderState {
  const fail = (message: string): never => {
    throw new AutoencoderInputError('buffer', message);
  };
  if (!Buffer.isBuffer(buf)) fail('expected a Buffer');
  if (buf.length < PREFIX_BYTES || !buf.subarray(0, 8).equals(MAGIC))
    fail('not an autoencoder model (bad magic bytes)');
  const version = buf.readUInt32LE(8);
  if (version !== AUTOENCODER_FORMAT_VERSION) {
    fail(`unsupported model format version ${version} (expected ${AUTOENCODER_FORMAT_VERSION})`);
  }
  const headerBytes = buf.readUInt32LE(12);
  if (PREFIX_BYTES + headerBytes > buf.length)
    fail(`header of ${headerBytes} bytes overruns the buffer (truncated?)`);
  const stored = buf.readUInt32LE(CRC_OFFSET);
  const actual = crc32(buf.subarray(PREFIX_BYTES));
  if (stored !== actual)
    fail(`checksum mismatch (stored ${stored}, computed ${actual}): corrupt or truncated model`);
  const header = JSON.parse(buf.toString('utf8', PREFIX_BYTES, PREFIX_BYTES + headerBytes)) as Header;
  if (header.variant !== 'dae' && header.variant !== 'vae') fail(`unknown model variant ${header.variant}`);
  const lengths = [header.vocabSize, ...header.parameterLengths];
  const expected = PREFIX_BYTES + headerBytes + 4 * lengths.reduce((s, n) => s + n, 0);
  if (buf.length !== expected) fail(`length ${buf.length} bytes, expected ${expected}`);
  let offset = PREFIX_BYTES + headerBytes;
  const read = (n: number): Uint8Array => {
    // Copy (never view) so the model neither aliases the caller's buffer nor depends on its alignment.
    const bytes = Uint8Array.prototype.slice.call(buf, offset, offset + 4 * n);
    offset += 4 * n;
    return bytes;
  };
  const vocab = new Int32Array(read(header.vocabSize).buffer);
  const parameters = header.parameterLengths.map((n) => new Float32Array(read(n).buffer));
  return {
    variant: header.variant as AutoencoderState['variant'],
    hidden: header.hidden,
    numItems: header.numItems,
    vocab,
    parameters,
    itemIds: header.itemIds,
  };
}

// Typed arrays are copied byte-for-byte, which is only little-endian on a little-endian host.
if (new Uint8Array(Uint32Array.of(1).buffer)[0] !== 1) {
  throw new Error('@tunegraph/autoencoder model serialisation requires a little-endian platform');
}

/**
 * One binary layout for every baseline: a magic tag, a JSON header of scalars and array shapes, then the typed
 * arrays, each 4-byte aligned. Little-endian, as Buffer's typed views are on every platform we run on.
 */
export type ModelArray = Int32Array | Float32Array;

const MAGIC = 'TGMB1';

export function encodeModelBuffer(
  kind: string,
  scalars: Record<string, number>,
  arrays: Record<string, ModelArray>,
): Buffer {
  const shapes = Object.entries(arrays).map(([name, a]) => ({
    name,
    type: a instanceof Int32Array ? 'i32' : 'f32',
    length: a.length,
  }));
  const header = Buffer.from(JSON.stringify({ kind, scalars, shapes }), 'utf8');
  const headerPadded = Math.ceil((header.length + MAGIC.length + 4) / 4) * 4;
  const total = headerPadded + shapes.reduce((s, a) => s + a.length * 4, 0);
  const buf = Buffer.alloc(total);
  buf.write(MAGIC, 0, 'latin1');
  buf.writeUInt32LE(header.length, MAGIC.length);
  header.copy(buf, MAGIC.length + 4);
  let offset = headerPadded;
  for (const a of Object.values(arrays)) {
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(buf, offset);
    offset += a.byteLength;
  }
  return buf;
}

export interface DecodedModel {
  scalars: Record<string, number>;
  arrays: Record<string, ModelArray>;
}

/** Checks the tag, the kind and every length before handing the arrays out (they are copies, safely aligned). */
export function decodeModelBuffer(buf: Buffer, kind: string): DecodedModel {
  if (buf.length < MAGIC.length + 4 || buf.toString('latin1', 0, MAGIC.length) !== MAGIC) {
    throw new RangeError(`not a ${kind} model: bad magic bytes`);
  }
  const headerLength = buf.readUInt32LE(MAGIC.length);
  const header = JSON.parse(buf.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + headerLength)) as {
    kind: string;
    scalars: Record<string, number>;
    shapes: { name: string; type: 'i32' | 'f32'; length: number }[];
  };
  if (header.kind !== kind) throw new RangeError(`expected a ${kind} model, got a ${header.kind} model`);
  let offset = Math.ceil((headerLength + MAGIC.length + 4) / 4) * 4;
  const arrays: Record<string, ModelArray> = {};
  for (const { name, type, length } of header.shapes) {
    if (offset + length * 4 > buf.length) throw new RangeError(`${kind} model is truncated in array ${name}`);
    const bytes = new Uint8Array(buf.subarray(offset, offset + length * 4)).buffer;
    arrays[name] = type === 'i32' ? new Int32Array(bytes) : new Float32Array(bytes);
    offset += length * 4;
  }
  if (offset !== buf.length) throw new RangeError(`${kind} model has ${buf.length - offset} trailing bytes`);
  return { scalars: header.scalars, arrays };
}

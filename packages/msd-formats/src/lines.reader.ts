import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { type MsdSource, toByteSource } from './byte-source';
import { LineSplitter, type RawLine } from './line-splitter';
import { isTarHeader, tarMemberLines } from './tar-members.reader';

export type { LineEncoding, RawLine } from './line-splitter';

/** Far above any real MSD line (the mxm vocabulary line is ~30 KB) but bounds memory on binary or broken input. */
export const DEFAULT_MAX_LINE_BYTES = 4 << 20;

export async function isGzipFile(source: MsdSource): Promise<boolean> {
  const magic = await toByteSource(source).readHead(2);
  return magic.length === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
}

/** The first chunks of a stream, joined until they hold at least `bytes` bytes or the stream ends. */
async function readAtLeast(it: AsyncIterator<Buffer>, bytes: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  while (size < bytes) {
    const next = await it.next();
    if (next.done) break;
    parts.push(next.value);
    size += next.value.length;
  }
  return Buffer.concat(parts);
}

async function* plainLines(first: Buffer, rest: AsyncIterator<Buffer>, maxLineBytes: number) {
  const splitter = new LineSplitter(maxLineBytes);
  for (let chunk: Buffer | undefined = first; chunk !== undefined;) {
    const batch: RawLine[] = [];
    splitter.push(chunk, batch);
    if (batch.length > 0) yield batch;
    const next = await rest.next();
    chunk = next.done ? undefined : next.value;
  }
  const last: RawLine[] = [];
  splitter.end(last);
  if (last.length > 0) yield last;
}

/**
 * Streams the lines of a plain or gzip-compressed file (told apart by the magic bytes), or of every member file of
 * a (compressed) tar archive in archive order, one batch per read chunk so that callers pay one async step per chunk
 * rather than per line (64 KiB chunks: bigger ones keep so many lines alive that garbage collection dominates).
 * Stopping early closes the file.
 */
export async function* readLineBatches(
  source: MsdSource,
  maxLineBytes = DEFAULT_MAX_LINE_BYTES,
): AsyncGenerator<RawLine[]> {
  const bytes = toByteSource(source);
  const gzip = await isGzipFile(bytes);
  const raw = await bytes.open();
  const stream: Readable = gzip ? pipeline(raw, createGunzip(), () => undefined) : raw;
  try {
    const it = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    const first = await readAtLeast(it, 512);
    yield* isTarHeader(first)
      ? tarMemberLines(first, it, (offset) => new LineSplitter(maxLineBytes, offset))
      : plainLines(first, it, maxLineBytes);
  } catch (err) {
    throw new Error(`${bytes.path}: ${(err as Error).message}`, { cause: err });
  } finally {
    raw.destroy();
    stream.destroy();
  }
}

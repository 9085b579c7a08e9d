import { isAscii, isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** How one line was decoded: `latin1` means it was not valid UTF-8. */
export type LineEncoding = 'ascii' | 'utf-8' | 'latin1';

export interface RawLine {
  /** 1-based. */
  lineNo: number;
  /** Decoded text without `\n` and without one trailing `\r`; for an overlong line, only its start. */
  text: string;
  encoding: LineEncoding;
  /** False only for a last line that the file does not end with a newline. */
  terminated: boolean;
  /** Byte length of a line longer than the limit (its bytes were not kept); 0 otherwise. */
  overlongBytes: number;
}

/** Far above any real MSD line (the mxm vocabulary line is ~30 KB) but bounds memory on binary or broken input. */
export const DEFAULT_MAX_LINE_BYTES = 4 << 20;
const PREVIEW_BYTES = 200;

export async function isGzipFile(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const magic = Buffer.alloc(2);
    const { bytesRead } = await fh.read(magic, 0, 2, 0);
    return bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

function decoded(lineNo: number, bytes: Buffer, terminated: boolean, overlongBytes: number): RawLine {
  if (isAscii(bytes))
    return { lineNo, text: bytes.toString('latin1'), encoding: 'ascii', terminated, overlongBytes };
  if (isUtf8(bytes))
    return { lineNo, text: bytes.toString('utf8'), encoding: 'utf-8', terminated, overlongBytes };
  return { lineNo, text: bytes.toString('latin1'), encoding: 'latin1', terminated, overlongBytes };
}

/** Splits a byte stream into lines with bounded memory: a line over the limit is counted, not buffered. */
class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes of the current line seen so far once it went over the limit; 0 while it is within the limit. */
  private overlong = 0;
  private preview: Buffer = Buffer.alloc(0);
  private lineNo = 0;

  constructor(private readonly maxLineBytes: number) {}

  push(chunk: Buffer, out: RawLine[]): void {
    const chunkAscii = isAscii(chunk);
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      // Fast path for the bulk of a file: a whole ASCII line inside one chunk decodes without a Buffer view.
      if (
        chunkAscii &&
        this.pendingBytes === 0 &&
        this.overlong === 0 &&
        this.lineNo > 0 &&
        nl - start <= this.maxLineBytes
      ) {
        const end = nl > start && chunk[nl - 1] === 13 ? nl - 1 : nl;
        out.push({
          lineNo: ++this.lineNo,
          text: chunk.toString('latin1', start, end),
          encoding: 'ascii',
          terminated: true,
          overlongBytes: 0,
        });
      } else {
        out.push(this.line(chunk.subarray(start, nl), true));
      }
      start = nl + 1;
    }
    if (start < chunk.length) this.keep(chunk.subarray(start));
  }

  end(out: RawLine[]): void {
    if (this.pendingBytes > 0 || this.overlong > 0) out.push(this.line(Buffer.alloc(0), false));
  }

  private keep(rest: Buffer): void {
    if (this.overlong > 0) {
      this.overlong += rest.length;
    } else if (this.pendingBytes + rest.length > this.maxLineBytes) {
      this.preview = Buffer.concat([...this.pending, rest]).subarray(0, PREVIEW_BYTES);
      this.overlong = this.pendingBytes + rest.length;
      this.pending = [];
      this.pendingBytes = 0;
    } else {
      // A copy, so a kept line tail never pins a whole 1 MiB read buffer.
      this.pending.push(Buffer.from(rest));
      this.pendingBytes += rest.length;
    }
  }

  private line(tail: Buffer, terminated: boolean): RawLine {
    const lineNo = ++this.lineNo;
    const total = this.overlong + this.pendingBytes + tail.length;
    if (this.overlong > 0 || total > this.maxLineBytes) {
      const preview =
        this.overlong > 0 ? this.preview : Buffer.concat([...this.pending, tail]).subarray(0, PREVIEW_BYTES);
      this.overlong = 0;
      this.pending = [];
      this.pendingBytes = 0;
      return decoded(lineNo, preview, terminated, total);
    }
    let bytes = tail;
    if (this.pendingBytes > 0) {
      bytes = Buffer.concat([...this.pending, tail]);
      this.pending = [];
      this.pendingBytes = 0;
    }
    let from = 0;
    let to = bytes.length;
    if (to > 0 && bytes[to - 1] === 13) to--;
    if (lineNo === 1 && to >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) from = 3;
    return decoded(lineNo, bytes.subarray(from, to), terminated, 0);
  }
}

/**
 * Streams the lines of a plain or gzip-compressed file (told apart by the magic bytes), one batch per read chunk
 * so that callers pay one async step per chunk rather than per line (64 KiB chunks: bigger ones keep
 * so many lines alive that garbage collection dominates). Stopping early closes the file.
 */
export async function* readLineBatches(
  path: string,
  maxLineBytes = DEFAULT_MAX_LINE_BYTES,
): AsyncGenerator<RawLine[]> {
  const gzip = await isGzipFile(path);
  const file = createReadStream(path, { highWaterMark: 1 << 16 });
  let source: Readable = file;
  if (gzip) {
    const gunzip = createGunzip();
    source = pipeline(file, gunzip, () => undefined);
  }
  const splitter = new LineSplitter(maxLineBytes);
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      const batch: RawLine[] = [];
      splitter.push(chunk, batch);
      if (batch.length > 0) yield batch;
    }
  } catch (err) {
    throw new Error(`${path}: ${(err as Error).message}`, { cause: err });
  } finally {
    file.destroy();
    source.destroy();
  }
  const last: RawLine[] = [];
  splitter.end(last);
  if (last.length > 0) yield last;
}

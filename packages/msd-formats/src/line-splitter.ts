import { isAscii, isUtf8 } from 'node:buffer';

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
  /** Inside a tar archive: the member file the line comes from. */
  member?: string;
}

const PREVIEW_BYTES = 200;

function decoded(lineNo: number, bytes: Buffer, terminated: boolean, overlongBytes: number): RawLine {
  if (isAscii(bytes))
    return { lineNo, text: bytes.toString('latin1'), encoding: 'ascii', terminated, overlongBytes };
  if (isUtf8(bytes))
    return { lineNo, text: bytes.toString('utf8'), encoding: 'utf-8', terminated, overlongBytes };
  return { lineNo, text: bytes.toString('latin1'), encoding: 'latin1', terminated, overlongBytes };
}

/**
 * Splits a byte stream into lines with bounded memory: a line over the limit is counted, not buffered. Line numbers
 * start after `firstLineNo` (members of a tar archive continue the numbering of the one before).
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes of the current line seen so far once it went over the limit; 0 while it is within the limit. */
  private overlong = 0;
  private preview: Buffer = Buffer.alloc(0);
  lineNo: number;

  constructor(
    private readonly maxLineBytes: number,
    private readonly firstLineNo = 0,
  ) {
    this.lineNo = firstLineNo;
  }

  push(chunk: Buffer, out: RawLine[]): void {
    const chunkAscii = isAscii(chunk);
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      // Fast path for the bulk of a file: a whole ASCII line inside one chunk decodes without a Buffer view.
      if (
        chunkAscii &&
        this.pendingBytes === 0 &&
        this.overlong === 0 &&
        this.lineNo > this.firstLineNo &&
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
    if (
      lineNo === this.firstLineNo + 1 &&
      to >= 3 &&
      bytes[0] === 0xef &&
      bytes[1] === 0xbb &&
      bytes[2] === 0xbf
    )
      from = 3;
    return decoded(lineNo, bytes.subarray(from, to), terminated, 0);
  }
}

export type CopyValue = string | number | null;

const NEEDS_ESCAPE = /[\0\\\t\n\r]/;

function escapeCopy(v: string): string {
  // Postgres text cannot hold NUL; it becomes U+FFFD so the row still loads and the change is visible.
  return v
    .replace(/\0/g, '\uFFFD')
    .replace(/\\/g, '\\\\')
    .replace(/\t/g, '\\t')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r');
}

const TAB = 9;
const NEWLINE = 10;
const BACKSLASH = 92;
const NULL_MARK = Buffer.from('\\N');

/**
 * Rows in COPY's text format, written straight into bytes. Building one string per chunk and encoding it costs
 * about three times as much at tens of millions of rows: every row's pieces become a rope that is flattened, then
 * copied again into bytes.
 */
export class CopyTextEncoder {
  private buffer: Buffer;
  private pos = 0;

  constructor(private readonly chunkBytes = 1 << 20) {
    this.buffer = Buffer.allocUnsafe(chunkBytes);
  }

  /** Bytes written so far and not yet taken. */
  get size(): number {
    return this.pos;
  }

  row(values: readonly CopyValue[]): void {
    for (let i = 0; i < values.length; i++) {
      if (i > 0) this.byte(TAB);
      this.value(values[i]);
    }
    this.byte(NEWLINE);
  }

  /** The bytes written since the last take (a copy the caller owns). */
  take(): Buffer {
    const out = Buffer.from(this.buffer.subarray(0, this.pos));
    this.pos = 0;
    return out;
  }

  private value(v: CopyValue): void {
    if (v === null) {
      this.room(2);
      this.pos += NULL_MARK.copy(this.buffer, this.pos);
      return;
    }
    const text = typeof v === 'number' ? String(v) : v;
    // Most values (ids, counts) are printable ASCII: copied a char at a time while checking, in one pass. A call to
    // Buffer.write per value (plus a regex test to choose it) cost several times more at tens of millions of values.
    this.room(text.length);
    const buffer = this.buffer;
    let pos = this.pos;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 32 || c === BACKSLASH || c > 126) return this.escaped(text);
      buffer[pos++] = c;
    }
    this.pos = pos;
  }

  /** A value with control characters, backslashes or non-ASCII: escaped where COPY needs it, written as UTF-8. */
  private escaped(v: string): void {
    const text = NEEDS_ESCAPE.test(v) ? escapeCopy(v) : v;
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    this.room(text.length * 3);
    this.pos += this.buffer.write(text, this.pos, 'utf8');
  }

  private byte(b: number): void {
    this.room(1);
    this.buffer[this.pos++] = b;
  }

  private room(bytes: number): void {
    if (this.pos + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.pos + bytes, this.chunkBytes));
    this.buffer.copy(grown, 0, 0, this.pos);
    this.buffer = grown;
  }
}

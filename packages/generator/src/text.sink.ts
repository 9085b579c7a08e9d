import { type FileHandle, open } from 'node:fs/promises';

const FLUSH_CHARS = 1 << 20;

/** Buffered text output: callers add lines synchronously and await a flush only when add() says it is due. */
export class TextSink {
  private buffer = '';
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly fh: FileHandle,
  ) {}

  static async create(path: string): Promise<TextSink> {
    return new TextSink(path, await open(path, 'w'));
  }

  /** True when the buffer is due for flush(). */
  add(text: string): boolean {
    this.buffer += text;
    return this.buffer.length >= FLUSH_CHARS;
  }

  async flush(): Promise<void> {
    if (this.buffer === '') return;
    const bytes = Buffer.from(this.buffer, 'utf8');
    this.buffer = '';
    for (let offset = 0; offset < bytes.length;) {
      const { bytesWritten } = await this.fh.write(bytes, offset, bytes.length - offset);
      offset += bytesWritten;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.flush();
    } finally {
      await this.fh.close();
    }
  }
}

import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { copyTextFromStdin } from './bulk-copy';
import { CopyTextEncoder, type CopyValue } from './copy-text.encoder';
import type { Sql } from './sql.client';

const WRITE_BYTES = 1 << 20;

/**
 * Rows set aside in a temporary file, as COPY text, until they can be copied into a table: what a bulk load cannot
 * take on the way (its connection busy with another COPY, its memory spent) without holding it in memory. The file
 * has no name once created, so a killed process leaves nothing behind.
 */
export class RowSpill {
  private readonly encoder = new CopyTextEncoder();
  private count = 0;

  private constructor(private readonly file: FileHandle) {}

  /** A new, empty spill under the system's temporary directory. */
  static async create(prefix: string): Promise<RowSpill> {
    const dir = await mkdtemp(path.join(tmpdir(), prefix));
    try {
      return new RowSpill(await open(path.join(dir, 'rows.copy'), 'w+'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  get rows(): number {
    return this.count;
  }

  add(row: readonly CopyValue[]): void {
    this.encoder.row(row);
    this.count++;
  }

  /** Writes what was added to the file once about a megabyte has gathered; call between batches of `add`. */
  async flush(force = false): Promise<void> {
    if (this.encoder.size >= WRITE_BYTES || (force && this.encoder.size > 0))
      await this.file.write(this.encoder.take());
  }

  /** Copies every row added into `table` (a real server: COPY FROM STDIN) and returns how many there were. */
  async copyInto(sql: Sql, table: string, columns: string[]): Promise<number> {
    await this.flush(true);
    const rows = createReadStream('', { fd: this.file, start: 0, autoClose: false });
    await copyTextFromStdin(sql, table, columns, rows);
    return this.count;
  }

  /** Closes the file, which frees its space; the spill cannot be used after. */
  async remove(): Promise<void> {
    await this.file.close();
  }
}

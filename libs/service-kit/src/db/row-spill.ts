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
 * take on the way (its connection busy with another COPY, its memory spent) without holding it in memory.
 */
export class RowSpill {
  private readonly encoder = new CopyTextEncoder();
  private count = 0;

  private constructor(
    private readonly dir: string,
    private readonly file: FileHandle,
  ) {}

  /** A new, empty spill in a directory of its own under the system's temporary directory. */
  static async create(prefix: string): Promise<RowSpill> {
    const dir = await mkdtemp(path.join(tmpdir(), prefix));
    return new RowSpill(dir, await open(path.join(dir, 'rows.copy'), 'w'));
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
    await copyTextFromStdin(sql, table, columns, createReadStream(path.join(this.dir, 'rows.copy')));
    return this.count;
  }

  /** Deletes the file; the spill cannot be used after. */
  async remove(): Promise<void> {
    await this.file.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}

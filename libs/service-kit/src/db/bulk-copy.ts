import type { PGlite } from '@electric-sql/pglite';
import { CopyTextEncoder, type CopyValue } from './copy-text.encoder';
import type { Sql } from './sql.client';

export type { CopyValue };

/** Where bulk rows go: a Postgres pool, plus the PGlite instance when this process owns the embedded store. */
export interface BulkTarget {
  sql: Sql;
  pglite?: PGlite;
}

/** Rows per multi-row INSERT over PGlite's socket, at most. */
const INSERT_ROWS = 5_000;
/** COPY data is sent (or handed to PGlite) in pieces of about this size. */
const PIECE_BYTES = 1 << 20;

/**
 * The rows as COPY text pieces of about PIECE_BYTES. Each row is encoded as it arrives, so the row objects die
 * young: held back until a round number of them had gathered, they outlived the young generation, and promoting and
 * collecting them cost a 10 M-row load a fifth of its parsing time.
 */
async function* copyText(rows: AsyncIterable<CopyValue[][]>): AsyncGenerator<Buffer> {
  const encoder = new CopyTextEncoder();
  for await (const chunk of rows) {
    for (const row of chunk) encoder.row(row);
    if (encoder.size >= PIECE_BYTES) yield encoder.take();
  }
  if (encoder.size > 0) yield encoder.take();
}

const quoteIdent = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe identifier ${name}`);
  return name;
};

let socketIsPglite: WeakMap<Sql, boolean> | undefined;

/** PGlite's wire-protocol socket cannot carry COPY FROM STDIN, so such targets fall back to multi-row INSERTs. */
async function isPgliteSocket(sql: Sql): Promise<boolean> {
  socketIsPglite ??= new WeakMap();
  const known = socketIsPglite.get(sql);
  if (known !== undefined) return known;
  const [{ version }] = await sql<{ version: string }[]>`SELECT version()`;
  const result = version.includes('PGlite');
  socketIsPglite.set(sql, result);
  return result;
}

/** True when rows can stream with COPY FROM STDIN over `target.sql`: a real server, not PGlite in any form. */
export async function copiesFromStdin(target: BulkTarget): Promise<boolean> {
  return !target.pglite && !(await isPgliteSocket(target.sql));
}

/**
 * Streams rows into a table with COPY: STDIN on a real server, a blob inside the process that owns PGlite, or
 * batched INSERTs over PGlite's socket. Returns the number of rows written. `freeze` (real server only) writes the
 * rows frozen and marks their pages all-visible, so no later pass dirties them to set hint bits and index-only scans
 * work at once; PostgreSQL allows it only into a table created or truncated in the current (sub)transaction.
 */
export async function copyRows(
  target: BulkTarget,
  table: string,
  columns: string[],
  rows: AsyncIterable<CopyValue[][]> | Iterable<CopyValue[][]>,
  opts: { freeze?: boolean } = {},
): Promise<number> {
  const cols = columns.map(quoteIdent).join(', ');
  const name = quoteIdent(table);
  let written = 0;
  const counted = countRows(rows, (n) => (written += n));
  if (target.pglite) {
    for await (const piece of copyText(counted)) {
      await target.pglite.query(`COPY ${name} (${cols}) FROM '/dev/blob'`, [], { blob: new Blob([piece]) });
    }
    return written;
  }
  if (await isPgliteSocket(target.sql)) {
    const perInsert = Math.max(1, Math.min(INSERT_ROWS, Math.floor(30_000 / columns.length)));
    for await (const chunk of rechunk(counted, perInsert)) {
      const objects = chunk.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]])));
      await target.sql`INSERT INTO ${target.sql(name)} ${target.sql(objects, columns)}`;
    }
    return written;
  }
  await copyTextFromStdin(target.sql, table, columns, copyText(counted), opts);
  return written;
}

/**
 * Streams rows already in COPY's text format (split anywhere) into a table with COPY FROM STDIN, on a real server
 * only. `freeze` as in copyRows.
 */
export async function copyTextFromStdin(
  sql: Sql,
  table: string,
  columns: string[],
  pieces: AsyncIterable<Buffer>,
  opts: { freeze?: boolean } = {},
): Promise<void> {
  const cols = columns.map(quoteIdent).join(', ');
  const options = opts.freeze ? ' WITH (FREEZE)' : '';
  const stream = await sql.unsafe(`COPY ${quoteIdent(table)} (${cols}) FROM STDIN${options}`).writable();
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  for await (const piece of pieces) {
    if (!stream.write(piece)) await new Promise((r) => stream.once('drain', r));
  }
  stream.end();
  await finished;
}

async function* countRows(
  source: AsyncIterable<CopyValue[][]> | Iterable<CopyValue[][]>,
  count: (n: number) => void,
): AsyncGenerator<CopyValue[][]> {
  for await (const chunk of source) {
    count(chunk.length);
    yield chunk;
  }
}

async function* rechunk(source: AsyncIterable<CopyValue[][]>, size: number) {
  let buffer: CopyValue[][] = [];
  for await (const chunk of source) {
    for (const row of chunk) {
      buffer.push(row);
      if (buffer.length >= size) {
        yield buffer;
        buffer = [];
      }
    }
  }
  if (buffer.length) yield buffer;
}

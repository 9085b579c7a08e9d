import type { PGlite } from '@electric-sql/pglite';
import { CopyTextEncoder, type CopyValue } from './copy-text.encoder';
import type { Sql } from './sql.client';

export type { CopyValue };

/** Where bulk rows go: a Postgres pool, plus the PGlite instance when this process owns the embedded store. */
export interface BulkTarget {
  sql: Sql;
  pglite?: PGlite;
}

const CHUNK_ROWS = 5_000;

/** Rows as COPY text bytes, a chunk of rows at a time (the encoder's buffer is reused across chunks). */
function toCopyText(encoder: CopyTextEncoder, rows: CopyValue[][]): Buffer {
  for (const row of rows) encoder.row(row);
  return encoder.take();
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
  const encoder = new CopyTextEncoder();
  if (target.pglite) {
    for await (const chunk of rechunk(rows)) {
      await target.pglite.query(`COPY ${name} (${cols}) FROM '/dev/blob'`, [], {
        blob: new Blob([toCopyText(encoder, chunk)]),
      });
      written += chunk.length;
    }
    return written;
  }
  if (await isPgliteSocket(target.sql)) {
    const perInsert = Math.max(1, Math.floor(30_000 / columns.length));
    for await (const chunk of rechunk(rows, perInsert)) {
      const objects = chunk.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]])));
      await target.sql`INSERT INTO ${target.sql(name)} ${target.sql(objects, columns)}`;
      written += chunk.length;
    }
    return written;
  }
  const options = opts.freeze ? ' WITH (FREEZE)' : '';
  const stream = await target.sql.unsafe(`COPY ${name} (${cols}) FROM STDIN${options}`).writable();
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  for await (const chunk of rechunk(rows)) {
    if (!stream.write(toCopyText(encoder, chunk))) await new Promise((r) => stream.once('drain', r));
    written += chunk.length;
  }
  stream.end();
  await finished;
  return written;
}

async function* rechunk(source: AsyncIterable<CopyValue[][]> | Iterable<CopyValue[][]>, size = CHUNK_ROWS) {
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

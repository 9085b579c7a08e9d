import { createHash } from 'node:crypto';
import type { Sql } from '@tunegraph/service-kit';

/**
 * An unlogged staging table for one source file; COPY lands here, then one merge transaction moves it. Its name is
 * derived from the source, so a load killed half-way leaves a table the rerun of that file replaces.
 */
export async function withStagingTable<T>(
  sql: Sql,
  source: string,
  columns: string,
  run: (table: string) => Promise<T>,
): Promise<T> {
  const table = `stage_${createHash('sha1').update(source).digest('hex').slice(0, 16)}`;
  await sql.unsafe(`DROP TABLE IF EXISTS ${table}`);
  await sql.unsafe(`CREATE UNLOGGED TABLE ${table} (${columns})`);
  try {
    return await run(table);
  } finally {
    await sql.unsafe(`DROP TABLE IF EXISTS ${table}`);
  }
}

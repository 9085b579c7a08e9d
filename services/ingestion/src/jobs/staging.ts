import { randomBytes } from 'node:crypto';
import type { Sql } from '@tunegraph/service-kit';

/** An unlogged staging table private to one load; COPY lands here, then one merge statement moves it. */
export async function withStagingTable<T>(
  sql: Sql,
  columns: string,
  run: (table: string) => Promise<T>,
): Promise<T> {
  const table = `stage_${randomBytes(5).toString('hex')}`;
  await sql.unsafe(`CREATE UNLOGGED TABLE ${table} (${columns})`);
  try {
    return await run(table);
  } finally {
    await sql.unsafe(`DROP TABLE IF EXISTS ${table}`);
  }
}

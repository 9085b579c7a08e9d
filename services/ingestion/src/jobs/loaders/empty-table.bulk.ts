import { copyRows, withKeysDeferred, type CopyValue, type Sql } from '@tunegraph/service-kit';

/**
 * The first load into an empty table (the first load of a catalog): the rows go straight in by COPY, frozen, with
 * the table's keys rebuilt afterwards, since staging them first would write every row twice. `mergeDuplicates` runs
 * when the file repeats a key (it must leave the keys unique and return the rows left); `afterCopy` runs once the
 * rows are in and before the keys are rebuilt, and returns the rows it added. Returns the rows in the table, or
 * undefined, having read no rows, when the table is not empty (the caller stages and merges instead). `tx` is a
 * transaction, with the load's memory (see load-memory.ts). `rows` may be a function, called once the table is known
 * to be empty, that prepares what the rows need (queries on `tx`) and returns them.
 */
export async function copyIntoEmptyTable(
  tx: Sql,
  table: string,
  columns: string[],
  rows: AsyncIterable<CopyValue[][]> | (() => Promise<AsyncIterable<CopyValue[][]>>),
  steps: { mergeDuplicates: () => Promise<number>; afterCopy?: () => Promise<number> },
): Promise<number | undefined> {
  await tx.unsafe(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
  if ((await tx.unsafe(`SELECT 1 FROM ${table} LIMIT 1`)).length > 0) return undefined;
  // Emptied (of nothing) in this transaction, so COPY may write the rows frozen: see copyRows.
  await tx.unsafe(`TRUNCATE ${table}`);
  let inserted = 0;
  await withKeysDeferred(
    tx,
    table,
    async () => {
      const source = typeof rows === 'function' ? await rows() : rows;
      inserted = await copyRows({ sql: tx }, table, columns, source, { freeze: true });
      inserted += (await steps.afterCopy?.()) ?? 0;
      await tx.unsafe(`ANALYZE ${table}`);
    },
    {
      mergeDuplicates: async () => {
        inserted = await steps.mergeDuplicates();
        // No longer frozen: the planner must not count on index-only scans below.
        await tx.unsafe(`ANALYZE ${table}`);
      },
    },
  );
  return inserted;
}

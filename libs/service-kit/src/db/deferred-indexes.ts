import type { Sql } from './sql.client';

const UNIQUE_VIOLATION = '23505';

interface TableKeys {
  /**
   * Primary key and unique constraints no other table's foreign key points at, rebuilt first (the table's own
   * foreign keys may need them).
   */
  unique: { name: string; def: string }[];
  /** Plain indexes not backing a constraint. */
  indexes: { name: string; def: string }[];
  foreignKeys: { name: string; def: string }[];
}

async function keysOf(tx: Sql, table: string): Promise<TableKeys> {
  const constraints = await tx<{ name: string; def: string; type: string; referenced: boolean }[]>`
    SELECT conname AS name, pg_get_constraintdef(oid) AS def, contype AS type,
      EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.confrelid = c.conrelid
        AND f.conindid = c.conindid) AS referenced
    FROM pg_constraint c WHERE conrelid = ${table}::regclass AND contype IN ('p', 'u', 'f')
    ORDER BY conname`;
  const indexes = await tx<{ name: string; def: string }[]>`
    SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE i.indrelid = ${table}::regclass
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid)
    ORDER BY c.relname`;
  return {
    unique: constraints.filter((c) => c.type !== 'f' && !c.referenced),
    indexes,
    foreignKeys: constraints.filter((c) => c.type === 'f'),
  };
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Bulk-loads a table with its keys, indexes and outgoing foreign keys dropped, then puts them back: one sort per
 * index and one set-based check per foreign key cost far less than maintaining them row by row. Must run inside a
 * transaction (`tx`), which holds the table exclusively: a failure or a killed process rolls the drops back with
 * the load. When restoring a unique key finds duplicates, `mergeDuplicates` runs (it must leave the rows unique)
 * and the key is restored again. `beforeForeignKeys` runs once the keys and indexes are back and before the foreign
 * keys are: the place to add the rows they will point at, reading the loaded rows through the new indexes.
 * A primary key or unique constraint that other tables' foreign keys point at stays in place, since dropping it
 * would drop theirs. Returns `load`'s result.
 */
export async function withKeysDeferred<T>(
  tx: Sql,
  table: string,
  load: () => Promise<T>,
  opts: { mergeDuplicates?: () => Promise<void>; beforeForeignKeys?: () => Promise<void> } = {},
): Promise<T> {
  const keys = await keysOf(tx, table);
  for (const fk of keys.foreignKeys)
    await tx.unsafe(`ALTER TABLE ${ident(table)} DROP CONSTRAINT ${ident(fk.name)}`);
  for (const ix of keys.indexes) await tx.unsafe(`DROP INDEX ${ident(ix.name)}`);
  for (const key of keys.unique)
    await tx.unsafe(`ALTER TABLE ${ident(table)} DROP CONSTRAINT ${ident(key.name)}`);
  const result = await load();
  const restoreUnique = async (on: Sql) => {
    for (const key of keys.unique)
      await on.unsafe(`ALTER TABLE ${ident(table)} ADD CONSTRAINT ${ident(key.name)} ${key.def}`);
  };
  try {
    // The savepoint's own handle: a failed query on `tx` itself would fail the whole transaction.
    await (tx as unknown as { savepoint(fn: (sp: Sql) => Promise<void>): Promise<void> }).savepoint(
      restoreUnique,
    );
  } catch (err) {
    if ((err as { code?: string }).code !== UNIQUE_VIOLATION || !opts.mergeDuplicates) throw err;
    await opts.mergeDuplicates();
    await restoreUnique(tx);
  }
  for (const ix of keys.indexes) await tx.unsafe(ix.def);
  await opts.beforeForeignKeys?.();
  for (const fk of keys.foreignKeys)
    await tx.unsafe(`ALTER TABLE ${ident(table)} ADD CONSTRAINT ${ident(fk.name)} ${fk.def}`);
  return result;
}

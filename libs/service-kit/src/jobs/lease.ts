import type { Sql } from '../db/sql.client';

/** Held while work runs; release() when it ends, however it ends. */
export interface Lease {
  release(): Promise<void>;
}

/**
 * Runs `open` (which writes the row the work is known by) and takes the session advisory lock (lockClass, key) in
 * one transaction, on a connection of its own that keeps the lock until release. When the process dies, PostgreSQL
 * closes its connection and drops the lock: that is how failUnheld tells work that died from work still going in
 * another process or replica.
 */
export async function openLease<T>(
  sql: Sql,
  lockClass: number,
  open: (conn: Sql) => Promise<T>,
  keyOf: (value: T) => number,
): Promise<{ value: T; lease: Lease }> {
  const conn = await sql.reserve();
  let value: T;
  let key: number;
  try {
    // A reserved connection has no begin(): the transaction is spelled out.
    await conn`BEGIN`;
    value = await open(conn as unknown as Sql);
    key = keyOf(value);
    await conn`SELECT pg_advisory_lock(${lockClass}, ${key})`;
    await conn`COMMIT`;
  } catch (err) {
    await conn`ROLLBACK`.catch(() => undefined);
    conn.release();
    throw err;
  }
  const lease = {
    async release() {
      try {
        await conn`SELECT pg_advisory_unlock(${lockClass}, ${key})`;
      } finally {
        conn.release();
      }
    },
  };
  return { value, lease };
}

/**
 * Calls `fail` for each of `items` whose lease (lockClass, keyOf(item)) nobody holds, holding it meanwhile so a
 * second caller cannot fail the same item; returns those items. Run at start, before any work: the embedded store
 * has one session for every connection, where a lease cannot be seen from outside.
 */
export async function failUnheld<T>(
  sql: Sql,
  lockClass: number,
  items: readonly T[],
  keyOf: (item: T) => number,
  fail: (conn: Sql, item: T) => Promise<unknown>,
): Promise<T[]> {
  if (items.length === 0) return [];
  const conn = await sql.reserve();
  const failed: T[] = [];
  try {
    for (const item of items) {
      const key = keyOf(item);
      const [{ free }] = await conn<
        { free: boolean }[]
      >`SELECT pg_try_advisory_lock(${lockClass}, ${key}) AS free`;
      if (!free) continue;
      try {
        await fail(conn as unknown as Sql, item);
        failed.push(item);
      } finally {
        await conn`SELECT pg_advisory_unlock(${lockClass}, ${key})`;
      }
    }
  } finally {
    conn.release();
  }
  return failed;
}

import type { ReservedSql } from 'postgres';
import type { Sql } from '../db/sql.client';

/** Held while work runs; release() when it ends, however it ends. */
export interface Lease {
  release(): Promise<void>;
}

interface LockSession {
  conn: Promise<ReservedSql>;
  held: number;
}

/**
 * One reserved connection per pool carries every lease of this process: a lease per connection would take a pool
 * slot from the work itself for as long as the work runs.
 */
const sessions = new WeakMap<Sql, LockSession>();

function lockSession(sql: Sql): LockSession {
  let session = sessions.get(sql);
  if (!session) {
    // The lock session keeps one connection: with only one, the work itself would wait for it forever.
    if (sql.options.max < 2) throw new Error('a lease needs a connection pool of at least 2 connections');
    session = { conn: sql.reserve(), held: 0 };
    sessions.set(sql, session);
  }
  session.held += 1;
  return session;
}

async function leaveSession(sql: Sql, session: LockSession): Promise<void> {
  session.held -= 1;
  if (session.held > 0) return;
  sessions.delete(sql);
  (await session.conn).release();
}

/**
 * Takes the session advisory lock (lockClass, key) on this process's lock session, then runs `open` (which writes
 * the row the work is known by) in a transaction. When the process dies, PostgreSQL closes that connection and drops
 * the lock: that is how failUnheld tells work that died from work still going in another process or replica, and
 * no one ever sees the row without its lock. (The lock comes first because the embedded store serves one
 * transaction at a time: a second connection could not lock while the transaction waits for it.)
 */
export async function openLease<T>(
  sql: Sql,
  lockClass: number,
  key: number,
  open: (tx: Sql) => Promise<T>,
): Promise<{ value: T; lease: Lease }> {
  const session = lockSession(sql);
  let locked = false;
  let value: T;
  try {
    const conn = await session.conn;
    await conn`SELECT pg_advisory_lock(${lockClass}, ${key})`;
    locked = true;
    value = (await sql.begin((tx) => open(tx as unknown as Sql))) as T;
  } catch (err) {
    if (locked) await unlock(session, lockClass, key).catch(() => undefined);
    await leaveSession(sql, session);
    throw err;
  }
  const lease = {
    async release() {
      try {
        await unlock(session, lockClass, key);
      } finally {
        await leaveSession(sql, session);
      }
    },
  };
  return { value, lease };
}

async function unlock(session: LockSession, lockClass: number, key: number): Promise<void> {
  const conn = await session.conn;
  await conn`SELECT pg_advisory_unlock(${lockClass}, ${key})`;
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

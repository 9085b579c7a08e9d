import { failVersion, insertVersion, type ModelVersionRow } from '../db/embeddings.sql';
import type { Sql } from '../db/sql.client';

/** Advisory-lock class of model versions in training (the first key of pg_advisory_lock(int, int)). */
const TRAINING_LOCK_CLASS = 7_467_001;

export const INTERRUPTED_ERROR = 'interrupted: the process training this version stopped before it finished';

export interface TrainingLease {
  release(): Promise<void>;
}

/**
 * Opens the next version of `model` and holds a session advisory lock on it, on a connection of its own, for as
 * long as it trains (until release). The row and the lock become visible together (one transaction). When the
 * training process dies, PostgreSQL closes its connection and drops the lock: that is how failOrphanedVersions
 * tells a run that died from one still going in another process or replica.
 */
export async function startLeasedVersion(
  sql: Sql,
  model: string,
  params: Record<string, unknown>,
): Promise<{ version: ModelVersionRow; lease: TrainingLease }> {
  const conn = await sql.reserve();
  let version: ModelVersionRow;
  try {
    // A reserved connection has no begin(): the transaction is spelled out.
    await conn`BEGIN`;
    version = await insertVersion(conn, model, params);
    await conn`SELECT pg_advisory_lock(${TRAINING_LOCK_CLASS}, ${version.id})`;
    await conn`COMMIT`;
  } catch (err) {
    await conn`ROLLBACK`.catch(() => undefined);
    conn.release();
    throw err;
  }
  const id = version.id;
  const lease = {
    async release() {
      try {
        await conn`SELECT pg_advisory_unlock(${TRAINING_LOCK_CLASS}, ${id})`;
      } finally {
        conn.release();
      }
    },
  };
  return { version, lease };
}

/**
 * Marks failed (INTERRUPTED_ERROR) every version of `models` still in training whose lease nobody holds, and
 * removes what it had stored; returns their ids. Services run it when they start, before they train anything:
 * the embedded store has one session for every connection, where a lease cannot be seen from outside.
 */
export async function failOrphanedVersions(sql: Sql, models: readonly string[]): Promise<number[]> {
  const training = await sql<{ id: number }[]>`
    SELECT id FROM model_versions WHERE status = 'training' AND model = ANY(${models as string[]}) ORDER BY id`;
  if (training.length === 0) return [];
  const conn = await sql.reserve();
  const failed: number[] = [];
  try {
    for (const { id } of training) {
      const [{ free }] = await conn<{ free: boolean }[]>`
        SELECT pg_try_advisory_lock(${TRAINING_LOCK_CLASS}, ${id}) AS free`;
      if (!free) continue;
      try {
        await failVersion(conn, id, INTERRUPTED_ERROR);
        failed.push(id);
      } finally {
        await conn`SELECT pg_advisory_unlock(${TRAINING_LOCK_CLASS}, ${id})`;
      }
    }
  } finally {
    conn.release();
  }
  return failed;
}
